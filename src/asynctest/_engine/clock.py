"""A virtual clock for an asyncio loop: time starts at 0 and moves only when told.

Example::

    clock = VirtualClock(loop, selector)   # loop.time() is now 0.0
    loop.call_later(5, callback)
    await clock.advance(5)                 # callback has run, loop.time() == 5.0

Only ``loop.time()`` is virtual: ``time.time()`` and ``time.monotonic()`` are
untouched. Every timer due on the way runs at its own time, including timers
scheduled by the callbacks that run during the advance.

How the clock moves. A selector loop that has nothing ready calls its
selector's ``select(timeout)`` with the (virtual) time left to its earliest
timer. When the loop polls a TestSelector, the selector first asks the clock
(:meth:`VirtualClock.plan`) whether it means to move: if so, the selector
polls real I/O for the clock's threshold in *real* seconds (0: a mere poll)
and, when nothing happened meanwhile, lets the clock jump
(:meth:`VirtualClock.jump`) exactly to the due time of that earliest timer,
which the loop then runs on the same turn. The clock moves when:

- ``advance()`` is pending: up to each timer due before its target, then to
  the target itself (the advance then returns);
- autojump is on (``set_autojump(threshold)``): to the earliest timer,
  whatever its time (a sleep of a year is one jump).

A jump costs one turn of the loop and reads the head of the loop's heap of
timers: O(1), so a day of 100,000 timers runs at the loop's own pace. With
no timer at all and autojump on, the loop blocks as usual, where deadlock
detection (``guard.stuck_check``) sees it.

Without a TestSelector (a loop the engine could not wrap), ``advance()``
still works, by stepping the loop from a task; autojump is not available.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
from typing import Any, Optional

from .. import _compat

# At most this many timers run from one callback, between two polls of the
# loop (a chain of timers must not shut out the watchdog's wake-up).
_BATCH = 1000


class VirtualClock:
    """The clock of one loop, installed in place of ``loop.time``.

    ``selector``: the loop's TestSelector, through which the clock moves
    (needed by autojump; ``advance()`` works without, more slowly). Needs a
    loop whose timers the engine can see (asyncio's own loops); any other
    loop (uvloop, ...) raises TypeError naming it.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, selector: Any = None) -> None:
        if _compat.scheduled_timers(loop) is None or _compat.ready_handles(loop) is None:
            raise TypeError(
                f"the clock of {loop!r} cannot be controlled: a virtual clock "
                f"(ClockedTestCase) needs an asyncio event loop (a selector or proactor "
                f"loop from asyncio.new_event_loop); set loop_factory to one"
            )
        self._loop = loop
        self._now = 0.0
        #: Real seconds of idleness before a jump (None: no autojump).
        self.threshold: Optional[float] = None
        # Pending advances: a heap of (target, order, future).
        self._targets: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._jump_to = 0.0
        self._to_timer = False  # _jump_to is a timer's due time (not an advance's target)
        self._coarse_from = 0.0  # from this time on, check the loop's clock resolution
        self._resolution = _compat.clock_resolution(loop)  # the loop's own, to give back
        self._selector: Any = None
        self._fds: Any = ()  # the real selector's registrations (live), when known
        self._virtual: Any = ()  # the TestSelector's registrations of file mocks
        try:
            loop.time = self.time  # type: ignore[method-assign]
        except AttributeError:
            raise TypeError(
                f"the clock of {loop!r} cannot be controlled: its time() cannot be "
                f"replaced; a virtual clock (ClockedTestCase) needs an asyncio event loop"
            ) from None
        if selector is not None:
            self._selector = selector
            fds = _compat.selector_fd_map(selector.wrapped)
            if fds is not None:
                self._fds = fds
                self._virtual = selector._virtual
            selector.clock = self

    @staticmethod
    def can_control(loop: asyncio.AbstractEventLoop) -> bool:
        """Whether a VirtualClock can be installed on ``loop`` (asyncio loops: yes; uvloop: no)."""
        return (
            _compat.scheduled_timers(loop) is not None
            and _compat.ready_handles(loop) is not None
            and hasattr(loop, "__dict__")  # where ``loop.time`` is replaced
        )

    def time(self) -> float:
        """The current virtual time, in seconds since the clock was installed."""
        return self._now

    def uninstall(self) -> None:
        """Give the loop its own clock back (and its selector its plain waits)."""
        if self._loop.__dict__.get("time") == self.time:
            del self._loop.time  # type: ignore[method-assign]
            _compat.set_clock_resolution(self._loop, self._resolution)
        selector = self._selector
        if selector is not None and getattr(selector, "clock", None) is self:
            selector.clock = None
        self._selector = None

    def set_autojump(self, threshold: Optional[float]) -> None:
        """Jump to the next timer once the loop has been idle ``threshold`` real seconds.

        0: as soon as the loop has nothing ready and no I/O is ready. None:
        manual clock (only ``advance()`` moves it). Needs the loop to poll a
        TestSelector; TypeError naming the loop otherwise. The value is not
        checked here (see ``_config.check_threshold``).
        """
        if threshold is not None and self._selector is None:
            raise TypeError(
                f"autojump cannot drive the clock of {self._loop!r}: the loop does not poll "
                f"asynctest's TestSelector (autojump needs an asyncio selector loop, from "
                f"asyncio.new_event_loop, and use_default_loop = False)"
            )
        self.threshold = threshold

    def next_timer(self) -> Optional[float]:
        """When the earliest pending (not cancelled) timer is due, or None."""
        return _compat.earliest_timer(self._loop)

    # -- moving through the TestSelector (called by TestSelector.select) ----------

    def plan(self, timeout: Optional[float]) -> Optional[float]:
        """The loop is about to wait ``timeout`` (None or > 0, virtual seconds).

        Returns None to let it wait as usual, or the real seconds to poll I/O
        before :meth:`jump` (to be called only if nothing happened meanwhile).
        """
        targets = self._targets
        if targets:
            while targets and targets[0][2].done():  # an advance cancelled meanwhile
                heapq.heappop(targets)
            if targets:
                target = targets[0][0]
                due = _compat.earliest_timer(self._loop) if timeout is not None else None
                if due is None or due > target:
                    self._jump_to = target
                    self._to_timer = False
                else:
                    self._jump_to = due
                    self._to_timer = True
                return self.threshold or 0.0
        if self.threshold is None or timeout is None:
            return None
        due = _compat.earliest_timer(self._loop)
        if due is None:
            return None
        self._jump_to = due
        self._to_timer = True
        return self.threshold

    def jump(self) -> None:
        """Move to where :meth:`plan` aimed (never backwards); end the advances reached.

        When it aims at a timer and nothing but timers can happen (threshold
        0, no I/O watched, not in debug mode), runs a batch of timers instead,
        each at its own time, from one callback (see :meth:`_run_timers`).
        """
        if self._to_timer:
            # The loop runs the timer after this select(); an advance whose
            # target it is ends at the next idle select, once it ran.
            if (
                not self.threshold and len(self._fds) == 1 and not self._virtual
                and not self._loop.get_debug()
            ):
                self._loop.call_soon(self._run_timers)
            else:
                self._set_time(self._jump_to)
            return
        self._set_time(self._jump_to)
        targets = self._targets
        now = self._now
        while targets and targets[0][0] <= now:
            future = heapq.heappop(targets)[2]
            if not future.done():
                future.set_result(None)

    def _run_timers(self) -> None:
        # Up to the first pending advance's target; every turn of the loop
        # spared is most of the cost of a timer (see _compat.run_timers_in_order).
        targets = self._targets
        until = targets[0][0] if targets else math.inf
        _compat.run_timers_in_order(self._loop, until, _BATCH, self._set_time, self._fds)

    def _set_time(self, when: float) -> None:
        if when > self._now:
            self._now = when
            if when >= self._coarse_from:
                self._widen_resolution(when)

    def _widen_resolution(self, now: float) -> None:
        # The loop runs a timer when ``when < time() + resolution``; with the
        # clock exactly on a timer's time, that needs a resolution above half
        # a float step of the time. The default (1 ns, the real clock's) is
        # less from about 2**23 s (97 days) on: the loop would never run the
        # timer and spin. Widened once per power of two of the time.
        self._coarse_from = 2.0 ** math.frexp(now)[1]
        wanted = 2 * math.ulp(self._coarse_from)
        if wanted > _compat.clock_resolution(self._loop):
            _compat.set_clock_resolution(self._loop, wanted)

    # -- advance ----------------------------------------------------------------------

    async def run_ready(self) -> None:
        """Return once every callback ready at the current time (and those they make) ran."""
        while self._has_work_now():
            await asyncio.sleep(0)

    def _has_work_now(self) -> bool:
        if _compat.ready_handles(self._loop):
            return True
        due = self.next_timer()
        # asyncio runs a timer once it is due within the clock resolution
        # (``when < time() + resolution``); the same test here, or we would spin.
        return due is not None and due < self._now + _compat.clock_resolution(self._loop)

    async def advance(self, seconds: Any) -> None:
        """Move the clock forward by ``seconds``, running every timer due on the way.

        Timers run in order at their own time: a callback due at t=2 sees
        ``loop.time() == 2`` even when advancing by 10. ``advance(0)`` runs what
        is ready now. Negative, NaN or infinite seconds raise ValueError.
        """
        step = _check_advance(seconds)
        target = self._now + step
        if self._selector is not None:
            future: asyncio.Future[None] = self._loop.create_future()
            heapq.heappush(self._targets, (target, next(self._order), future))
            await future
            return
        # Without a TestSelector: step the loop from here.
        await self.run_ready()
        while True:
            due = self.next_timer()
            if due is None or due > target:
                break
            self._set_time(due)
            await self.run_ready()
        self._set_time(target)
        await self.run_ready()


def _check_advance(seconds: Any) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"advance() takes a number of seconds, got {seconds!r}")
    value = float(seconds)
    if not math.isfinite(value) or value < 0:
        raise ValueError(
            f"advance() takes a finite number of seconds >= 0, got {seconds!r}"
        )
    return value
