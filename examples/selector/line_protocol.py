"""A tiny line protocol over asyncio streams: one request line, one answer line.

The code under test of the worked example in ``test_line_protocol.py``: it knows
nothing about mocks and runs the same over a real socket.
"""

from __future__ import annotations

import asyncio
from typing import Callable


class PeerClosed(ConnectionError):
    """The other side closed the connection before a full line arrived."""


async def request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, command: str) -> str:
    """Send ``command`` as one line and return the answer line, without its newline."""
    writer.write(command.encode() + b"\n")
    await writer.drain()
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as exc:
        raise PeerClosed(f"peer closed the connection after sending {exc.partial!r}") from None
    return line[:-1].decode()


async def serve(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    handler: Callable[[str], str],
) -> int:
    """Answer every line with ``handler(line)`` until the peer closes; then close.

    Returns how many lines were answered. A last line without its newline (the
    peer closed in the middle of it) is not answered.
    """
    answered = 0
    try:
        while True:
            line = await reader.readline()
            if not line.endswith(b"\n"):
                return answered
            writer.write(handler(line[:-1].decode()).encode() + b"\n")
            await writer.drain()
            answered += 1
    finally:
        writer.close()
        await writer.wait_closed()
