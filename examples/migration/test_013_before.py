"""A test module written for asynctest 0.13 (Python 3.5-3.7 style).

docs/migration/from-asynctest-0.13.md shows it next to test_013_after.py.
``@asyncio.coroutine`` was removed in Python 3.11: the test suite only
compiles this module there, and runs it on 3.9 and 3.10 (where asyncio still
has the decorator, with a DeprecationWarning).
"""

import asyncio

import asynctest
from migration.client import Client, notify, parse


class TestClient(asynctest.TestCase):
    @asyncio.coroutine
    def test_fetch(self):
        result = yield from Client().fetch("a")
        self.assertEquals(result, b"A")  # noqa: UP005 (0.13 spelling: warns)

    @asynctest.ignore_loop
    def test_parse(self):
        self.assertEqual(parse(b"A"), "a")

    @asyncio.coroutine
    def test_notify_awaits_a_coroutine_handler(self):
        handler = asynctest.CoroutineMock(return_value="done")
        result = yield from notify(handler, "event")
        self.assertEqual(result, "done")
        handler.assert_awaited_once_with("event")
