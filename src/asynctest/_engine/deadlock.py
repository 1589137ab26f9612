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
from typing import Any

from .. import _compat
from . import watchdog


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
