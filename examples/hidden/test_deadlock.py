"""A test that waits for an event nobody will ever set: deadlock detection.

Fails on purpose: ``python -m asynctest hidden.test_deadlock`` from ``examples/``.
"""

import asyncio

import asynctest


class Connection:
    def __init__(self):
        self.ready = asyncio.Event()

    async def connect(self):
        pass  # forgets self.ready.set()

    async def send(self, data):
        await self.ready.wait()
        return len(data)


class ConnectionTest(asynctest.TestCase):
    async def test_send_after_connect(self):
        connection = Connection()
        await connection.connect()
        self.assertEqual(await connection.send(b"hello"), 5)
