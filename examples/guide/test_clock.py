"""docs/guide.md, "A virtual clock": three tries one second apart, in no time."""

import asyncio

import asynctest
from guide.fetch import GaveUp, fetch_with_retries


class TestRetry(asynctest.ClockedTestCase):
    async def test_gives_up_after_three_tries(self):
        task = asyncio.ensure_future(fetch_with_retries())   # sleeps 1 s between tries
        await self.advance(3)
        self.assertTrue(task.done())
        with self.assertRaises(GaveUp):
            task.result()
