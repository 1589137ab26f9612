"""Plain async def tests, with async fixtures, on asynctest's engine."""

import asyncio

import pytest
from echo import ask


async def test_echo(port):
    assert await ask(port, "hello") == "HELLO"


async def test_two_clients_at_once(port):
    answers = await asyncio.gather(ask(port, "one"), ask(port, "two"))
    assert answers == ["ONE", "TWO"]


async def test_runs_on_the_loop_of_the_test(server, asynctest_loop):
    assert asyncio.get_running_loop() is asynctest_loop
    assert server.get_loop() is asynctest_loop


@pytest.mark.parametrize("text", ["a", "MiXeD", ""])
async def test_parametrized(port, text):
    assert await ask(port, text) == text.upper()


@pytest.mark.asynctest(timeout=1, strict=True)  # options for this test only
async def test_with_every_check_on(port):
    assert await ask(port, "strict") == "STRICT"
