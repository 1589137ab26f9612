"""patch: replace what the code under test looks up, for one test; its GLOBAL and LIMITED scopes.

Run it with ``python -m asynctest -v mocking.test_patch`` from ``examples/``.
"""

import asyncio

import asynctest
from asynctest import Mock, patch

from . import client
from .client import Session, price_in

REAL_EXCHANGE_RATE = client.exchange_rate


class TestPriceIn(asynctest.TestCase):
    @patch("mocking.client.exchange_rate", return_value=0.9)
    async def test_converts_with_the_rate_of_the_day(self, exchange_rate):
        session = Mock(spec=Session)
        session.get.return_value = {"price": "2.00"}

        self.assertEqual(await price_in(session, "pear", "EUR"), 1.8)

        exchange_rate.assert_awaited_once_with("EUR")

    async def test_with_a_patch_in_a_with_block(self):
        session = Mock(spec=Session)
        session.get.return_value = {"price": "2.00"}

        with patch("mocking.client.exchange_rate", return_value=150) as exchange_rate:
            self.assertEqual(await price_in(session, "pear", "JPY"), 300)

        exchange_rate.assert_awaited_once_with("JPY")
        self.assertIs(client.exchange_rate, REAL_EXCHANGE_RATE)


async def what_other_tasks_see():
    return client.exchange_rate


class TestPatchScopes(asynctest.TestCase):
    @patch("mocking.client.exchange_rate", scope=asynctest.GLOBAL)
    async def test_other_tasks_see_a_global_patch(self, exchange_rate):
        seen = await asyncio.ensure_future(what_other_tasks_see())

        self.assertIs(seen, exchange_rate)

    @patch("mocking.client.exchange_rate", scope=asynctest.LIMITED)
    async def test_other_tasks_do_not_see_a_limited_patch(self, exchange_rate):
        self.assertIs(client.exchange_rate, exchange_rate)

        seen = await asyncio.ensure_future(what_other_tasks_see())

        self.assertIs(seen, REAL_EXCHANGE_RATE)
        self.assertIs(client.exchange_rate, exchange_rate)  # on again once the test resumed
