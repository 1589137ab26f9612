"""docs/migration/from-isolated-asyncio-testcase.md, "What you gain".

Each test body is written once, in a mixin, and run under both classes: the
unittest class passes where asynctest's fails with a report (on purpose).
"""

import asyncio
import unittest

import asynctest


async def watch(queue, seen):
    while True:
        seen.append(await queue.get())


class ForgetsAWatcher:
    async def test_starts_a_watcher(self):
        queue, seen = asyncio.Queue(), []
        asyncio.ensure_future(watch(queue, seen))    # never stopped: a leak
        await queue.put("event")
        await asyncio.sleep(0)
        self.assertEqual(seen, ["event"])


class UnittestForgetsAWatcher(ForgetsAWatcher, unittest.IsolatedAsyncioTestCase):
    """Passes: the task is cancelled at the end, without a word."""


@asynctest.fail_on(pending_tasks=True)           # or @asynctest.strict: every check
class AsynctestForgetsAWatcher(ForgetsAWatcher, asynctest.TestCase):
    """Fails, naming the task and where it waits."""


class TestAnHourLongWait(asynctest.ClockedTestCase):
    autojump_threshold = 0                       # the clock jumps to the next timer

    async def test_an_hour_in_milliseconds(self):
        await asyncio.sleep(3600)
        self.assertEqual(self.loop.time(), 3600)


class TestWithATimeout(asynctest.TestCase):
    timeout = 5                                  # real seconds, for each phase

    async def test_answers(self):
        self.assertEqual(await asyncio.wait_for(asyncio.sleep(0, "pong"), 1), "pong")
