"""``ClockedTestCase``: a TestCase whose loop runs on a virtual clock."""

from __future__ import annotations

from typing import Any, ClassVar

from .case import TestCase


class ClockedTestCase(TestCase):
    """A TestCase whose loop clock starts at 0 and moves only through :meth:`advance`.

    ``loop.time()`` is virtual; ``time.time()`` and ``time.monotonic()`` are
    untouched. The loop must be an asyncio loop (uvloop's clock cannot be
    replaced: the test fails in setUp with a TypeError saying so).

    Example::

        class Test(asynctest.ClockedTestCase):
            async def test_timeout(self):
                task = asyncio.ensure_future(asyncio.sleep(10))
                await self.advance(10)
                self.assertTrue(task.done())
    """

    _asynctest_virtual_clock: ClassVar[bool] = True

    async def advance(self, seconds: Any) -> None:
        """Move the loop clock forward by ``seconds``, running every timer due on the way.

        Timers run in order, each at its own time, including timers scheduled
        by callbacks during the advance. ``seconds`` must be finite and >= 0
        (ValueError otherwise).
        """
        clock = self._asynctest_active().clock
        assert clock is not None  # installed by the session of every ClockedTestCase
        await clock.advance(seconds)
