"""Real-time alarms for the engine: one daemon thread, armed and disarmed per phase.

A phase's timeout and the grace given to leftovers at the end of a test are
real seconds, whatever the loop's clock says (a ClockedTestCase's clock stands
still until advanced) and even while the loop's thread is stuck. Arming an
alarm costs a lock and a heap push; the thread is started on first use.

Example::

    alarm = watchdog.arm(0.5, lambda: loop.call_soon_threadsafe(on_timeout))
    try:
        loop.run_until_complete(task)
    finally:
        alarm.disarm()

The callback runs in the watchdog's thread: it must only hand work over to
the loop (``call_soon_threadsafe``) or do thread-safe things (dump stacks).
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from typing import Callable, Optional

#: The watchdog thread's name; it never counts as a thread of the test.
THREAD_NAME = "asynctest-watchdog"


class Alarm:
    """One armed alarm: ``disarm()`` makes sure its callback does not run (later)."""

    __slots__ = ("deadline", "callback", "armed")

    def __init__(self, deadline: float, callback: Callable[[], None]) -> None:
        self.deadline = deadline
        self.callback: Optional[Callable[[], None]] = callback
        self.armed = True

    def disarm(self) -> None:
        """Forget the alarm; a callback already running is not interrupted."""
        self.armed = False
        self.callback = None  # what it refers to (a loop...) is not kept alive


class _Watchdog:
    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, Alarm]] = []
        self._order = itertools.count()
        self._thread: Optional[threading.Thread] = None

    def arm(self, seconds: float, callback: Callable[[], None]) -> Alarm:
        alarm = Alarm(time.monotonic() + seconds, callback)
        with self._condition:
            heap = self._heap
            if len(heap) > 256:
                # Disarmed alarms stay in the heap until due: drop them now and then.
                heap[:] = [entry for entry in heap if entry[2].armed]
                heapq.heapify(heap)
            heapq.heappush(heap, (alarm.deadline, next(self._order), alarm))
            thread = self._thread
            if thread is None or not thread.is_alive():
                # (Also after a fork, which leaves no thread behind.)
                thread = self._thread = threading.Thread(
                    target=self._run, name=THREAD_NAME, daemon=True
                )
                thread.start()
            elif self._heap[0][2] is alarm:
                self._condition.notify()  # sooner than what the thread waits for
        return alarm

    def _run(self) -> None:
        condition, heap = self._condition, self._heap
        while True:
            with condition:
                while heap and not heap[0][2].armed:
                    heapq.heappop(heap)
                if not heap:
                    condition.wait()
                    continue
                wait = heap[0][0] - time.monotonic()
                if wait > 0:
                    condition.wait(wait)
                    continue
                alarm = heapq.heappop(heap)[2]
            callback = alarm.callback
            if alarm.armed and callback is not None:
                alarm.armed = False
                alarm.callback = None
                try:
                    callback()
                except BaseException:  # the watchdog must survive what it calls
                    pass

    def is_watchdog(self, thread: threading.Thread) -> bool:
        return thread is self._thread

    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()


_WATCHDOG = _Watchdog()


def arm(seconds: float, callback: Callable[[], None]) -> Alarm:
    """Call ``callback()`` from the watchdog thread in ``seconds`` real seconds, unless disarmed."""
    return _WATCHDOG.arm(seconds, callback)


def running() -> bool:
    """Whether the watchdog's thread exists (it is started on first use)."""
    return _WATCHDOG.running()


def is_watchdog(thread: threading.Thread) -> bool:
    """Whether ``thread`` is the watchdog's own (left out of thread checks)."""
    return _WATCHDOG.is_watchdog(thread)
