"""A test that leaves its client's tasks pending: the report of docs/guide.md, "Reading a report".

Run it with ``python -m asynctest examples/reports/test_client.py`` from the
project's root: it fails on purpose.
"""

import asyncio

import asynctest


class Client:
    def __init__(self):
        self._queue = asyncio.Queue()
        self._task = asyncio.ensure_future(self.run())

    async def run(self):
        await asyncio.gather(self.fetch_loop(), self.heartbeat())

    async def fetch_loop(self):
        while True:
            item = await self._queue.get()
            print(item)

    async def heartbeat(self):
        while True:
            await asyncio.sleep(30)


class TestClient(asynctest.TestCase):
    debug = True  # asyncio debug mode: the report also says where tasks were created

    @asynctest.fail_on(pending_tasks=True)
    async def test_fetch(self):
        client = Client()
        await asyncio.sleep(0)
        self.assertIsNotNone(client)
