"""A virtual clock for an asyncio loop: time starts at 0 and moves only when told.

Example::

    clock = VirtualClock(loop)       # loop.time() is now 0.0
    loop.call_later(5, callback)
    await clock.advance(5)           # callback has run, loop.time() == 5.0

Only ``loop.time()`` is virtual: ``time.time()`` and ``time.monotonic()`` are
untouched. Every timer due on the way runs at its own time, including timers
scheduled by the callbacks that run during the advance.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any, Optional

from .. import _compat


class VirtualClock:
    """The clock of one loop, installed in place of ``loop.time``.

    Needs a loop whose timers the engine can see (asyncio's own loops); any
    other loop (uvloop, ...) raises TypeError naming it.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        if _compat.scheduled_timers(loop) is None or _compat.ready_handles(loop) is None:
            raise TypeError(
                f"the clock of {loop!r} cannot be controlled: a virtual clock "
                f"(ClockedTestCase) needs an asyncio event loop (a selector or proactor "
                f"loop from asyncio.new_event_loop); set loop_factory to one"
            )
        self._loop = loop
        self._now = 0.0
        try:
            loop.time = self.time  # type: ignore[method-assign]
        except AttributeError:
            raise TypeError(
                f"the clock of {loop!r} cannot be controlled: its time() cannot be "
                f"replaced; a virtual clock (ClockedTestCase) needs an asyncio event loop"
            ) from None

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
        """Give the loop its own clock back."""
        if self._loop.__dict__.get("time") == self.time:
            del self._loop.time  # type: ignore[method-assign]

    def next_timer(self) -> Optional[float]:
        """When the earliest pending (not cancelled) timer is due, or None."""
        timers = _compat.scheduled_timers(self._loop) or ()
        pending = [_compat.timer_when(h) for h in timers if not _compat.handle_is_cancelled(h)]
        return min(pending) if pending else None

    def _has_work_now(self) -> bool:
        if _compat.ready_handles(self._loop):
            return True
        due = self.next_timer()
        # asyncio runs a timer once it is due within the clock resolution
        # (``when < time() + resolution``); the same test here, or we would spin.
        return due is not None and due < self._now + _compat.clock_resolution(self._loop)

    async def run_ready(self) -> None:
        """Return once every callback ready at the current time (and those they make) ran."""
        while self._has_work_now():
            await asyncio.sleep(0)

    async def advance(self, seconds: Any) -> None:
        """Move the clock forward by ``seconds``, running every timer due on the way.

        Timers run in order at their own time: a callback due at t=2 sees
        ``loop.time() == 2`` even when advancing by 10. ``advance(0)`` runs what
        is ready now. Negative, NaN or infinite seconds raise ValueError.
        """
        step = _check_advance(seconds)
        target = self._now + step
        await self.run_ready()
        while True:
            due = self.next_timer()
            if due is None or due > target:
                break
            self._now = max(self._now, due)
            await self.run_ready()
        self._now = target
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
