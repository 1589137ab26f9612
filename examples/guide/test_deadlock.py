"""docs/guide.md, "Deadlocks": a test that waits for an event nothing sets.

It fails on purpose, at once, with the report of guide_deadlock.txt.
"""

import asyncio

import asynctest


class TestFetch(asynctest.TestCase):
    async def test_fetch(self):
        answered = asyncio.Event()
        await answered.wait()            # nothing will ever set it
