"""A callback that raises where nobody sees it: the ``loop_exceptions`` check.

Fails on purpose: ``python -m asynctest hidden.test_loop_exceptions`` from ``examples/``.
"""

import asyncio

import asynctest


class Counter:
    def __init__(self):
        self.counts = {}

    def count(self, word):
        self.counts[word] += 1  # KeyError for a word never seen


class CounterTest(asynctest.TestCase):
    @asynctest.fail_on(loop_exceptions=True)
    async def test_count_later(self):
        counter = Counter()
        self.loop.call_soon(counter.count, "spam")
        await asyncio.sleep(0)  # the callback runs, raises, and the loop only logs it
