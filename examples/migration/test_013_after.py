"""The module of test_013_before.py, for asynctest-ng on Python 3.9-3.13.

docs/migration/from-asynctest-0.13.md shows the two side by side.
"""

import asynctest
from migration.client import Client, notify, parse


class TestClient(asynctest.TestCase):
    async def test_fetch(self):
        result = await Client().fetch("a")
        self.assertEqual(result, b"A")

    @asynctest.fail_on(unused_loop=False)
    def test_parse(self):
        self.assertEqual(parse(b"A"), "a")

    async def test_notify_awaits_a_coroutine_handler(self):
        handler = asynctest.CoroutineMock(return_value="done")
        result = await notify(handler, "event")
        self.assertEqual(result, "done")
        handler.assert_awaited_once_with("event")
