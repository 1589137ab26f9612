"""A heartbeat: the code under test of ``test_heartbeat.py`` ("Controlling time").

Like any asyncio code that a virtual clock can drive, it waits only with
asyncio (``asyncio.sleep``) and never reads ``time.time()``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable


class Heartbeat:
    """Awaits ``ping()`` every ``interval`` seconds, in a background task, until stopped."""

    def __init__(self, ping: Callable[[], Awaitable[Any]], interval: float = 30.0) -> None:
        self.ping = ping
        self.interval = interval
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        """Stop pinging."""
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.ping()
