"""The end of a test's loop: cancel what is left, close async generators, stop the executor.

Every wait here is bounded (``grace`` real seconds each) and cut short when
nothing can wake the loop any more: a task that swallows ``CancelledError``
and waits again, or a default-executor thread that stays blocked, is
abandoned and described, never waited for forever (asynctest 0.13 did not
wait for them at all; ``IsolatedAsyncioTestCase`` waits forever).
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Optional

from .. import _compat
from . import report
from .deadlock import abandon, cancel
from .guard import run_bounded

# Tells unittest to leave this module's frames out of failure tracebacks.
__unittest = True


class Found:
    """What the shutdown found: tasks that raised, tasks and threads that did not stop."""

    __slots__ = ("failures", "stuck_tasks", "busy_threads", "grace", "tasks_report")

    def __init__(self, grace: float) -> None:
        self.grace = grace
        self.failures: list[tuple[asyncio.Task[Any], BaseException]] = []
        self.stuck_tasks: list[asyncio.Task[Any]] = []
        self.busy_threads: list[threading.Thread] = []
        self.tasks_report = ""

    def tasks_message(self, test_name: str) -> str:
        """The stuck tasks, with where each was waiting when abandoned."""
        count = len(self.stuck_tasks)
        return (
            f"{test_name} left {count} task(s) that did not finish within {self.grace:g} s "
            f"of being cancelled at the end of the test; abandoned (does it catch "
            f"CancelledError and go on waiting?):\n\n{self.tasks_report}\n\n"
            f"let them end when cancelled, or cancel and await them in the test"
        )

    def origin(self) -> tuple[str, int]:
        """A file and line for a warning about what was found: the first stuck
        task's coroutine function, else the function a busy thread runs."""
        for task in self.stuck_tasks:
            code = getattr(task.get_coro(), "cr_code", None)
            if code is not None:
                return code.co_filename, code.co_firstlineno
        for thread in self.busy_threads:
            frame = _compat.thread_frames().get(thread.ident or -1)
            if frame is not None:
                return frame.f_code.co_filename, frame.f_lineno
        return "<asynctest>", 0

    def threads_message(self, test_name: str) -> str:
        """The busy executor threads, by name and where each one runs."""
        lines = "\n".join(f"  {_describe_thread(t)}" for t in self.busy_threads)
        return (
            f"{test_name} left {len(self.busy_threads)} thread(s) of the loop's default "
            f"executor still busy {self.grace:g} s after the test; abandoned (they keep the "
            f"interpreter from exiting until they end):\n{lines}\n"
            f"make the functions given to run_in_executor() / asyncio.to_thread() return"
        )


def shut_down(loop: asyncio.AbstractEventLoop, selector: Any, grace: float) -> Found:
    """Cancel the loop's pending tasks, close its async generators, stop its default executor.

    ``selector`` is the loop's TestSelector, if any (it lets a wait that can
    never end be cut short). The loop must be neither running nor closed.
    """
    found = Found(grace)
    leftovers = _compat.pending_tasks(loop)
    if leftovers:
        for task in leftovers:
            cancel(task)  # (not when it waits in a cycle: then it stays, abandoned)
        run_bounded(loop, asyncio.wait(leftovers), grace, selector)
        for task in leftovers:
            if not task.done():
                found.stuck_tasks.append(task)
            elif not task.cancelled():
                exc = task.exception()
                if exc is not None:
                    found.failures.append((task, exc))
        if found.stuck_tasks:
            found.tasks_report = report.format_tasks(found.stuck_tasks)
            for task in found.stuck_tasks:
                _compat.forget_pending_task(task)
    if not run_bounded(loop, loop.shutdown_asyncgens(), grace, selector):
        pass  # an async generator's finally clause that never ends: nothing else to do
    executor = _compat.default_executor(loop)
    if executor is _compat.UNKNOWN:
        # Not asyncio's loop (uvloop): its own shutdown, bounded the same way.
        run_bounded(loop, _compat.shutdown_default_executor(loop), grace, selector)
    elif executor is not None:
        found.busy_threads = _stop_executor(executor, grace)
    # The loop does not run again: close what will never resume.
    for task in found.stuck_tasks:
        abandon(task)
    return found


def _stop_executor(executor: Any, grace: float) -> list[threading.Thread]:
    # What loop.shutdown_default_executor() does, without waiting forever (nor
    # making a thread to wait in): no new work, then join for ``grace`` at most.
    threads = _compat.executor_threads(executor)
    executor.shutdown(wait=False)
    deadline = time.monotonic() + grace
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [thread for thread in threads if thread.is_alive()]


def _describe_thread(thread: threading.Thread) -> str:
    frame: Optional[Any] = _compat.thread_frames().get(thread.ident or -1)
    if frame is None:
        return f"{thread.name!r}"
    code = frame.f_code
    return f"{thread.name!r} running {code.co_name}() at {code.co_filename}:{frame.f_lineno}"
