"""The code under test of the pytest chapter: an echo server and its client."""

import asyncio


async def handle(reader, writer):
    """Send every line back, upper-cased, until the client closes."""
    try:
        while line := await reader.readline():
            writer.write(line.upper())
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()


async def ask(port, text):
    """Connect to the server on ``port``, send one line, return the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(text.encode() + b"\n")
        await writer.drain()
        return (await reader.readline()).decode().rstrip("\n")
    finally:
        writer.close()
        await writer.wait_closed()
