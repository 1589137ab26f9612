"""docs/guide.md, "A test's life": setUp opens a client, a cleanup closes it."""

import asynctest
from guide.fetch import connect


class TestFetch(asynctest.TestCase):
    async def setUp(self):              # or asyncSetUp, or a plain setUp
        self.client = await connect(self.loop)
        self.addCleanup(self.client.close)   # a coroutine function is awaited too

    async def test_fetch(self):
        self.assertEqual(await self.client.fetch("a"), b"A")
