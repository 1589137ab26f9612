"""The problems of this folder, fixed: every test passes with every check on.

``python -m asynctest -v hidden.test_fixed`` from ``examples/``.
"""

import asyncio
import socket

from hidden.test_active_handles import Poller
from hidden.test_leaked_threads import Heartbeat
from hidden.test_pending_tasks import worker
from hidden.test_unawaited_coroutines import Cache

import asynctest


@asynctest.strict  # every check on, for every test of the class
class FixedTest(asynctest.TestCase):
    timeout = 5

    async def test_runs_a_job(self):
        queue = asyncio.Queue()
        done = asyncio.Event()
        task = asyncio.ensure_future(worker(queue))
        self.addCleanup(task.cancel)  # cancelled before the checks judge
        queue.put_nowait(done.set)
        await done.wait()

    async def test_clear(self):
        cache = Cache()
        await cache.clear()
        self.assertEqual(cache.data, {})

    async def test_free_port(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.assertGreater(sock.getsockname()[1], 0)

    async def test_starts_beating(self):
        heartbeat = Heartbeat()
        self.addCleanup(heartbeat.stop)
        self.assertTrue(heartbeat.thread.is_alive())

    @asynctest.lenient  # every check off for this test: the method wins over the class
    async def test_first_poll(self):
        poller = Poller(self.loop)
        poller.poll()  # leaves its timer: nobody judges it here
        self.assertEqual(poller.polls, 1)
