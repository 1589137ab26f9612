"""A test waiting for a server that answers too slowly: a timeout.

Fails on purpose: ``python -m asynctest hidden.test_timeout`` from ``examples/``.
"""

import asyncio

import asynctest


async def slow_server(request):
    await asyncio.sleep(3600)  # the server takes an hour to answer
    return request.upper()


async def fetch(request):
    return await slow_server(request)


class FetchTest(asynctest.TestCase):
    timeout = 5  # each phase of each test of the class: 5 real seconds

    @asynctest.timeout(0.5)  # this test: half a second (the method wins)
    async def test_fetch(self):
        self.assertEqual(await fetch("ping"), "PING")
