"""A small client, the code under test of the guide's examples."""

from __future__ import annotations

import asyncio


class Client:
    """Answers ``fetch(key)`` with the key upper-cased, after a turn of the loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.closed = False

    async def fetch(self, key: str) -> bytes:
        await asyncio.sleep(0)
        return key.upper().encode()

    async def close(self) -> None:
        await asyncio.sleep(0)
        self.closed = True


async def connect(loop: asyncio.AbstractEventLoop) -> Client:
    """Open a client (here: after one turn of the loop)."""
    await asyncio.sleep(0)
    return Client(loop)


class GaveUp(Exception):
    """Every try failed."""


async def fetch_with_retries(tries: int = 3, delay: float = 1.0) -> None:
    """Try ``tries`` times, ``delay`` seconds apart, then give up."""
    for _ in range(tries - 1):
        await asyncio.sleep(delay)
    raise GaveUp(f"gave up after {tries} tries")


async def always_refused() -> None:
    """An attempt at a server that is down."""
    await asyncio.sleep(0)
    raise ConnectionRefusedError("connection refused")


async def with_backoff(attempt, *, first_delay=1.0, factor=2.0, max_delay=300.0, deadline=3600.0):
    """Await ``attempt()`` until it succeeds, waiting longer after each failure.

    Raises GaveUp when the next try would start more than ``deadline``
    seconds (of the loop's clock) after the first.
    """
    loop = asyncio.get_running_loop()
    started = loop.time()
    delay = first_delay
    while True:
        try:
            return await attempt()
        except OSError as exc:
            if loop.time() + delay - started > deadline:
                raise GaveUp(f"gave up at {loop.time()} s") from exc
        await asyncio.sleep(delay)
        delay = min(delay * factor, max_delay)
