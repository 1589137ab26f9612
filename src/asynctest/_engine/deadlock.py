"""Deadlock detection: can anything still wake a loop that is about to wait forever?

A selector loop calls ``select(None)`` (no timeout) only when it has no ready
callback and no timer. The TestSelector hands that timeout to
:func:`nothing_can_wake` first: if nothing else could end the wait either, the
wait is a deadlock. The answer errs on the safe side: anything that *might*
wake the loop (a watched descriptor, a signal handler, any other thread that is
not an idle executor worker) means "not a deadlock".
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from .. import _compat
from . import watchdog

# How long a suspected deadlock is watched before it is declared, when other
# threads exist (idle executor workers): long enough for a worker to store the
# item it took (the interpreter switches threads every 5 ms).
_CONFIRM_SECONDS = 0.02


def nothing_can_wake(loop: asyncio.AbstractEventLoop, selector: Any) -> bool:
    """Whether ``loop``, about to block in ``selector.select(None)``, would block forever.

    ``selector`` is the loop's TestSelector. False as soon as one of these
    could end the wait: a ready callback, a virtual event set ready, a
    registration other than the loop's wake-up pipe (real or mock), a signal
    handler, another thread that is not an idle ``ThreadPoolExecutor`` worker,
    or a wake-up already written to the pipe.
    """
    if _compat.ready_handles(loop) or selector.has_ready():
        return False
    pipe = _compat.self_pipe_fd(loop)
    for key in selector.registrations():
        if key.fd != pipe:
            return False
    if _compat.has_signal_handlers(loop):
        return False
    if not _other_threads_idle():
        return False
    if threading.active_count() > 1 + watchdog.running():
        # Confirm it: a worker may have taken an item it has not stored yet.
        time.sleep(_CONFIRM_SECONDS)
        if not _other_threads_idle():
            return False
    # A thread may have handed work over just before it went idle: its
    # call_soon_threadsafe() queued a callback and wrote to the pipe.
    wrapped = selector.wrapped
    if wrapped is not None and wrapped.select(0):
        return False  # (level-triggered: the next select() sees it again)
    return not _compat.ready_handles(loop)


def _other_threads_idle() -> bool:
    """Whether every thread but this one and the watchdog idles in an executor."""
    frames = _compat.thread_frames()
    me = threading.get_ident()
    for thread in threading.enumerate():
        ident = thread.ident or 0
        if ident == me or watchdog.is_watchdog(thread):
            frames.pop(ident, None)
            continue
        if not _compat.is_idle_worker(frames.pop(ident, None)):
            return False  # running, or started and not yet in Python code
    # Threads unknown to the threading module, running Python code.
    return not frames


def cancel(task: asyncio.Task[Any]) -> bool:
    """``task.cancel()``, unless the task waits, directly or through gather(), on a
    chain of tasks that comes back to one of them: asyncio would then recurse
    until RecursionError (each task cancels the one it waits on). Returns False
    when the task could not be cancelled: it is to be abandoned.
    """
    if _waits_in_a_cycle(task):
        return False
    try:
        return task.cancel()
    except RecursionError:  # a cycle formed some other way
        return False


def _waits_in_a_cycle(task: asyncio.Task[Any]) -> bool:
    # Depth-first through what each task waits on; a task met again on the
    # current path is a cycle.
    path: set[int] = set()
    done: set[int] = set()

    def visit(future: Any, depth: int) -> bool:
        if depth > 200:
            return True  # deeper than any sane chain: treat as a cycle
        key = id(future)
        if key in path:
            return True
        if key in done or future.done():
            return False
        path.add(key)
        if isinstance(future, asyncio.Task):
            waits = _compat.task_waiter(future)
            nexts = [] if waits is None else [waits]
        else:
            nexts = _compat.gathered(future)
        found = any(visit(child, depth + 1) for child in nexts)
        path.discard(key)
        done.add(key)
        return found

    return visit(task, 0)


def abandon(task: asyncio.Task[Any]) -> None:
    """Give up on a pending task that will never be run again.

    Its coroutine is closed now, while the loop is still open (its finally
    clauses may still schedule callbacks; they never run), instead of when it
    is collected after the loop is closed ("Event loop is closed" in a
    finalizer); and the task is kept from logging "Task was destroyed but it
    is pending". A coroutine that refuses to close (awaits in a finally
    clause) is left as it is.
    """
    _compat.forget_pending_task(task)
    coro = task.get_coro()
    close = getattr(coro, "close", None)
    if close is not None:
        try:
            close()
        except RuntimeError:
            pass  # "coroutine ignored GeneratorExit": nothing more can be done
