"""A test of an asynchronous API that never runs the loop: the ``unused_loop`` check.

Fails on purpose: ``python -m asynctest hidden.test_unused_loop`` from ``examples/``.
"""

import asynctest


async def parse(line):
    key, _, value = line.partition("=")
    return key.strip(), value.strip()


class ParseTest(asynctest.TestCase):
    @asynctest.fail_on(unused_loop=True)
    def test_parse(self):
        coroutine = parse("name = value")  # made, never run: the test checks nothing
        self.assertIsNotNone(coroutine)
        coroutine.close()
