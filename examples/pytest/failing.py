"""Failures as pytest shows them: a deadlock and a check (not collected by default).

``python -m pytest failing.py`` from ``examples/pytest``: both tests fail on purpose.
"""

import asyncio

import pytest


class Job:
    def __init__(self):
        self.done = asyncio.Event()

    async def run(self):
        pass  # forgets self.done.set()


async def test_waits_for_a_job_that_never_says_it_is_done():
    job = Job()
    await job.run()
    await job.done.wait()


async def poll_forever():
    while True:
        await asyncio.sleep(1)


@pytest.mark.asynctest(fail_on={"pending_tasks": True})
async def test_leaves_a_poller_running():
    asyncio.ensure_future(poll_forever())
