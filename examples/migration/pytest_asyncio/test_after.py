"""The tests of test_before.py, run by asynctest's plugin (asynctest_mode = auto)."""

import asyncio

import pytest
from service import connect

import asynctest


@pytest.fixture(scope="module")
def settings():                              # a sync fixture may have any scope
    return {"name": "svc"}


@pytest.fixture                              # was @pytest_asyncio.fixture
async def service(settings):
    service = await connect(settings)
    yield service
    await service.close()


async def test_ask(service):                 # was @pytest.mark.asyncio
    assert await service.ask("ready") == "svc: ready?"


async def test_on_the_running_loop(service, asynctest_loop):   # was event_loop
    assert asyncio.get_running_loop() is asynctest_loop


@pytest.mark.asynctest(timeout=5, fail_on={"pending_tasks": True})
async def test_with_options(service):
    assert await asyncio.wait_for(service.ask("quick"), 1) == "svc: quick?"


@asynctest.strict                            # asynctest's decorators work too
async def test_with_every_check(service):
    assert await service.ask("clean") == "svc: clean?"


@pytest.fixture                              # a loop lives for one test: function scope
async def shared_service(settings):
    service = await connect(settings)
    yield service
    await service.close()


async def test_shared(shared_service):
    assert await shared_service.ask("shared") == "svc: shared?"
