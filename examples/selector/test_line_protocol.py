"""Worked example: testing a line protocol with a SocketMock instead of a network.

The peer is a ``SocketMock``: ``recv.side_effect`` lists what the peer sends,
chunk by chunk (``b""`` is the peer closing the connection), and each
``set_read_ready(sock, self.loop)`` lets the transport read one chunk, as if
the network had delivered it. What our code sends is recorded by ``sock.send``.
The loop of an ``asynctest.TestCase`` watches mocks through its TestSelector.

Run it with ``python -m asynctest -v test_line_protocol`` from this folder.
"""

from __future__ import annotations

import asyncio

from line_protocol import PeerClosed, request, serve

import asynctest
from asynctest.selector import SocketMock, set_read_ready


@asynctest.strict
class LineProtocolTest(asynctest.TestCase):
    timeout_seconds = 5

    def setUp(self) -> None:
        self.sock = SocketMock()

    def deliver(self, chunks: int) -> None:
        """Let the peer's next ``chunks`` chunks arrive."""
        for _ in range(chunks):
            set_read_ready(self.sock, self.loop)

    async def test_request_reads_an_answer_that_arrives_in_two_parts(self):
        self.sock.recv.side_effect = [b"PO", b"NG\n"]
        reader, writer = await asyncio.open_connection(sock=self.sock)
        self.deliver(2)
        answer = await asyncio.wait_for(request(reader, writer, "PING"), self.timeout_seconds)
        writer.close()
        await writer.wait_closed()
        self.assertEqual(answer, "PONG")
        self.sock.send.assert_called_once_with(b"PING\n")

    async def test_request_fails_when_the_peer_closes_in_the_middle_of_the_answer(self):
        self.sock.recv.side_effect = [b"PO", b""]
        reader, writer = await asyncio.open_connection(sock=self.sock)
        self.deliver(2)
        try:
            with self.assertRaisesRegex(PeerClosed, "after sending b'PO'"):
                await asyncio.wait_for(request(reader, writer, "PING"), self.timeout_seconds)
        finally:
            writer.close()
            await writer.wait_closed()

    async def test_server_answers_each_line_until_the_peer_closes(self):
        # Two lines, the second one split, then the peer closes.
        self.sock.recv.side_effect = [b"hello\nwor", b"ld\n", b""]
        reader, writer = await asyncio.open_connection(sock=self.sock)
        self.deliver(3)
        answered = await asyncio.wait_for(serve(reader, writer, str.upper), self.timeout_seconds)
        self.assertEqual(answered, 2)
        sent = [call.args[0] for call in self.sock.send.call_args_list]
        self.assertEqual(sent, [b"HELLO\n", b"WORLD\n"])
        self.sock.close.assert_called_once_with()

    async def test_server_does_not_answer_a_line_the_peer_left_unfinished(self):
        self.sock.recv.side_effect = [b"half a li", b""]
        reader, writer = await asyncio.open_connection(sock=self.sock)
        self.deliver(2)
        answered = await asyncio.wait_for(serve(reader, writer, str.upper), self.timeout_seconds)
        self.assertEqual(answered, 0)
        self.sock.send.assert_not_called()


if __name__ == "__main__":
    asynctest.main()
