"""Tests of the heartbeat on a virtual clock: moved by hand with advance(), or by itself.

Run it with ``python -m asynctest -v test_heartbeat`` from this folder.
``TestWaitingOnAManualClock`` fails on purpose (its clock never moves: the
test times out); ``python -m asynctest --autojump 0 test_heartbeat`` makes it pass.
"""

from heartbeat import Heartbeat

import asynctest
from asynctest import CoroutineMock


class TestHeartbeat(asynctest.ClockedTestCase):
    async def setUp(self):
        self.ping = CoroutineMock()
        self.heartbeat = Heartbeat(self.ping, interval=30)
        self.addCleanup(self.heartbeat.stop)

    async def test_first_ping_after_30_seconds(self):
        await self.advance(29)
        self.ping.assert_not_awaited()

        await self.advance(1)
        self.ping.assert_awaited_once()

    async def test_pings_every_30_seconds(self):
        times = []
        self.ping.side_effect = lambda: times.append(self.loop.time())

        await self.advance(95)

        self.assertEqual(times, [30, 60, 90])
        self.assertEqual(self.loop.time(), 95)


class TestWaitingOnAManualClock(asynctest.ClockedTestCase):
    timeout = 1  # real seconds

    async def test_waits_for_the_first_ping(self):
        ping = CoroutineMock()
        heartbeat = Heartbeat(ping, interval=30)
        self.addCleanup(heartbeat.stop)

        await ping.awaited.wait()  # never returns


class TestWaitingOnAnAutojumpClock(asynctest.ClockedTestCase):
    @asynctest.autojump
    async def test_waits_for_the_first_ping(self):
        ping = CoroutineMock()
        heartbeat = Heartbeat(ping, interval=30)
        self.addCleanup(heartbeat.stop)

        await ping.awaited.wait()  # the clock jumps to the next timer: 30 s

        self.assertEqual(self.loop.time(), 30)

    @asynctest.autojump
    async def test_a_day_of_pings(self):
        ping = CoroutineMock()
        heartbeat = Heartbeat(ping, interval=30)
        self.addCleanup(heartbeat.stop)

        await ping.awaited.wait(skip=2879)  # the 2880th ping

        self.assertEqual(self.loop.time(), 24 * 3600)
