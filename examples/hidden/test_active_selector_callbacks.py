"""A reader added to the loop and never removed: the ``active_selector_callbacks`` check.

Fails on purpose: ``python -m asynctest hidden.test_active_selector_callbacks``
from ``examples/``.
"""

import asynctest
from asynctest.selector import SocketMock


class Listener:
    def __init__(self, loop, sock):
        self.received = []
        self.sock = sock
        loop.add_reader(sock, self.on_readable)  # nothing removes it

    def on_readable(self):
        self.received.append(self.sock.recv(4096))


class ListenerTest(asynctest.TestCase):
    @asynctest.fail_on(active_selector_callbacks=True)
    async def test_starts_with_nothing_received(self):
        listener = Listener(self.loop, SocketMock())
        self.assertEqual(listener.received, [])
