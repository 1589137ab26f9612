"""SocketMock, readiness and the TestSelector, one behaviour a test.

The tutorial's "Mocking I/O" chapter. Run it with
``python -m asynctest -v mocking_io.test_socket_mock`` from ``examples/``.
"""

import asyncio
import selectors
import socket

import asynctest
from asynctest.selector import (
    SocketMock,
    TestSelector,
    fd,
    isfilemock,
    set_read_ready,
    set_write_ready,
)


class SocketMockTest(asynctest.TestCase):
    def test_a_socket_mock_passes_for_a_socket(self):
        sock = SocketMock()
        self.assertIsInstance(sock, socket.socket)
        self.assertTrue(isfilemock(sock))
        self.assertEqual(fd(sock), sock.fileno())  # never the number of a real file
        with self.assertRaises(BlockingIOError):
            sock.recv(1024)  # nothing to read yet
        self.assertEqual(sock.send(b"hello"), 5)  # room to write it all

    async def test_each_notification_delivers_one_chunk(self):
        sock = SocketMock()
        sock.recv.side_effect = [b"first ", b"second", b""]
        reader, writer = await asyncio.open_connection(sock=sock)
        set_read_ready(sock, self.loop)
        self.assertEqual(await reader.read(100), b"first ")
        set_read_ready(sock, self.loop)
        set_read_ready(sock, self.loop)
        self.assertEqual(await reader.read(), b"second")  # then the peer closed
        writer.close()
        await writer.wait_closed()


class SlowPeerTest(asynctest.TestCase):
    async def test_the_rest_is_sent_when_the_socket_is_writable_again(self):
        sent = []

        def slow_peer(data):
            sent.append(bytes(data))  # a copy: the transport reuses its buffer
            return 2 if len(sent) == 1 else len(data)  # two bytes first, then all

        sock = SocketMock()
        sock.send.side_effect = slow_peer
        reader, writer = await asyncio.open_connection(sock=sock)
        writer.write(b"hello\n")
        await asyncio.sleep(0)
        self.assertEqual(sent, [b"hello\n"])  # the transport waits for writability
        set_write_ready(sock, self.loop)
        await asynctest.exhaust_callbacks(self.loop)  # the transport's writer runs
        self.assertEqual(sent, [b"hello\n", b"llo\n"])
        writer.close()
        await writer.wait_closed()


class TestSelectorTest(asynctest.TestCase):
    def test_mocks_and_real_sockets_in_one_select(self):
        real, peer = socket.socketpair()
        self.addCleanup(real.close)
        self.addCleanup(peer.close)
        mock = SocketMock()
        selector = TestSelector(selectors.DefaultSelector())
        self.addCleanup(selector.close)
        selector.register(real, selectors.EVENT_READ, "real")
        selector.register(mock, selectors.EVENT_READ, "mock")

        peer.send(b"x")  # the real socket becomes readable for real
        selector.set_ready(mock, selectors.EVENT_READ)  # the mock, because we say so
        ready = {key.data for key, _ in selector.select(timeout=1)}
        self.assertEqual(ready, {"real", "mock"})
