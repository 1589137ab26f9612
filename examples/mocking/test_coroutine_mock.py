"""CoroutineMock in place of a session: what it returns, raises, and how it was awaited.

Run it with ``python -m asynctest -v mocking.test_coroutine_mock`` from ``examples/``.
"""

import asynctest
from asynctest import CoroutineMock, Mock

from .client import Session, fetch_price


class TestFetchPrice(asynctest.TestCase):
    async def test_reads_the_price_from_the_reply(self):
        session = Mock()
        session.get = CoroutineMock(return_value={"price": "1.25"})

        self.assertEqual(await fetch_price(session, "apple"), 1.25)

        session.get.assert_awaited_once_with("/prices/apple")

    async def test_lets_a_connection_error_through(self):
        session = Mock()
        session.get = CoroutineMock(side_effect=ConnectionRefusedError("server down"))

        with self.assertRaises(ConnectionRefusedError):
            await fetch_price(session, "apple")

        session.get.assert_awaited_once()


class TestFetchPriceWithSpec(asynctest.TestCase):
    async def test_a_spec_makes_coroutine_methods_coroutine_mocks(self):
        session = Mock(spec=Session)
        self.assertIsInstance(session.get, CoroutineMock)
        session.get.return_value = {"price": "2.50"}

        self.assertEqual(await fetch_price(session, "pear"), 2.5)

        session.get.assert_awaited_once_with("/prices/pear")
        session.post.assert_not_awaited()
