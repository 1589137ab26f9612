"""Watching one phase of a test: its timeout, deadlocks, and what does not stop.

A :class:`Watch` is made for a phase (setUp, the test, tearDown, a cleanup)
when a timeout is set or deadlock detection is on. It runs the phase's task on
the loop and turns what went wrong into a failure whose message shows where
every task was waiting:

- **timeout** (real seconds, whatever the loop's clock): from the watchdog
  thread, the loop is asked to take the report and cancel the phase's task;
  if the task is still running ``grace`` seconds later, the loop is stopped
  and the task abandoned; if the loop never got to it (the phase is stuck in
  synchronous code, which nothing can interrupt), the stacks of all threads
  are dumped to stderr and the failure says so when the phase returns;
- **deadlock**: the TestSelector's ``on_block`` hook sees the loop about to wait
  with no timeout; if nothing could ever end that wait
  (:func:`~asynctest._engine.deadlock.nothing_can_wake`), the wait is
  interrupted at once, the report taken, the task cancelled.

:func:`run_bounded` is the same machinery for the engine's own waits at the
end of a test: a bounded wait that gives up early when it is a deadlock.
"""

from __future__ import annotations

import asyncio
import faulthandler
import sys
from collections.abc import Coroutine
from typing import Any, Callable, Optional

from .. import _compat
from . import report, watchdog
from .deadlock import cancel, nothing_can_wake
from .errors import DeadlockError, PhaseTimeoutError

# Tells unittest to leave this module's frames out of failure tracebacks.
__unittest = True

#: ``names()`` of a Watch: the test's name and the phase's ("the test", "setUp"...).
Names = Callable[[], "tuple[str, str]"]


class Stuck(Exception):
    """Raised out of the loop's select(): nothing can wake the loop."""


def stuck_check(selector: Any) -> None:
    """The ``on_block`` hook of a TestSelector (polled by ``selector.owner_loop``):
    raise :class:`Stuck` when the loop is about to wait forever."""
    # Any descriptor watched besides the wake-up pipe could end the wait:
    # the common case (a test waiting for I/O) is answered here.
    registered = _compat.selector_fd_map(selector.wrapped)
    if registered is not None and len(registered) > 1:
        return
    if selector.has_virtual_keys():
        return
    if nothing_can_wake(selector.owner_loop, selector):
        raise Stuck


