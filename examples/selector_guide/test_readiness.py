"""docs/selector.md: a SocketMock read in two chunks; a reader left registered.

``test_leaves_a_reader`` fails on purpose (the active_selector_callbacks check).
"""

import asyncio

import asynctest
from asynctest.selector import SocketMock, set_read_ready


class TestReadiness(asynctest.TestCase):
    async def test_an_answer_in_two_chunks(self):
        loop = self.loop
        sock = SocketMock()
        sock.recv.side_effect = [b"PO", b"NG\n"]
        reader, writer = await asyncio.open_connection(sock=sock)
        set_read_ready(sock, loop)
        set_read_ready(sock, loop)
        assert await reader.readline() == b"PONG\n"
        writer.close()
        await writer.wait_closed()

    @asynctest.fail_on(active_selector_callbacks=True)
    async def test_leaves_a_reader(self):
        sock = SocketMock()
        self.loop.add_reader(sock, print, "readable")   # never removed: fails
