"""Autospec: mocks that check every call against the signature of what they replace.

Run it with ``python -m asynctest -v mocking.test_autospec`` from ``examples/``.
"""

import inspect

import asynctest
from asynctest import CoroutineMock, create_autospec, patch

from . import client


class TestCreateAutospec(asynctest.TestCase):
    async def test_an_autospec_of_a_coroutine_function(self):
        exchange_rate = create_autospec(client.exchange_rate, return_value=0.9)

        self.assertTrue(inspect.iscoroutinefunction(exchange_rate))
        self.assertEqual(await exchange_rate("EUR"), 0.9)
        with self.assertRaises(TypeError):
            await exchange_rate("EUR", "USD")  # exchange_rate(currency) takes one argument

        exchange_rate.assert_awaited_once_with("EUR")


class TestExchangeRate(asynctest.TestCase):
    @patch("mocking.client.Session", autospec=True)
    async def test_asks_the_rates_server(self, Session):
        session = Session.return_value
        self.assertIsInstance(session.get, CoroutineMock)
        session.get.return_value = {"rate": "0.92"}

        self.assertEqual(await client.exchange_rate("EUR"), 0.92)

        Session.assert_called_once_with("rates.example.com", 4000)
        session.get.assert_awaited_once_with("/rates/EUR")

    @patch("mocking.client.Session", autospec=True)
    async def test_a_call_the_real_session_would_refuse_fails(self, Session):
        session = Session("rates.example.com", 4000)

        with self.assertRaises(TypeError):
            await session.get("/rates/EUR", timeout=5)  # Session.get has no timeout
        with self.assertRaises(TypeError):
            Session("rates.example.com")  # the port is missing
