"""docs/migration/from-isolated-asyncio-testcase.md: a test that waits forever.

Not named test_*: under unittest it never ends. The test suite runs
``WaitsUnderUnittest`` in a subprocess that it kills after a few seconds, and
``WaitsUnderAsynctest``, which fails at once with "deadlock".
"""

import asyncio
import unittest

import asynctest


class WaitsForAnAnswer:
    async def test_waits_for_an_answer(self):
        answered = asyncio.Event()
        await answered.wait()                    # nothing will ever set it


class WaitsUnderUnittest(WaitsForAnAnswer, unittest.IsolatedAsyncioTestCase):
    """Waits forever."""


class WaitsUnderAsynctest(WaitsForAnAnswer, asynctest.TestCase):
    """Fails at once: DeadlockError."""
