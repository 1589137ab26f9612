"""docs/guide.md, "pytest": an async fixture and a test on asynctest's engine."""

import asyncio
import contextvars

import pytest

request_id = contextvars.ContextVar("request_id")


async def handle(reader, writer):
    writer.write(await reader.readline())            # echo one line
    await writer.drain()
    writer.close()


@pytest.fixture
async def server():
    request_id.set("r-1")                 # seen by the test: one context
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    yield server                          # torn down on the test's loop
    server.close()
    await server.wait_closed()


@pytest.mark.asynctest(timeout=5, fail_on={"pending_tasks": True})
async def test_echo(server, asynctest_loop):
    assert asyncio.get_running_loop() is asynctest_loop
    assert request_id.get() == "r-1"
    host, port = server.sockets[0].getsockname()[:2]
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"hello\n")
    assert await reader.readline() == b"hello\n"
    writer.close()
    await writer.wait_closed()
