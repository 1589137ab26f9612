"""docs/mock.md: a patched coroutine function, and a test that waits until it is awaited."""

import asyncio

import asynctest
from asynctest.mock import CoroutineMock, patch
from mocking_guide import shop


class TestShop(asynctest.TestCase):
    @patch("mocking_guide.shop.fetch")                # fetch is `async def`
    async def test_fetch_is_awaited(self, fetch):     # fetch is a CoroutineMock
        self.assertIsInstance(fetch, CoroutineMock)
        fetch.return_value = {"id": 1}
        task = asyncio.ensure_future(shop.show(1))    # another task calls fetch
        await fetch.awaited.wait()                    # returns once awaited
        fetch.assert_awaited_once_with(1)
        self.assertEqual(await task, "item 1")
