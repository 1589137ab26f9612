"""The loop of an asynctest.TestCase watches I/O mocks through a TestSelector."""

from __future__ import annotations

import asyncio
import os

import pytest
from _support import assert_passed, messages, run_test

import asynctest
from asynctest import _compat
from asynctest.selector import SocketMock, TestSelector, set_read_ready

uvloop = pytest.importorskip("uvloop")


def test_test_case_loop_uses_a_test_selector_wrapping_the_real_one() -> None:
    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            self.assertIsInstance(_compat.loop_selector(self.loop), TestSelector)

    assert_passed(run_test(Case, "test_a"))


def test_open_connection_over_a_socket_mock_in_a_test_case() -> None:
    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            sock = SocketMock()
            sock.recv.side_effect = [b"hello\n", b""]
            reader, writer = await asyncio.open_connection(sock=sock)
            set_read_ready(sock, self.loop)
            self.assertEqual(await asyncio.wait_for(reader.readline(), 5), b"hello\n")
            writer.write(b"bye\n")
            writer.close()
            await writer.wait_closed()
            sock.send.assert_called_with(b"bye\n")

    assert_passed(run_test(Case, "test_a"))


def test_uvloop_test_case_runs_without_test_selector_and_says_so() -> None:
    class Case(asynctest.TestCase):
        loop_factory = uvloop.new_event_loop

        async def test_a(self) -> None:
            with self.assertRaisesRegex(TypeError, "selector"):
                set_read_ready(SocketMock(), self.loop)

    assert_passed(run_test(Case, "test_a"))


def test_active_selector_callbacks_fails_a_test_leaving_a_reader() -> None:
    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_selector_callbacks=True)
        async def test_leaks(self) -> None:
            self.loop.add_reader(SocketMock(), print)

        @asynctest.fail_on(active_selector_callbacks=True)
        async def test_cleans_up(self) -> None:
            sock = SocketMock()
            self.loop.add_writer(sock, print)
            self.loop.remove_writer(sock)

    result = run_test(Case, "test_leaks")
    assert len(result.failures) == 1
    assert "add_reader(<SocketMock" in messages(result)
    assert_passed(run_test(Case, "test_cleans_up"))


def test_real_selector_is_closed_with_the_loop() -> None:
    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            self.loop.add_reader(SocketMock(), print)  # left behind on purpose

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    run_test(Case, "test_a")  # warm up imports and caches
    before = open_fds()
    for _ in range(5):
        assert_passed(run_test(Case, "test_a"))
    assert open_fds() == before


def test_unused_loop_check_works_on_a_loop_without_test_selector() -> None:
    class Case(asynctest.TestCase):
        loop_factory = uvloop.new_event_loop

        @asynctest.fail_on(unused_loop=True)
        def test_never_runs_the_loop(self) -> None:
            pass

        @asynctest.fail_on(unused_loop=True)
        def test_runs_the_loop(self) -> None:
            self.loop.run_until_complete(asyncio.sleep(0))

    result = run_test(Case, "test_never_runs_the_loop")
    assert len(result.failures) == 1
    assert "Loop did not run during the test" in messages(result)
    assert_passed(run_test(Case, "test_runs_the_loop"))
