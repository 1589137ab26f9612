"""A retry timer the code under test forgets to cancel: the ``active_handles`` check.

Fails on purpose: ``python -m asynctest hidden.test_active_handles`` from ``examples/``.
"""


import asynctest


class Poller:
    def __init__(self, loop):
        self.loop = loop
        self.polls = 0

    def poll(self):
        self.polls += 1
        self.loop.call_later(60, self.poll)  # next poll in a minute, never cancelled


class PollerTest(asynctest.TestCase):
    @asynctest.fail_on(active_handles=True)
    async def test_first_poll(self):
        poller = Poller(self.loop)
        poller.poll()
        self.assertEqual(poller.polls, 1)
