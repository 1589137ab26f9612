"""A user's test module, written as users write them: it must pass ``mypy --strict``.

tests/test_typing.py type-checks this file (and scripts/test's mypy step does
too); pytest also runs it, so every line here is also correct at run time.
Do not add ``# type: ignore`` or casts here: the point is that none is needed.
"""

from __future__ import annotations

import asyncio
import os
import unittest.mock

import asynctest
import asynctest.case
import asynctest.helpers
import asynctest.mock
import asynctest.selector


class Greeter:
    """The code under test: a small async service with a dependency."""

    def __init__(self, fetch_name: asynctest.mock.CoroutineMock) -> None:
        self.fetch_name = fetch_name

    async def greet(self) -> str:
        name = await self.fetch_name()
        return f"hello {name}"


def current_directory() -> str:
    return os.getcwd()


class TestGreeter(asynctest.TestCase):
    greeter: Greeter

    async def setUp(self) -> None:
        self.fetch = asynctest.CoroutineMock(return_value="world")
        self.greeter = Greeter(self.fetch)
        self.started = self.loop.time()

    async def asyncSetUp(self) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        await self.queue.put("ready")

    async def tearDown(self) -> None:
        await asyncio.sleep(0)

    async def asyncTearDown(self) -> None:
        self.queue.task_done()

    async def test_greets_with_the_fetched_name(self) -> None:
        self.assertEqual(await self.greeter.greet(), "hello world")
        self.fetch.assert_awaited_once_with()
        self.assertTrue(self.fetch.awaited)
        self.assertEqual(await self.queue.get(), "ready")

    async def test_the_loop_is_the_running_loop(self) -> None:
        self.assertIs(asyncio.get_running_loop(), self.loop)
        self.assertGreaterEqual(self.loop.time(), self.started)

    @asynctest.fail_on(active_handles=True, unused_loop=False)
    async def test_with_checks(self) -> None:
        handle = self.loop.call_later(10, print)
        handle.cancel()
        self.assertEqual(await self.queue.get(), "ready")

    @asynctest.strict
    async def test_strict(self) -> None:
        await asyncio.sleep(0)

    @asynctest.lenient
    async def test_lenient(self) -> None:
        self.loop.call_soon(print)

    @asynctest.patch("os.getcwd", return_value="/nowhere")
    async def test_patched(self, getcwd: asynctest.Mock) -> None:
        self.assertEqual(current_directory(), "/nowhere")
        getcwd.assert_called_once_with()

    async def test_patch_object_as_a_context_manager(self) -> None:
        with asynctest.patch.object(os, "getcwd", return_value="/there") as getcwd:
            self.assertEqual(current_directory(), "/there")
        getcwd.assert_called_once_with()

    async def test_awaitable_assertions(self) -> None:
        failing = asynctest.CoroutineMock(side_effect=ValueError("no"))
        await self.assertAsyncRaises(ValueError, failing())
        await asynctest.helpers.exhaust_callbacks(self.loop)


@asynctest.strict()
class TestClock(asynctest.ClockedTestCase):
    def setUp(self) -> None:
        self.fired: list[float] = []

    async def test_advance_runs_timers_due(self) -> None:
        self.loop.call_later(5, lambda: self.fired.append(self.loop.time()))
        await self.advance(5)
        self.assertEqual(self.fired, [5])

    @asynctest.lenient()
    async def test_nothing_due_yet(self) -> None:
        self.loop.call_later(5, print)
        await self.advance(1)
        self.assertEqual(self.fired, [])


@asynctest.autojump(0)
class TestJumpingClock(asynctest.ClockedTestCase):
    autojump_threshold = 0.0

    async def test_a_day_passes_at_once(self) -> None:
        await asyncio.sleep(86400)
        self.assertEqual(self.loop.time(), 86400)

    @asynctest.autojump
    async def test_bare_decorator(self) -> None:
        await asyncio.sleep(1)

    @asynctest.autojump(None)
    async def test_manual(self) -> None:
        await self.advance(1)


class TestLegacyPaths(asynctest.case.TestCase):
    debug = True
    forbid_get_event_loop = True

    def test_selector_mocks(self) -> None:
        sock = asynctest.selector.SocketMock()
        self.assertTrue(asynctest.selector.isfilemock(sock))
        self.assertIsInstance(asynctest.mock.MagicMock(), unittest.mock.MagicMock)

    def test_debug_mode(self) -> None:
        self.assertTrue(self.loop.get_debug())


def helper_check(case: asynctest.TestCase) -> asyncio.AbstractEventLoop:
    """Names of unittest and asynctest used as types."""
    suite: asynctest.TestSuite = asynctest.TestSuite([case])
    suite.countTestCases()
    return case.loop


if __name__ == "__main__":
    asynctest.main()
