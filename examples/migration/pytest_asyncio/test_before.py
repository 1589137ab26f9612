"""Tests written for pytest-asyncio (strict mode); test_after.py is the same for asynctest."""

import asyncio

import pytest
import pytest_asyncio
from service import connect


@pytest.fixture(scope="module")
def settings():
    return {"name": "svc"}


@pytest_asyncio.fixture
async def service(settings):
    service = await connect(settings)
    yield service
    await service.close()


@pytest.mark.asyncio
async def test_ask(service):
    assert await service.ask("ready") == "svc: ready?"


@pytest.mark.asyncio
async def test_on_the_running_loop(service):
    loop = asyncio.get_running_loop()        # pytest-asyncio < 1.0: the event_loop fixture
    assert loop.is_running()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_service(settings):          # one connection for the module's tests
    service = await connect(settings)
    yield service
    await service.close()


@pytest.mark.asyncio(loop_scope="module")
async def test_shared(shared_service):
    assert await shared_service.ask("shared") == "svc: shared?"
