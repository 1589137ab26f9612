"""Worked example: an hour of retries with exponential backoff, tested in milliseconds.

With ``autojump_threshold = 0`` the loop's virtual clock jumps to the next
timer whenever the loop has nothing else to do: ``asyncio.sleep(300)`` and
``wait_for(..., 10)`` return at once, each at its exact virtual time, and
``self.loop.time()`` says when. The last test mixes in a real server on the
loopback interface: a small positive threshold lets real I/O complete before
the clock jumps.

Run it with ``python -m asynctest -v test_backoff`` from this folder.
"""

from __future__ import annotations

import asyncio
import socket

from backoff import GaveUp, fetch_greeting, with_backoff

import asynctest


class BackoffTest(asynctest.ClockedTestCase):
    autojump_threshold = 0  # jump as soon as the loop is idle
    timeout = 10  # real seconds: a safety net, never reached

    def setUp(self) -> None:
        self.attempts: list[float] = []

    def server_down_until(self, up_at: float, answer: str = "hello"):
        """An attempt that fails until virtual time ``up_at``, recording when it ran."""

        async def attempt() -> str:
            self.attempts.append(self.loop.time())
            if self.loop.time() < up_at:
                raise ConnectionRefusedError("server down")
            return answer

        return attempt

    async def test_retries_until_the_server_is_back_after_20_minutes(self):
        answer = await with_backoff(self.server_down_until(20 * 60))
        self.assertEqual(answer, "hello")
        # 1, 2, 4 ... 256 s between attempts, then 300 s (the cap).
        self.assertEqual(
            self.attempts, [0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 811, 1111, 1411]
        )
        self.assertEqual(self.loop.time(), 1411)

    async def test_gives_up_after_an_hour(self):
        with self.assertRaises(GaveUp) as caught:
            await with_backoff(self.server_down_until(float("inf")))
        self.assertEqual(caught.exception.attempts, 20)
        self.assertEqual(self.attempts[-1], 3511)  # the next one would start past 3600
        self.assertEqual(self.loop.time(), 3511)

    async def test_a_hung_attempt_times_out_after_10_seconds(self):
        calls: list[float] = []

        async def hangs_then_answers() -> str:
            calls.append(self.loop.time())
            if len(calls) < 3:
                await asyncio.Event().wait()  # never answers: the timeout ends it
            return "late hello"

        self.assertEqual(await with_backoff(hangs_then_answers), "late hello")
        # Each hung attempt costs its 10 s timeout, then the backoff delay.
        self.assertEqual(calls, [0, 11, 23])

    @asynctest.autojump(0.05)  # real I/O in flight completes before the clock jumps
    async def test_a_real_server_that_starts_after_10_minutes(self):
        async def greet(reader, writer):
            writer.write(b"hello from the server\n")
            await writer.drain()
            writer.close()

        # A free port on the loopback interface, with no server yet: refused.
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()

        servers = []

        async def start_server_later() -> None:
            await asyncio.sleep(600)
            servers.append(await asyncio.start_server(greet, "127.0.0.1", port))

        starting = asyncio.ensure_future(start_server_later())
        try:
            greeting = await with_backoff(lambda: fetch_greeting("127.0.0.1", port))
        finally:
            await starting
            for server in servers:
                server.close()
                await server.wait_closed()
        self.assertEqual(greeting, b"hello from the server\n")
        self.assertEqual(self.loop.time(), 811)  # the first attempt after 600 s


if __name__ == "__main__":
    asynctest.main()
