"""Waiting for a mock to be awaited by a background task, instead of guessing how long.

Run it with ``python -m asynctest -v mocking.test_awaited`` from ``examples/``.
``TestUploaderTooEarly`` fails on purpose: it checks before the upload happened.
"""

import asynctest
from asynctest import Mock, call

from .client import Session, Uploader


class TestUploaderTooEarly(asynctest.TestCase):
    async def test_posts_the_order(self):
        session = Mock(spec=Session)
        uploader = Uploader(session)
        self.addCleanup(uploader.close)

        uploader.send({"item": "apple", "quantity": 3})

        session.post.assert_awaited_once_with("/orders", {"item": "apple", "quantity": 3})


class TestUploader(asynctest.TestCase):
    async def setUp(self):
        self.session = Mock(spec=Session)
        self.uploader = Uploader(self.session)
        self.addCleanup(self.uploader.close)

    async def test_posts_the_order(self):
        self.uploader.send({"item": "apple", "quantity": 3})

        await self.session.post.awaited.wait()

        self.session.post.assert_awaited_once_with("/orders", {"item": "apple", "quantity": 3})

    async def test_posts_the_orders_in_turn(self):
        self.uploader.send({"item": "apple", "quantity": 3})
        self.uploader.send({"item": "pear", "quantity": 1})

        await self.session.post.awaited.wait(skip=1)  # returns after the 2nd await

        self.session.post.assert_has_awaits([
            call("/orders", {"item": "apple", "quantity": 3}),
            call("/orders", {"item": "pear", "quantity": 1}),
        ])

    async def test_posts_an_order_sent_later(self):
        self.uploader.send({"item": "apple", "quantity": 3})
        await self.session.post.awaited.wait()

        self.uploader.send({"item": "plum", "quantity": 12})
        await self.session.post.awaited.wait_next()  # the next await from now

        self.session.post.assert_awaited_with("/orders", {"item": "plum", "quantity": 12})
        self.assertEqual(self.session.post.await_count, 2)
