"""Helpers of the I/O mock tests: bounded runs on a loop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")

#: Longest any test may wait on the loop before it is reported as hung.
TIMEOUT = 5.0


def run(loop: asyncio.AbstractEventLoop, aw: Awaitable[T], timeout: float = TIMEOUT) -> T:
    """Run ``aw`` on ``loop``, failing with TimeoutError instead of hanging."""
    return loop.run_until_complete(asyncio.wait_for(aw, timeout))


async def turns(n: int = 5) -> None:
    """Let the loop go round ``n`` times (enough for set_*_ready to be seen)."""
    for _ in range(n):
        await asyncio.sleep(0)
