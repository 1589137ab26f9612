"""A thread started by the code under test and never stopped: the ``leaked_threads`` check.

Fails on purpose: ``python -m asynctest hidden.test_leaked_threads`` from ``examples/``.
"""

import threading

import asynctest


class Heartbeat:
    def __init__(self):
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.beat, name="heartbeat", daemon=True)
        self.thread.start()

    def beat(self):
        while not self.stopped.wait(0.05):
            pass

    def stop(self):
        self.stopped.set()
        self.thread.join()


class HeartbeatTest(asynctest.TestCase):
    @asynctest.fail_on(leaked_threads=True)
    async def test_starts_beating(self):
        heartbeat = Heartbeat()  # heartbeat.stop() forgotten
        self.assertTrue(heartbeat.thread.is_alive())
