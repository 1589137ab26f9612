"""A coroutine called without ``await``: the ``unawaited_coroutines`` check.

Fails on purpose: ``python -m asynctest hidden.test_unawaited_coroutines``
from ``examples/``.
"""

import asynctest


class Cache:
    def __init__(self):
        self.data = {"a": 1}

    async def clear(self):
        self.data.clear()


class CacheTest(asynctest.TestCase):
    @asynctest.fail_on(unawaited_coroutines=True)
    async def test_clear(self):
        cache = Cache()
        cache.clear()  # missing await: nothing is cleared
        self.assertEqual(cache.data, {"a": 1})
