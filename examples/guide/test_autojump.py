"""docs/guide.md, "Virtual time that runs itself": an hour of retries, in milliseconds."""

import asynctest
from guide.fetch import GaveUp, always_refused, with_backoff


class TestRetry(asynctest.ClockedTestCase):
    autojump_threshold = 0           # jump as soon as the loop is idle

    async def test_gives_up_after_an_hour(self):
        with self.assertRaises(GaveUp):
            await with_backoff(always_refused)    # an hour of retries, in milliseconds
        self.assertEqual(self.loop.time(), 3511)
