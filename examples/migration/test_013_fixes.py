"""The one-line fixes of docs/migration/from-asynctest-0.13.md, "Deliberate differences".

Each test shows the spelling that works on asynctest-ng, on Python 3.9-3.13.
"""

import asyncio
import inspect
import selectors

import asynctest
from asynctest.selector import SocketMock, TestSelector, fd, get_registered_events


async def heartbeat(beats):
    try:
        while True:
            await asyncio.sleep(30)
    finally:
        beats.append("stopped")          # runs: the task is cancelled, then awaited


class TestBackgroundTask(asynctest.TestCase):
    async def test_a_task_stopped_by_a_cleanup(self):
        self.beats = []
        task = asyncio.ensure_future(heartbeat(self.beats))
        self.addCleanup(task.cancel)
        await asyncio.sleep(0)


# Replaces editing asynctest._fail_on.DEFAULTS: a base class for the suite.
@asynctest.fail_on(active_handles=True, pending_tasks=True)
class StrictTestCase(asynctest.TestCase):
    pass


class TestWithTheSuiteChecks(StrictTestCase):
    async def test_the_loop(self):
        self.assertIs(asyncio.get_running_loop(), self.loop)   # not the policy's class


async def fetch(key):
    return key


class TestMocks(asynctest.TestCase):
    async def test_a_mock_of_a_coroutine_function(self):
        mock = asynctest.CoroutineMock(spec=fetch)      # not Mock(spec=fetch)
        self.assertFalse(mock.awaited)
        await mock("a")
        self.assertTrue(mock.awaited)

    async def test_autospec_checks_the_arguments_when_awaited(self):
        mock = asynctest.create_autospec(fetch)
        with self.assertRaises(TypeError):
            await mock("a", "too many")                 # 3.9-3.11: raised here, not at the call
        self.assertTrue(inspect.iscoroutinefunction(mock))

    def test_is_coroutine(self):
        handler = asynctest.Mock(is_coroutine=True)
        self.assertTrue(asyncio.iscoroutinefunction(handler))
        self.assertIsInstance(handler, asynctest.Mock)  # not 0.13's metaclasses

    def test_a_coroutine_function_for_inspect_on_every_python(self):
        def handler(event): ...
        self.assertTrue(inspect.iscoroutinefunction(asynctest.CoroutineMock(spec=handler)))


class TestIOMocks(asynctest.TestCase):
    def test_file_descriptors(self):
        sock = SocketMock()
        self.assertEqual(sock.fileno(), fd(sock))       # not an int
        self.assertNotEqual(sock.fileno(), int(fd(sock)))

    def test_the_wrapped_selector(self):
        selector = TestSelector(selectors.DefaultSelector())
        self.addCleanup(selector.close)
        selector.register(SocketMock(), selectors.EVENT_READ)
        self.assertIsInstance(selector.wrapped, selectors.DefaultSelector)  # 0.13: ._selector
        self.assertEqual(len(get_registered_events(selector)), 1)