class Watch:
    """The watch over one phase; see the module docstring.

    ``start()`` arms the timeout before the phase's function is called (its
    synchronous part counts); ``run(task)`` runs the task it returned;
    ``end()`` disarms, and raises if a synchronous phase ran out of time.
    """

    __slots__ = (
        "loop", "timeout", "grace", "names", "selector", "task", "alarm", "expired",
        "fired", "abandoned", "report", "dumped", "active",
    )

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        timeout: Optional[float],
        grace: float,
        names: Names,
        selector: Any,
    ) -> None:
        self.loop = loop
        self.timeout = timeout
        self.grace = grace
        self.names = names
        self.selector = selector  # the TestSelector, when deadlocks are watched
        self.task: Optional[asyncio.Task[Any]] = None
        self.alarm: Optional[watchdog.Alarm] = None
        self.expired = False  # the timeout ran out (watchdog thread)
        self.fired = False  # the loop took the report and cancelled the task
        self.abandoned = False  # the task did not stop when cancelled
        self.report = ""
        self.dumped = False  # the loop never answered: stacks were dumped
        self.active = True

    # -- the timeout (callbacks of the watchdog thread, then of the loop) ---------

    def start(self) -> None:
        if self.timeout is not None:
            self.alarm = watchdog.arm(self.timeout, self._expire)

    def _expire(self) -> None:  # watchdog thread
        if not self.active:
            return
        self.expired = True
        self.alarm = watchdog.arm(self.grace, self._overdue)
        try:
            self.loop.call_soon_threadsafe(self._fire)
        except RuntimeError:
            pass  # closed meanwhile: the phase is over

    def _fire(self) -> None:  # the loop's thread
        task = self.task
        if not self.active or self.fired or (task is not None and task.done()):
            return
        self.fired = True
        self.report = _report(self.loop, task)
        if task is not None:
            if not cancel(task):
                self.abandoned = True  # cannot be cancelled (a cycle of awaits)
                self.loop.stop()
        else:
            # A synchronous phase running the loop itself (run_until_complete in
            # a plain test method): stopping the loop is all that can be done.
            self.loop.stop()

    def _overdue(self) -> None:  # watchdog thread
        if not self.active:
            return
        if not self.fired:
            # The loop's thread never ran the callback: stuck in synchronous code.
            test, phase = self.names()
            self.dumped = True
            _dump_stacks(
                f"asynctest: {test} timed out after {self.timeout:g} s in {phase} and is "
                f"stuck in synchronous code, which cannot be interrupted; the stacks of all "
                f"threads follow."
            )
            return
        try:
            self.loop.call_soon_threadsafe(self._abandon)
        except RuntimeError:
            pass

    def _abandon(self) -> None:  # the loop's thread
        if self.active and self.task is not None and not self.task.done():
            self.abandoned = True
            self.loop.stop()

    # -- deadlocks -------------------------------------------------------------------

    def _on_block(self, selector: Any) -> None:
        if nothing_can_wake(self.loop, selector):
            raise Stuck

    # -- running ---------------------------------------------------------------------

    def run(self, task: asyncio.Task[Any]) -> Any:
        """Run ``task`` (the phase) to completion, or fail as the module docstring says."""
        self.task = task
        loop = self.loop
        selector = self.selector
        if selector is not None:
            selector.on_block = self._on_block
        try:
            try:
                result = loop.run_until_complete(task)
            except Stuck:
                if self.fired:
                    self._give_up(task)  # timed out, and deadlocked while cancelled
                    raise self._timeout_error() from None
                raise self.deadlocked(task) from None
            except BaseException as exc:
                if self.fired:
                    if self.abandoned:
                        self._give_up(task)
                    raise self._timeout_error() from (
                        None if isinstance(exc, (asyncio.CancelledError, RuntimeError)) else exc
                    )
                if task.done() and not task.cancelled():
                    task.exception()  # retrieved: no "never retrieved" log later
                raise
            if self.fired:
                raise self._timeout_error()  # the phase caught the cancellation
            return result
        finally:
            self.end_watch()

    def deadlocked(self, task: asyncio.Task[Any]) -> DeadlockError:
        """The phase's task is stuck for ever: take the report, cancel the task
        (its finally clauses run, within ``grace``), return the failure."""
        self.end_watch()
        self.report = _report(self.loop, task)
        if cancel(task):
            self._unwind(task)
        else:
            self._give_up(task)  # a cycle of awaits: it cannot be cancelled
        return self._deadlock_error()

    def _unwind(self, task: asyncio.Task[Any]) -> None:
        # After cancelling a deadlocked phase: let it run its finally clauses,
        # for at most ``grace`` seconds, and not at all if it deadlocks again.
        if not run_bounded(self.loop, _wait(task), self.grace, self.selector):
            self.abandoned = True
            self._give_up(task)

    def _give_up(self, task: asyncio.Task[Any]) -> None:
        # Left pending, silenced; the end of the test tries once more, then
        # closes its coroutine (see shutdown.shut_down).
        self.abandoned = True
        _compat.forget_pending_task(task)

    def end_watch(self) -> None:
        """Disarm the timeout and stop watching the selector (idempotent)."""
        self.active = False
        alarm = self.alarm
        if alarm is not None:
            alarm.disarm()
        if self.selector is not None:
            self.selector.on_block = None

    def end_sync(self) -> None:
        """The phase returned without a task: fail if it ran past its timeout."""
        self.end_watch()
        if self.expired:
            raise self._timeout_error()

    def end_sync_error(self) -> PhaseTimeoutError:
        """The failure of a synchronous phase that raised after its time ran out."""
        self.end_watch()
        return self._timeout_error()

    # -- messages --------------------------------------------------------------------

    def _timeout_error(self) -> PhaseTimeoutError:
        test, phase = self.names()
        lines = [f"{test} timed out after {self.timeout:g} s in {phase}"]
        if self.dumped or not self.fired:
            lines[0] += (
                " (in synchronous code, which cannot be interrupted: it ran to its end; "
                "the stacks of all threads were dumped to stderr when the time ran out)"
            )
        if self.abandoned:
            lines[0] += f"; it did not stop within {self.grace:g} s of being cancelled (abandoned)"
        if self.report:
            lines.append(f"\nWhere the tasks were waiting when the time ran out:\n\n{self.report}")
        return PhaseTimeoutError("\n".join(lines))

    def _deadlock_error(self) -> DeadlockError:
        test, phase = self.names()
        text = (
            f"deadlock: {test} waits forever in {phase}: the loop has no ready callback, "
            f"no timer, no watched file descriptor, no signal handler and no other thread "
            f"that could wake it"
        )
        if self.abandoned:
            text += (
                f"; the phase did not stop within {self.grace:g} s of being cancelled "
                f"(abandoned)"
            )
        text += (
            f"\n\nWhere the tasks were waiting:\n\n{self.report}\n\n"
            f"(If something outside asyncio's view wakes it, use @fail_on(deadlock=False).)"
        )
        return DeadlockError(text)


def _report(loop: asyncio.AbstractEventLoop, first: Optional[asyncio.Task[Any]]) -> str:
    tasks = report.pending_tasks(loop)
    if first is not None and first in tasks:
        tasks.remove(first)
        tasks.insert(0, first)
    return report.format_tasks(tasks) or "(no pending task)"


def _dump_stacks(header: str) -> None:
    try:
        stream = sys.__stderr__ or sys.stderr
        stream.write(f"\n{header}\n")
        stream.flush()
        faulthandler.dump_traceback(file=stream, all_threads=True)
    except Exception:  # noqa: S110 - best effort on the way to a failure
        pass


async def _wait(task: asyncio.Task[Any]) -> None:
    await asyncio.wait((task,))


def run_bounded(
    loop: asyncio.AbstractEventLoop,
    coro: Coroutine[Any, Any, Any],
    seconds: float,
    selector: Any = None,
) -> bool:
    """Run ``coro`` on ``loop`` for at most ``seconds`` real seconds; True if it finished.

    With ``selector`` (the loop's TestSelector), gives up at once when nothing
    could wake the loop any more. The engine's own waits at the end of a test
    go through here; what raises in ``coro`` propagates.
    """
    task = loop.create_task(coro)
    stopped: list[bool] = []
    active = [True]

    def stop() -> None:
        if active and not task.done():
            stopped.append(True)
            loop.stop()

    def expire() -> None:  # watchdog thread
        try:
            loop.call_soon_threadsafe(stop)
        except RuntimeError:
            pass

    alarm = watchdog.arm(seconds, expire)
    if selector is not None:
        selector.owner_loop = loop
        selector.on_block = stuck_check
    try:
        loop.run_until_complete(task)
    except Stuck:
        pass
    except RuntimeError:
        if not stopped:
            raise
    finally:
        active.clear()
        alarm.disarm()
        if selector is not None:
            selector.on_block = None
    if task.done():
        task.result()
        return True
    cancel(task)
    _compat.forget_pending_task(task)
    return False
