"""docs/guide.md, "pytest": a test that waits forever fails at once (on purpose)."""

import asyncio


async def test_waits_forever():
    await asyncio.Future()          # never completed
