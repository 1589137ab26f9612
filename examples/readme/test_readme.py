import asyncio

import asynctest


async def fetch_with_retry(fetch, attempts=3, delay=10.0):
    for attempt in range(attempts):
        try:
            return await fetch()
        except ConnectionError:
            await asyncio.sleep(delay * 2**attempt)
    raise ConnectionError(f"gave up after {attempts} attempts")


class TestRetry(asynctest.ClockedTestCase):
    autojump_threshold = 0  # the loop's clock jumps over every sleep

    async def test_retries_until_the_server_answers(self):
        fetch = asynctest.CoroutineMock(side_effect=[ConnectionError, ConnectionError, "ok"])
        self.assertEqual(await fetch_with_retry(fetch), "ok")
        self.assertEqual(fetch.await_count, 3)
        self.assertEqual(self.loop.time(), 30.0)  # slept 10 s + 20 s, in no real time

    @asynctest.fail_on(pending_tasks=True)
    async def test_a_forgotten_task_fails_the_test(self):
        asyncio.create_task(asyncio.sleep(60))  # fails: a task still pending at the end
