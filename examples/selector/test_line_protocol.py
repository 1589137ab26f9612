"""Worked example: testing a line protocol with a SocketMock instead of a network.

The peer is a ``SocketMock``: ``recv.side_effect`` lists what the peer sends,
chunk by chunk (``b""`` is the peer closing the connection), and each
``set_read_ready(sock, loop)`` lets the transport read one chunk, as if the
network had delivered it. What our code sends is recorded by ``sock.send``.

Run it with ``python -m unittest -v test_line_protocol`` from this folder.
"""

from __future__ import annotations

import asyncio
import unittest

from line_protocol import PeerClosed, request, serve

from asynctest.selector import (
    SocketMock,
    install_test_selector,
    set_read_ready,
    uninstall_test_selector,
)


class LineProtocolTest(unittest.TestCase):
    # asynctest.TestCase will do this for us; here it is spelled out.
    def setUp(self) -> None:
        self.loop = asyncio.new_event_loop()
        install_test_selector(self.loop)
        self.sock = SocketMock()

    def tearDown(self) -> None:
        uninstall_test_selector(self.loop)
        self.loop.close()

    def run_bounded(self, coro):
        return self.loop.run_until_complete(asyncio.wait_for(coro, 5))

    def deliver(self, chunks: int) -> None:
        """Let the peer's next ``chunks`` chunks arrive."""
        for _ in range(chunks):
            set_read_ready(self.sock, self.loop)

    def test_request_reads_an_answer_that_arrives_in_two_parts(self):
        self.sock.recv.side_effect = [b"PO", b"NG\n"]

        async def scenario():
            reader, writer = await asyncio.open_connection(sock=self.sock)
            self.deliver(2)
            answer = await request(reader, writer, "PING")
            writer.close()
            await writer.wait_closed()
            return answer

        self.assertEqual(self.run_bounded(scenario()), "PONG")
        self.sock.send.assert_called_once_with(b"PING\n")

    def test_request_fails_when_the_peer_closes_in_the_middle_of_the_answer(self):
        self.sock.recv.side_effect = [b"PO", b""]

        async def scenario():
            reader, writer = await asyncio.open_connection(sock=self.sock)
            self.deliver(2)
            try:
                with self.assertRaisesRegex(PeerClosed, "after sending b'PO'"):
                    await request(reader, writer, "PING")
            finally:
                writer.close()
                await writer.wait_closed()

        self.run_bounded(scenario())

    def test_server_answers_each_line_until_the_peer_closes(self):
        # Two lines, the second one split, then the peer closes.
        self.sock.recv.side_effect = [b"hello\nwor", b"ld\n", b""]

        async def scenario():
            reader, writer = await asyncio.open_connection(sock=self.sock)
            self.deliver(3)
            return await serve(reader, writer, str.upper)

        self.assertEqual(self.run_bounded(scenario()), 2)
        sent = [call.args[0] for call in self.sock.send.call_args_list]
        self.assertEqual(sent, [b"HELLO\n", b"WORLD\n"])
        self.sock.close.assert_called_once_with()

    def test_server_does_not_answer_a_line_the_peer_left_unfinished(self):
        self.sock.recv.side_effect = [b"half a li", b""]

        async def scenario():
            reader, writer = await asyncio.open_connection(sock=self.sock)
            self.deliver(2)
            return await serve(reader, writer, str.upper)

        self.assertEqual(self.run_bounded(scenario()), 0)
        self.sock.send.assert_not_called()


if __name__ == "__main__":
    unittest.main()
