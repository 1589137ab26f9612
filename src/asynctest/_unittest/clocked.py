"""``ClockedTestCase``: a TestCase whose loop runs on a virtual clock."""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from .case import TestCase


class ClockedTestCase(TestCase):
    """A TestCase whose loop clock starts at 0 and moves through :meth:`advance`, or by itself.

    ``loop.time()`` is virtual; ``time.time()`` and ``time.monotonic()`` are
    untouched (real). The loop must be an asyncio loop (uvloop's clock cannot
    be replaced: the test fails in setUp with a TypeError saying so).

    ``autojump_threshold`` (class attribute; per test ``@asynctest.autojump``,
    per run ``--autojump`` / ``ASYNCTEST_AUTOJUMP``): None (default) keeps the
    clock manual, as in asynctest 0.13. A number of real seconds makes the
    clock jump to the next timer's due time whenever the loop has been idle,
    with no I/O ready, that long (0: at once): ``await asyncio.sleep(86400)``
    returns at once with ``loop.time() == 86400``. Timers still run in order,
    each at its own time, and ``advance()`` still works. In this mode a wait
    with no timer and nothing else to wake the loop is a deadlock
    (``DeadlockError``), while a sleep of a year is one jump.

    Example::

        class Test(asynctest.ClockedTestCase):
            async def test_timeout(self):
                task = asyncio.ensure_future(asyncio.sleep(10))
                await self.advance(10)
                self.assertTrue(task.done())
    """

    _asynctest_virtual_clock: ClassVar[bool] = True
    autojump_threshold: ClassVar[Optional[float]] = None

    async def advance(self, seconds: Any) -> None:
        """Move the loop clock forward by ``seconds``, running every timer due on the way.

        Timers run in order, each at its own time, including timers scheduled
        by callbacks during the advance. ``seconds`` must be finite and >= 0
        (ValueError otherwise).
        """
        clock = self._asynctest_active().clock
        assert clock is not None  # installed by the session of every ClockedTestCase
        await clock.advance(seconds)
