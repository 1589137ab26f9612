"""docs/guide.md, "Timeouts": a class's timeout, a method's, and none.

``test_fetch`` fails on purpose: it waits 10 s where it may take 0.5 s.
"""

import asyncio

import asynctest


class TestFetch(asynctest.TestCase):
    timeout = 5                      # every phase of every test of the class

    @asynctest.timeout(0.5)          # this test's phases: the method wins
    async def test_fetch(self):
        await asyncio.sleep(10)      # a server that never answers

    @asynctest.timeout(None)         # no limit for this one
    async def test_slow(self):
        await asyncio.sleep(0.01)
