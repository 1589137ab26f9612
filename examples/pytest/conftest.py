"""Fixtures of the pytest chapter: an async yield fixture, run on the test's loop."""

import asyncio

import pytest
from echo import handle


@pytest.fixture
async def server():
    """An echo server on a free port of the loopback interface, closed after the test."""
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    yield server
    server.close()
    await server.wait_closed()


@pytest.fixture
def port(server):
    """The server's port (a plain fixture can use an async one)."""
    return server.sockets[0].getsockname()[1]
