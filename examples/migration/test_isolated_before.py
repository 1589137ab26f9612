"""docs/migration/from-isolated-asyncio-testcase.md: a test case to switch (before, after)."""

import asyncio
import contextlib
import unittest

from migration.client import Client


@contextlib.asynccontextmanager
async def connection(events):
    yield Client()
    events.append("disconnected")


class TestClient(unittest.IsolatedAsyncioTestCase):
    loop_factory = asyncio.SelectorEventLoop   # a class, or a staticmethod

    async def asyncSetUp(self):
        self.events = []
        self.client = await self.enterAsyncContext(connection(self.events))
        self.addAsyncCleanup(self.record, "cleanup")

    async def record(self, event):
        self.events.append(event)

    async def test_fetch(self):
        self.assertIsInstance(asyncio.get_running_loop(), asyncio.SelectorEventLoop)
        self.assertEqual(await self.client.fetch("a"), b"A")

    async def asyncTearDown(self):
        await self.record("asyncTearDown")
