"""A client that retries with exponential backoff: the code under test of ``test_backoff.py``.

It reads time only through ``loop.time()`` and waits only with asyncio
(``asyncio.sleep``, ``asyncio.wait_for``), as asyncio code should: under a
``ClockedTestCase`` with autojump, an hour of retries takes milliseconds.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, TypeVar

T = TypeVar("T")


class GaveUp(ConnectionError):
    """Every attempt failed and the next one would start past the deadline."""

    def __init__(self, attempts: int, last: BaseException) -> None:
        super().__init__(f"gave up after {attempts} attempts (last error: {last!r})")
        self.attempts = attempts
        self.last = last


async def with_backoff(
    attempt: Callable[[], Awaitable[T]],
    *,
    first_delay: float = 1.0,
    factor: float = 2.0,
    max_delay: float = 300.0,
    attempt_timeout: float = 10.0,
    deadline: float = 3600.0,
) -> T:
    """Await ``attempt()`` until it succeeds, waiting longer after each failure.

    An attempt fails when it raises OSError or takes more than
    ``attempt_timeout`` seconds. The waits between attempts are
    ``first_delay``, then ``factor`` times the previous one, at most
    ``max_delay``. Raises :class:`GaveUp` when the next attempt would start
    more than ``deadline`` seconds after the first.
    """
    loop = asyncio.get_running_loop()
    started = loop.time()
    delay = first_delay
    attempts = 0
    while True:
        attempts += 1
        try:
            return await asyncio.wait_for(attempt(), attempt_timeout)
        except (OSError, asyncio.TimeoutError) as exc:
            last = exc
        if loop.time() + delay - started > deadline:
            raise GaveUp(attempts, last)
        await asyncio.sleep(delay)
        delay = min(delay * factor, max_delay)


async def fetch_greeting(host: str, port: int) -> bytes:
    """Connect, read one line (the server's greeting), close: one attempt."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        return await reader.readline()
    finally:
        writer.close()
        await writer.wait_closed()
