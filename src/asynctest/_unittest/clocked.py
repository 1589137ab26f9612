"""``ClockedTestCase``: a TestCase whose loop runs on a virtual clock."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar, Optional

from .. import _config
from .._engine.clock import VirtualClock
from .case import TestCase

# Whether each run-wide loop factory makes loops a virtual clock can control,
# found once per factory by making (and closing) one loop: by id, the factory
# kept alive with the answer (factories need not be hashable).
_clockable: dict[int, tuple[Any, bool]] = {}


class ClockedTestCase(TestCase):
    """A TestCase whose loop clock starts at 0 and moves through :meth:`advance`, or by itself.

    ``loop.time()`` is virtual; ``time.time()`` and ``time.monotonic()`` are
    untouched. The loop must be an asyncio loop: a class whose own
    ``loop_factory`` makes another kind (uvloop, whose clock cannot be
    replaced) fails in setUp with a TypeError saying so. Under a run-wide loop
    that cannot be clocked (``--loop uvloop``, ``ASYNCTEST_LOOP=uvloop``), a
    ClockedTestCase without a ``loop_factory`` of its own runs on asyncio's
    default loop instead.

    ``autojump_threshold`` (class attribute; per test ``@asynctest.autojump``,
    per run ``--autojump`` / ``ASYNCTEST_AUTOJUMP``): None (default) keeps the
    clock manual, as in asynctest 0.13. A number of real seconds makes the
    clock jump to the next timer's due time whenever the loop has been idle,
    with no I/O ready, that long (0: at once): ``await asyncio.sleep(86400)``
    returns at once with ``loop.time() == 86400``. Timers still run in order,
    each at its own time, and ``advance()`` still works. In this mode a wait
    with no timer and nothing else to wake the loop is a deadlock
    (``DeadlockError``), while a sleep of a year is one jump.

    For example, a task sleeping 10 seconds is done once the test ran
    ``await self.advance(10)``, at once in real time.
    """

    _asynctest_virtual_clock: ClassVar[bool] = True
    autojump_threshold: ClassVar[Optional[float]] = None

    def _asynctest_run_wide_loop(self, factory: _config.LoopFactory) -> Optional[
            _config.LoopFactory]:
        known = _clockable.get(id(factory))
        if known is None or known[0] is not factory:
            try:
                loop = factory()
            except Exception:
                return factory  # the session reports it when it calls the factory
            if not isinstance(loop, asyncio.AbstractEventLoop):
                return factory  # likewise
            known = _clockable[id(factory)] = (factory, VirtualClock.can_control(loop))
            loop.close()
        return factory if known[1] else None

    async def advance(self, seconds: Any) -> None:
        """Move the loop clock forward by ``seconds``, running every timer due on the way.

        Timers run in order, each at its own time, including timers scheduled
        by callbacks during the advance. ``seconds`` must be finite and >= 0
        (ValueError otherwise).
        """
        clock = self._asynctest_active().clock
        assert clock is not None  # installed by the session of every ClockedTestCase
        await clock.advance(seconds)
