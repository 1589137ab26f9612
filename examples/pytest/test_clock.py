"""A virtual clock: the asynctest_clock fixture and autojump."""

import asyncio

import pytest


async def retry(operation, tries, delay):
    """Call ``operation`` until it returns True, waiting ``delay`` seconds between tries."""
    for _ in range(tries - 1):
        if await operation():
            return True
        await asyncio.sleep(delay)
    return await operation()


async def test_advance(asynctest_clock):
    calls = []

    async def refused():
        calls.append(asyncio.get_running_loop().time())
        return False

    task = asyncio.ensure_future(retry(refused, tries=3, delay=60))
    await asynctest_clock.advance(60)
    assert calls == [0, 60]
    await asynctest_clock.advance(60)
    assert calls == [0, 60, 120]
    assert await task is False


@pytest.mark.asynctest(autojump_threshold=0)
async def test_a_day_of_retries_in_no_time():
    async def refused():
        return False

    assert await retry(refused, tries=24, delay=3600) is False
    assert asyncio.get_running_loop().time() == 23 * 3600
