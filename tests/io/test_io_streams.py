"""asyncio streams and transports over a SocketMock, on every supported Python.

Transports call ``recv`` or ``recv_into`` to read and ``send`` or ``sendmsg`` to
write depending on the Python version; the tests configure ``recv``/``send``
only and must pass everywhere.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any
from unittest.mock import DEFAULT

import pytest
from _io_support import run, turns

from asynctest.selector import SocketMock, set_read_ready, set_write_ready


class Wire:
    """Records what a SocketMock really sent; ``plan`` says how much each send takes.

    A plan item is a number of bytes to accept or an exception to raise; once the
    plan is used up, every send takes everything.
    """

    def __init__(self, sock: SocketMock, *plan: Any) -> None:
        self.data = b""
        self._plan = list(plan)
        sock.send.side_effect = self._send

    def _send(self, data: Any, *args: Any) -> int:
        data = bytes(data)
        step = self._plan.pop(0) if self._plan else len(data)
        if isinstance(step, BaseException):
            raise step
        self.data += data[:step]
        return min(step, len(data))


async def close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    await writer.wait_closed()


# --- reading


def test_open_connection_reads_what_recv_returns(loop):
    sock = SocketMock()
    sock.recv.side_effect = [b"hello\n"]

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        set_read_ready(sock, loop)
        line = await reader.readline()
        await close(writer)
        return line

    assert run(loop, main()) == b"hello\n"


def test_a_partial_read_waits_for_the_next_read_ready(loop):
    sock = SocketMock()
    sock.recv.side_effect = [b"hel", b"lo\n"]

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        set_read_ready(sock, loop)
        line = asyncio.ensure_future(reader.readline())
        await turns()
        assert not line.done()
        set_read_ready(sock, loop)
        result = await line
        await close(writer)
        return result

    assert run(loop, main()) == b"hello\n"


def test_blocking_io_error_from_recv_means_not_ready(loop):
    sock = SocketMock()
    sock.recv.side_effect = [BlockingIOError(), b"data"]

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        set_read_ready(sock, loop)
        set_read_ready(sock, loop)
        data = await reader.read(4)
        await close(writer)
        return data

    assert run(loop, main()) == b"data"


def test_empty_recv_is_end_of_file(loop):
    sock = SocketMock()
    sock.recv.side_effect = [b"last words", b""]

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        set_read_ready(sock, loop)
        set_read_ready(sock, loop)
        data = await reader.read()
        eof = reader.at_eof()
        await close(writer)
        return data, eof

    assert run(loop, main()) == (b"last words", True)


def test_recv_error_reaches_the_reader(loop):
    sock = SocketMock()
    sock.recv.side_effect = ConnectionResetError("peer reset")

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        set_read_ready(sock, loop)
        with pytest.raises(ConnectionResetError, match="peer reset"):
            await reader.read(10)
        writer.close()
        with pytest.raises(ConnectionResetError):  # the transport died of it
            await writer.wait_closed()

    run(loop, main())


def test_create_connection_delivers_chunks_to_the_protocol(loop):
    sock = SocketMock()
    sock.recv.side_effect = [b"one", b"two", b""]

    class Collect(asyncio.Protocol):
        def __init__(self) -> None:
            self.chunks: list[bytes] = []
            self.lost = loop.create_future()

        def data_received(self, data: bytes) -> None:
            self.chunks.append(data)

        def connection_lost(self, exc: Any) -> None:
            self.lost.set_result(exc)

    async def main():
        transport, protocol = await loop.create_connection(Collect, sock=sock)
        for _ in range(3):
            set_read_ready(sock, loop)
        assert await protocol.lost is None  # eof_received() returned None: closed
        return protocol.chunks

    assert run(loop, main()) == [b"one", b"two"]
    sock.close.assert_called_once_with()


def test_buffered_protocol_reads_through_recv_into(loop):
    sock = SocketMock()
    sock.recv.side_effect = [b"buffered"]

    class Buffered(asyncio.BufferedProtocol):
        def __init__(self) -> None:
            self.buffer = bytearray(64)
            self.got = loop.create_future()

        def get_buffer(self, sizehint: int) -> bytearray:
            return self.buffer

        def buffer_updated(self, nbytes: int) -> None:
            self.got.set_result(bytes(self.buffer[:nbytes]))

    async def main():
        transport, protocol = await loop.create_connection(Buffered, sock=sock)
        set_read_ready(sock, loop)
        data = await protocol.got
        transport.close()
        await turns()
        return data

    assert run(loop, main()) == b"buffered"
    assert sock.recv_into.called


def test_sock_recv_waits_for_read_ready(loop):
    sock = SocketMock()
    sock.recv.side_effect = [BlockingIOError(), b"raw"]

    async def main():
        pending = asyncio.ensure_future(loop.sock_recv(sock, 10))
        await turns()
        assert not pending.done()
        set_read_ready(sock, loop)
        return await pending

    assert run(loop, main()) == b"raw"


# --- writing


def test_write_sends_at_once(loop):
    sock = SocketMock()
    wire = Wire(sock)

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        writer.write(b"ping\n")
        await writer.drain()
        await close(writer)

    run(loop, main())
    assert wire.data == b"ping\n"


def test_partial_send_finishes_after_write_ready(loop):
    sock = SocketMock()
    wire = Wire(sock, 2)

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        writer.write(b"abcdef")
        await turns()
        assert wire.data == b"ab"
        set_write_ready(sock, loop)
        await turns()
        assert wire.data == b"abcdef"
        await close(writer)

    run(loop, main())


def test_blocking_io_error_from_send_buffers_until_write_ready(loop):
    sock = SocketMock()
    wire = Wire(sock, BlockingIOError())

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        writer.write(b"later")
        await turns()
        assert wire.data == b""
        set_write_ready(sock, loop)
        await turns()
        assert wire.data == b"later"
        await close(writer)

    run(loop, main())


def test_writelines_behind_a_blocked_write_is_sent_in_order(loop):
    sock = SocketMock()
    wire = Wire(sock, BlockingIOError())

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        writer.write(b"first")
        writer.writelines([b" and ", b"more"])  # 3.12+ tries to send at once
        set_write_ready(sock, loop)
        await close(writer)

    run(loop, main())
    assert wire.data == b"first and more"


def test_default_in_a_send_plan_sends_the_rest(loop):
    sock = SocketMock()
    sock.send.side_effect = [1, DEFAULT]

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        writer.write(b"xyz")
        await turns()
        assert writer.transport.get_write_buffer_size() == 2
        set_write_ready(sock, loop)
        await turns()
        assert writer.transport.get_write_buffer_size() == 0
        await close(writer)

    run(loop, main())
    assert sock.send.call_count == 2


def test_write_eof_shuts_the_socket_down(loop):
    sock = SocketMock()

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        writer.write_eof()
        await close(writer)

    run(loop, main())
    sock.shutdown.assert_called_once_with(socket.SHUT_WR)


def test_sock_sendall_uses_send(loop):
    sock = SocketMock()
    wire = Wire(sock, 3)

    async def main():
        sending = asyncio.ensure_future(loop.sock_sendall(sock, b"abcdef"))
        await turns()
        assert wire.data == b"abc"
        set_write_ready(sock, loop)
        await sending

    run(loop, main())
    assert wire.data == b"abcdef"


# --- closing


def test_closing_the_writer_closes_the_socket_and_removes_the_reader(loop):
    sock = SocketMock()

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        await close(writer)
        await turns()

    run(loop, main())
    sock.close.assert_called_once_with()
    assert len(loop._selector.get_map()) == 1  # the loop's own wake-up pipe only


def test_streams_work_on_a_debug_mode_loop(loop):
    loop.set_debug(True)
    sock = SocketMock()
    sock.recv.side_effect = [b"dbg"]

    async def main():
        reader, writer = await asyncio.open_connection(sock=sock)
        set_read_ready(sock, loop)
        data = await reader.read(3)
        await close(writer)
        return data

    assert run(loop, main()) == b"dbg"
