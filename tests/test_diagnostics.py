"""Timeouts, deadlock detection and the bounded end of a test, in subprocesses with a hard limit.

Each module below is run once by ``python -m asynctest -v``; the tests assert
on the outcome of each inner test, on the text of its failure and on the
time the whole run took (a run that hangs fails here after HARD_LIMIT).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from _support import clean_environment

HARD_LIMIT = 60


class Run:
    """The outcome of one ``python -m asynctest -v`` run over a module."""

    def __init__(self, process: subprocess.CompletedProcess[str], seconds: float) -> None:
        self.process = process
        self.seconds = seconds
        self.output = process.stdout + process.stderr

    def outcome(self, test: str) -> str:
        """``ok``, ``FAIL``, ``ERROR``... as the verbose runner printed it for ``test``."""
        start = re.search(rf"^{test} \(.*?\) \.\.\. ", self.output, re.M)
        assert start, f"{test} not found in:\n{self.output}"
        # Warnings printed meanwhile may come between the name and the outcome.
        outcome = re.compile(r"(?:\.\.\. |^)(ok|FAIL|ERROR|skipped.*|expected failure)$", re.M)
        match = outcome.search(self.output, start.end() - 4)
        assert match, f"no outcome for {test} in:\n{self.output}"
        return match.group(1)

    def section(self, test: str) -> str:
        """The failure or error text of ``test``."""
        parts = re.split(r"^={50,}\n", self.output, flags=re.M)
        found = [p for p in parts if re.match(rf"(FAIL|ERROR): {test} \(", p)]
        assert found, f"no failure section for {test} in:\n{self.output}"
        return "\n".join(found)


def run_module(
    tmp_path: Path, source: str, *args: str, name: str = "inner", python: tuple[str, ...] = ()
) -> Run:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, *python, "-m", "asynctest", "-v", *args, name],
        cwd=tmp_path, capture_output=True, text=True, timeout=HARD_LIMIT,
        env=clean_environment(),
    )
    return Run(process, time.monotonic() - started)


# -- timeouts -------------------------------------------------------------------------

TIMEOUTS = '''
import asyncio
import time

import asynctest

events = []


class Timeouts(asynctest.TestCase):
    timeout = 0.5

    def tearDown(self):
        print(f"TEARDOWN {self._testMethodName}", flush=True)

    async def test_a_sleeps_an_hour(self):
        await asyncio.sleep(3600)  # THE LINE THAT WAITS

    async def test_b_passes(self):
        await asyncio.sleep(0)

    async def test_c_ignores_cancellation(self):
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                pass

    @asynctest.timeout(5)
    async def test_d_method_timeout_wins(self):
        await asyncio.sleep(0.7)

    @asynctest.timeout(None)
    async def test_e_none_means_no_limit(self):
        await asyncio.sleep(0.7)

    def test_f_stuck_in_synchronous_code(self):
        time.sleep(2)


class HangInAsyncSetUp(asynctest.TestCase):
    timeout = 0.5

    async def asyncSetUp(self):
        await asyncio.sleep(3600)  # ASYNCSETUP WAITS

    async def test_never_runs(self):
        print("TEST BODY RAN", flush=True)


class HangInCleanup(asynctest.TestCase):
    timeout = 0.5

    async def test_with_a_hanging_cleanup(self):
        async def close_connection():
            await asyncio.sleep(3600)  # CLEANUP WAITS

        self.addCleanup(close_connection)


@asynctest.timeout(0.5)
class DecoratedClass(asynctest.ClockedTestCase):
    async def test_timeout_is_real_time_under_a_virtual_clock(self):
        await asyncio.sleep(10)  # the clock is never advanced
'''


@pytest.fixture(scope="module")
def timeouts(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_module(tmp_path_factory.mktemp("timeouts"), TIMEOUTS)


def test_a_phase_past_its_timeout_fails_saying_so_with_the_line_it_waits_on(timeouts: Run) -> None:
    assert timeouts.outcome("test_a_sleeps_an_hour") == "FAIL"
    text = timeouts.section("test_a_sleeps_an_hour")
    assert "PhaseTimeoutError: test_a_sleeps_an_hour timed out after 0.5 s in the test" in text
    assert "THE LINE THAT WAITS" in text


def test_tear_down_still_runs_after_a_timeout_and_the_next_test_passes(timeouts: Run) -> None:
    assert "TEARDOWN test_a_sleeps_an_hour" in timeouts.output
    assert timeouts.outcome("test_b_passes") == "ok"


def test_a_phase_that_swallows_cancellation_is_abandoned_and_the_run_goes_on(timeouts: Run) -> None:
    assert timeouts.outcome("test_c_ignores_cancellation") == "FAIL"
    text = timeouts.section("test_c_ignores_cancellation")
    assert "timed out after 0.5 s in the test" in text
    assert "did not stop" in text and "abandoned" in text
    assert "Task was destroyed but it is pending" not in timeouts.output


def test_a_method_timeout_wins_over_the_class_one(timeouts: Run) -> None:
    assert timeouts.outcome("test_d_method_timeout_wins") == "ok"
    assert timeouts.outcome("test_e_none_means_no_limit") == "ok"


def test_a_phase_stuck_in_synchronous_code_dumps_every_thread_and_fails(timeouts: Run) -> None:
    assert timeouts.outcome("test_f_stuck_in_synchronous_code") == "FAIL"
    text = timeouts.section("test_f_stuck_in_synchronous_code")
    assert "timed out after 0.5 s in the test" in text
    assert "synchronous code" in text
    assert "stuck in synchronous code, which cannot be interrupted" in timeouts.process.stderr
    assert "time.sleep(2)" in timeouts.process.stderr or "Thread 0x" in timeouts.process.stderr


def test_a_hang_in_async_set_up_is_reported_and_the_test_body_is_skipped(timeouts: Run) -> None:
    assert timeouts.outcome("test_never_runs") == "FAIL"
    text = timeouts.section("test_never_runs")
    assert "timed out after 0.5 s in asyncSetUp" in text
    assert "ASYNCSETUP WAITS" in text
    assert "TEST BODY RAN" not in timeouts.output


def test_a_hang_in_a_cleanup_is_reported_naming_the_cleanup(timeouts: Run) -> None:
    assert timeouts.outcome("test_with_a_hanging_cleanup") == "FAIL"
    text = timeouts.section("test_with_a_hanging_cleanup")
    assert "timed out after 0.5 s in the cleanup" in text
    assert "close_connection" in text
    assert "CLEANUP WAITS" in text


def test_a_timeout_counts_real_seconds_under_a_virtual_clock(timeouts: Run) -> None:
    assert timeouts.outcome("test_timeout_is_real_time_under_a_virtual_clock") == "FAIL"


def test_the_whole_timeouts_run_is_fast(timeouts: Run) -> None:
    # Seven phases of 0.5 s, a 2 s synchronous sleep and two 0.7 s sleeps, one
    # 1 s grace: far below what any hang would take.
    assert timeouts.seconds < 20, timeouts.output


# -- deadlocks ---------------------------------------------------------------------------

DEADLOCKS = '''
import asyncio

import asynctest


class Deadlocks(asynctest.TestCase):
    async def test_a_future_nobody_resolves(self):
        await self.loop.create_future()  # NOBODY RESOLVES THIS

    async def test_b_two_tasks_awaiting_each_other(self):
        async def first():
            await second_task  # FIRST WAITS FOR SECOND

        async def second():
            await first_task  # SECOND WAITS FOR FIRST

        first_task = asyncio.ensure_future(first())
        second_task = asyncio.ensure_future(second())
        await asyncio.gather(first_task, second_task)

    async def test_c_an_event_nobody_sets(self):
        await asyncio.Event().wait()

    @asynctest.fail_on(deadlock=False)
    async def test_d_off_then_a_timeout_catches_it(self):
        await asyncio.Event().wait()

    test_d_off_then_a_timeout_catches_it = asynctest.timeout(0.5)(
        test_d_off_then_a_timeout_catches_it)

    async def test_e_passes_after(self):
        await asyncio.sleep(0)
'''


@pytest.fixture(scope="module")
def deadlocks(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_module(tmp_path_factory.mktemp("deadlocks"), DEADLOCKS)


def test_a_future_nobody_resolves_is_a_deadlock_at_once(deadlocks: Run) -> None:
    assert deadlocks.outcome("test_a_future_nobody_resolves") == "FAIL"
    text = deadlocks.section("test_a_future_nobody_resolves")
    assert "DeadlockError: deadlock: test_a_future_nobody_resolves waits forever in the test" in (
        text
    )
    assert "NOBODY RESOLVES THIS" in text


def test_two_tasks_awaiting_each_other_are_a_deadlock_showing_both(deadlocks: Run) -> None:
    text = deadlocks.section("test_b_two_tasks_awaiting_each_other")
    assert "deadlock" in text
    assert "FIRST WAITS FOR SECOND" in text
    assert "SECOND WAITS FOR FIRST" in text


def test_an_event_nobody_sets_is_a_deadlock(deadlocks: Run) -> None:
    assert "deadlock" in deadlocks.section("test_c_an_event_nobody_sets")


def test_deadlock_detection_can_be_turned_off(deadlocks: Run) -> None:
    text = deadlocks.section("test_d_off_then_a_timeout_catches_it")
    assert "timed out after 0.5 s" in text
    assert "DeadlockError" not in text


def test_the_run_goes_on_after_deadlocks_and_is_fast(deadlocks: Run) -> None:
    assert deadlocks.outcome("test_e_passes_after") == "ok"
    assert deadlocks.seconds < 15, deadlocks.output


# -- no false alarm -----------------------------------------------------------------------

WAKERS = '''
import asyncio
import os
import signal
import socket
import sys
import threading
import time

import asynctest
from asynctest import selector


class Wakers(asynctest.TestCase):
    async def test_a_thread_sets_the_result(self):
        future = self.loop.create_future()

        def later():
            time.sleep(0.2)
            self.loop.call_soon_threadsafe(future.set_result, "from a thread")

        threading.Thread(target=later).start()
        self.assertEqual(await future, "from a thread")

    async def test_run_in_executor(self):
        self.assertEqual(await self.loop.run_in_executor(None, time.sleep, 0.2), None)

    async def test_to_thread_after_an_earlier_executor_call(self):
        await self.loop.run_in_executor(None, time.sleep, 0)
        await asyncio.to_thread(time.sleep, 0.2)
        future = self.loop.create_future()
        self.loop.call_soon(future.set_result, 1)
        await future

    async def test_a_subprocess(self):
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "import time; time.sleep(0.2); print('done')",
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await process.communicate()
        self.assertEqual(out.strip(), b"done")

    async def test_a_socket_written_by_another_thread(self):
        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        a.setblocking(False)

        def write():
            time.sleep(0.2)
            b.send(b"x")

        threading.Thread(target=write).start()
        self.assertEqual(await self.loop.sock_recv(a, 1), b"x")

    async def test_a_socket_mock_made_ready_by_a_timer(self):
        sock = asynctest.SocketMock()
        sock.recv.return_value = b"data"
        future = self.loop.create_future()
        self.loop.add_reader(sock, lambda: future.set_result(sock.recv(4)))
        self.addCleanup(self.loop.remove_reader, sock)
        self.loop.call_later(0.05, selector.set_read_ready, sock, self.loop)
        self.assertEqual(await future, b"data")

    async def test_a_signal_handler(self):
        future = self.loop.create_future()
        self.loop.add_signal_handler(signal.SIGUSR1, future.set_result, "signalled")
        self.addCleanup(self.loop.remove_signal_handler, signal.SIGUSR1)
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGUSR1)).start()
        self.assertEqual(await future, "signalled")


class Clocked(asynctest.ClockedTestCase):
    async def test_a_timer_an_hour_away_with_advance(self):
        task = asyncio.ensure_future(asyncio.sleep(3600, "woke"))
        await self.advance(3600)
        self.assertEqual(await task, "woke")
'''


@pytest.mark.skipif(sys.platform == "win32", reason="signals and fork-based subprocesses")
def test_nothing_that_can_still_wake_the_loop_is_called_a_deadlock(tmp_path: Path) -> None:
    run = run_module(tmp_path, WAKERS)
    assert run.process.returncode == 0, run.output
    assert "deadlock" not in run.output
    assert run.output.count(" ... ok") == 8, run.output


# -- the end of a test is bounded ------------------------------------------------------------

LEFTOVERS = '''
import asyncio
import threading

import asynctest

release = threading.Event()


class Leftovers(asynctest.TestCase):
    async def test_a_handler_that_swallows_cancellation(self):
        queue = asyncio.Queue()

        async def handler():
            while True:
                try:
                    await queue.get()
                except asyncio.CancelledError:
                    pass  # SWALLOWS CANCELLATION

        asyncio.ensure_future(handler())
        await asyncio.sleep(0)

    @asynctest.fail_on(pending_tasks=True)
    async def test_b_the_same_with_pending_tasks_on(self):
        async def handler():
            while True:
                try:
                    await asyncio.sleep(3600)
                except asyncio.CancelledError:
                    pass

        asyncio.ensure_future(handler())
        await asyncio.sleep(0)

    async def test_c_a_blocked_executor_thread(self):
        self.loop.run_in_executor(None, release.wait, 5)
        await asyncio.sleep(0.05)

    async def test_d_passes_after(self):
        release.set()
        await asyncio.sleep(0)
'''


@pytest.fixture(scope="module")
def leftovers(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_module(tmp_path_factory.mktemp("leftovers"), LEFTOVERS, python=("-W", "always"))


def test_a_leftover_that_swallows_cancellation_is_abandoned_with_a_warning(leftovers: Run) -> None:
    # The check pending_tasks is off: one LeftoverWarning, the test passes.
    assert leftovers.outcome("test_a_handler_that_swallows_cancellation") == "ok"
    assert "LeftoverWarning" in leftovers.output
    assert "await queue.get()" in leftovers.output
    assert "Task was destroyed but it is pending" not in leftovers.output


def test_a_leftover_that_swallows_cancellation_fails_under_pending_tasks(leftovers: Run) -> None:
    assert leftovers.outcome("test_b_the_same_with_pending_tasks_on") == "FAIL"
    text = leftovers.section("test_b_the_same_with_pending_tasks_on")
    assert "did not finish within 1 s of being cancelled" in text


def test_a_blocked_executor_thread_is_named_and_abandoned(leftovers: Run) -> None:
    assert leftovers.outcome("test_c_a_blocked_executor_thread") == "ok"
    assert "'asyncio_0' running wait()" in leftovers.output  # the default executor's thread
    assert "still busy" in leftovers.output


def test_the_run_goes_on_after_leftovers_and_is_fast(leftovers: Run) -> None:
    assert leftovers.outcome("test_d_passes_after") == "ok"
    assert leftovers.seconds < 15, leftovers.output


# -- the command line and the environment ---------------------------------------------------

SLEEPER = '''
import asyncio

import asynctest


class Sleeper(asynctest.TestCase):
    async def test_sleeps(self):
        await asyncio.sleep(3600)


class Explicit(asynctest.TestCase):
    timeout = 30

    async def test_short(self):
        await asyncio.sleep(0.8)
'''


def test_dash_dash_timeout_bounds_every_test_and_a_class_attribute_wins(tmp_path: Path) -> None:
    run = run_module(tmp_path, SLEEPER, "--timeout", "0.3")
    assert "test_sleeps timed out after 0.3 s in the test" in run.output
    assert run.outcome("test_short") == "ok"


def test_asynctest_timeout_in_the_environment_bounds_every_test(tmp_path: Path) -> None:
    (tmp_path / "inner.py").write_text(textwrap.dedent(SLEEPER))
    process = subprocess.run(
        [sys.executable, "-m", "asynctest", "inner"], cwd=tmp_path, capture_output=True,
        text=True, timeout=HARD_LIMIT, env=clean_environment(ASYNCTEST_TIMEOUT="0.3"),
    )
    assert "test_sleeps timed out after 0.3 s in the test" in process.stderr


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_a_bad_timeout_on_the_command_line_is_a_usage_error(tmp_path: Path, value: str) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "asynctest", "--timeout", value], cwd=tmp_path,
        capture_output=True, text=True, timeout=HARD_LIMIT, env=clean_environment(),
    )
    assert process.returncode == 2
    assert f"--timeout={value!r}" in process.stderr
    assert "seconds" in process.stderr


def test_a_bad_timeout_in_the_environment_names_the_variable(tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "asynctest"], cwd=tmp_path, capture_output=True, text=True,
        timeout=HARD_LIMIT, env=clean_environment(ASYNCTEST_TIMEOUT="-3"),
    )
    assert process.returncode == 2
    assert "ASYNCTEST_TIMEOUT='-3'" in process.stderr
