"""docs/guide.md, "Checks": a check on one method, every check on a class.

``TestHandles.test_x`` fails on purpose: it leaves a timer scheduled.
"""

import asyncio

import asynctest


class TestHandles(asynctest.TestCase):
    @asynctest.fail_on(active_handles=True)      # on a method or a class
    async def test_x(self):
        self.loop.call_later(3600, print, "too late")   # still scheduled at the end: fails


@asynctest.strict     # every check on;  @asynctest.lenient: every check off
class TestAll(asynctest.TestCase):
    async def test_leaves_nothing(self):
        task = asyncio.ensure_future(asyncio.sleep(3600))
        await asyncio.sleep(0)
        task.cancel()                  # cancelled and awaited: nothing left
        with self.assertRaises(asyncio.CancelledError):
            await task
