"""pytest-asyncio's tests and asynctest's tests side by side (pytest-asyncio in strict mode)."""

import asyncio

import pytest
import pytest_asyncio
from echo import ask


@pytest_asyncio.fixture
async def their_loop():
    return asyncio.get_running_loop()


@pytest.mark.asyncio  # pytest-asyncio runs this one, on its own loop
async def test_run_by_pytest_asyncio(their_loop):
    assert asyncio.get_running_loop() is their_loop


async def test_run_by_asynctest(asynctest_loop, port):  # asynctest runs the others
    assert asyncio.get_running_loop() is asynctest_loop
    assert await ask(port, "ours") == "OURS"
