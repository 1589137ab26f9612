"""A socket opened and never closed: the ``unclosed_resources`` check.

Fails on purpose: ``python -m asynctest hidden.test_unclosed_resources``
from ``examples/``.
"""

import socket

import asynctest


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock.getsockname()[1]  # returns without closing the socket


class PortTest(asynctest.TestCase):
    @asynctest.fail_on(unclosed_resources=True)
    async def test_free_port(self):
        self.assertGreater(free_port(), 0)
