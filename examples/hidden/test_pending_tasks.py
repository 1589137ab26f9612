"""A worker task the test starts and never stops: the ``pending_tasks`` check.

Fails on purpose: ``python -m asynctest hidden.test_pending_tasks`` from ``examples/``.
"""

import asyncio

import asynctest


async def worker(queue):
    while True:
        job = await queue.get()
        job()


class WorkerTest(asynctest.TestCase):
    @asynctest.fail_on(pending_tasks=True)
    async def test_runs_a_job(self):
        queue = asyncio.Queue()
        done = asyncio.Event()
        asyncio.ensure_future(worker(queue))  # never cancelled
        queue.put_nowait(done.set)
        await done.wait()
