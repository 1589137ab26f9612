"""The auto-advancing clock: ClockedTestCase.autojump_threshold, @autojump, --autojump."""

from __future__ import annotations

import asyncio
import math
import random
import socket
import subprocess
import sys
import threading
import time
import unittest

import pytest
import uvloop
from _support import (
    assert_passed,
    clean_environment,
    messages,
    only_error,
    only_failure,
    run_case,
)

import asynctest
from asynctest import _config


@pytest.fixture(autouse=True)
def plain_defaults():
    """Run the inner tests with the built-in defaults, whatever ASYNCTEST_* says."""
    _config.set_current(_config.Defaults())
    yield
    _config.set_current(None)


class Jumping(asynctest.ClockedTestCase):
    """The inner tests' base: autojump at once, each phase bounded in real time.

    (The bound stands in for a hard timeout: a thread of the test runner
    would keep deadlock detection from seeing deadlocks.)
    """

    __test__ = False  # run by the tests below, not collected
    autojump_threshold = 0
    timeout = 20


DAY = 86400.0
YEAR = 365 * DAY


# -- timers run in order, each at its own time -------------------------------------


def test_a_day_of_timers_runs_in_order_each_at_its_own_time():
    rng = random.Random(7)
    delays = [rng.uniform(0, DAY) for _ in range(2000)] + [3600.0] * 5  # ties too
    seen = []

    class Case(Jumping):
        async def test(self):
            for delay in delays:
                self.loop.call_later(delay, lambda d=delay: seen.append((d, self.loop.time())))
            await asyncio.sleep(DAY)
            self.assertEqual(self.loop.time(), DAY)

    assert_passed(run_case(Case))
    assert len(seen) == len(delays)
    assert [due for due, _ in seen] == sorted(delays)
    assert all(now == due for due, now in seen)


def test_sleeping_tasks_wake_in_order_at_their_own_times():
    rng = random.Random(3)
    delays = [rng.uniform(0, DAY) for _ in range(300)]
    seen = []

    class Case(Jumping):
        async def test(self):
            async def sleeper(delay):
                await asyncio.sleep(delay)
                seen.append((delay, self.loop.time()))

            await asyncio.gather(*(sleeper(delay) for delay in delays))

    assert_passed(run_case(Case))
    assert [due for due, _ in seen] == sorted(delays)
    assert all(now == due for due, now in seen)


def test_a_timer_scheduled_by_a_timer_runs_before_later_timers():
    seen = []

    class Case(Jumping):
        async def test(self):
            loop = self.loop

            def first():
                seen.append(("first", loop.time()))
                loop.call_later(1, lambda: seen.append(("chained", loop.time())))
                loop.call_soon(lambda: seen.append(("soon", loop.time())))

            loop.call_at(10, first)
            loop.call_at(20, lambda: seen.append(("later", loop.time())))
            await asyncio.sleep(30)

    assert_passed(run_case(Case))
    assert seen == [("first", 10), ("soon", 10), ("chained", 11), ("later", 20)]


def test_cancelled_timers_never_run_even_when_cancelled_by_the_timer_before():
    seen = []

    class Case(Jumping):
        async def test(self):
            loop = self.loop
            victim = loop.call_at(20, seen.append, "victim")
            loop.call_at(5, seen.append, "gone").cancel()
            loop.call_at(10, victim.cancel)
            loop.call_at(30, seen.append, "kept")
            await asyncio.sleep(40)

    assert_passed(run_case(Case))
    assert seen == ["kept"]


def test_a_failing_timer_callback_is_reported_and_the_next_timers_still_run():
    seen = []
    reported = []

    class Case(Jumping):
        async def test(self):
            loop = self.loop
            loop.set_exception_handler(lambda _, context: reported.append(context["exception"]))

            def boom():
                raise ZeroDivisionError("in a timer")

            loop.call_at(1, boom)
            loop.call_at(2, lambda: seen.append(loop.time()))
            await asyncio.sleep(3)

    assert_passed(run_case(Case))
    assert seen == [2]
    assert [type(exc) for exc in reported] == [ZeroDivisionError]


def test_a_long_chain_of_timers_runs_to_its_end():
    # More timers in a row than one batch holds (the loop polls in between).
    seen = []

    class Case(Jumping):
        async def test(self):
            loop = self.loop

            def tick(left):
                seen.append(loop.time())
                if left:
                    loop.call_later(0.5, tick, left - 1)

            loop.call_soon(tick, 4999)
            await asyncio.sleep(3000)

    assert_passed(run_case(Case))
    assert seen == [i * 0.5 for i in range(5000)]


# -- long sleeps are jumps, not deadlocks ------------------------------------------------


def test_a_year_long_sleep_is_one_jump():
    seen = []

    class Case(Jumping):
        async def test(self):
            started = time.monotonic()
            await asyncio.sleep(YEAR)
            seen.append(self.loop.time())
            seen.append(time.monotonic() - started)

    assert_passed(run_case(Case))
    assert seen[0] == YEAR
    assert seen[1] < 5  # real time stays real: no year, no timeout either


def test_time_and_monotonic_stay_real():
    seen = []

    class Case(Jumping):
        async def test(self):
            before = (time.time(), time.monotonic())
            await asyncio.sleep(DAY)
            seen.append(time.time() - before[0])
            seen.append(time.monotonic() - before[1])

    assert_passed(run_case(Case))
    assert all(0 <= elapsed < 60 for elapsed in seen)


# -- timeouts fire at their exact virtual time --------------------------------------------


def test_wait_for_times_out_at_its_exact_virtual_time():
    seen = []

    class Case(Jumping):
        async def test(self):
            await asyncio.sleep(1.25)
            with self.assertRaises(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.Event().wait(), 30)
            seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [31.25]


def test_wait_for_returns_what_is_done_before_its_timeout():
    seen = []

    class Case(Jumping):
        async def test(self):
            seen.append(await asyncio.wait_for(asyncio.sleep(10, result="slept"), 30))
            seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == ["slept", 10]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in 3.11")
def test_asyncio_timeout_fires_at_its_exact_virtual_time():
    seen = []

    class Case(Jumping):
        async def test(self):
            with self.assertRaises(TimeoutError):
                async with asyncio.timeout(90):  # type: ignore[attr-defined]
                    await asyncio.sleep(DAY)
            seen.append(self.loop.time())
            async with asyncio.timeout_at(self.loop.time() + 5):  # type: ignore[attr-defined]
                await asyncio.sleep(4)
            seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [90, 94]


def test_condition_wait_with_a_timeout_times_out_or_is_notified_on_time():
    seen = []

    class Case(Jumping):
        async def test(self):
            condition = asyncio.Condition()
            async with condition:
                with self.assertRaises(asyncio.TimeoutError):
                    await asyncio.wait_for(condition.wait(), 15)
            seen.append(self.loop.time())

            async def notify_later():
                await asyncio.sleep(4)
                async with condition:
                    condition.notify_all()

            notifier = asyncio.ensure_future(notify_later())
            async with condition:
                await asyncio.wait_for(condition.wait(), 60)
            seen.append(self.loop.time())
            await notifier

    assert_passed(run_case(Case))
    assert seen == [15, 19]


def test_call_later_and_call_at_see_their_due_time():
    seen = []

    class Case(Jumping):
        async def test(self):
            loop = self.loop
            loop.call_later(100, lambda: seen.append(("later", loop.time())))
            loop.call_at(50, lambda: seen.append(("at", loop.time())))
            await asyncio.sleep(200)
            loop.call_at(10, lambda: seen.append(("past", loop.time())))  # already due
            await asyncio.sleep(0)
            await asyncio.sleep(0)

    assert_passed(run_case(Case))
    assert seen == [("at", 50), ("later", 100), ("past", 200)]


def test_third_party_code_reading_loop_time_sees_the_virtual_clock():
    seen = []

    class RateLimiter:
        """Allows one call per period, reading loop.time() like a library would."""

        def __init__(self, period):
            self.period = period
            self.next_free = 0.0

        async def acquire(self):
            loop = asyncio.get_running_loop()
            wait = self.next_free - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_free = loop.time() + self.period

    class Case(Jumping):
        async def test(self):
            limiter = RateLimiter(60)
            for _ in range(4):
                await limiter.acquire()
                seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [0, 60, 120, 180]


# -- advance() and loop.time() in autojump mode -------------------------------------------


def test_advance_still_works_in_autojump_mode():
    seen = []

    class Case(Jumping):
        async def test(self):
            task = asyncio.ensure_future(asyncio.sleep(10, result="woke"))
            await self.advance(4)
            seen.append((self.loop.time(), task.done()))
            await self.advance(6)
            seen.append((self.loop.time(), task.done()))
            await self.advance(0)
            seen.append((self.loop.time(), await task))

    assert_passed(run_case(Case))
    assert seen == [(4, False), (10, True), (10, "woke")]


def test_concurrent_advances_each_end_at_their_target():
    seen = []

    class Case(Jumping):
        async def test(self):
            async def advance(seconds):
                await self.advance(seconds)
                seen.append((seconds, self.loop.time()))

            await asyncio.gather(advance(7), advance(3))

    assert_passed(run_case(Case))
    assert seen == [(3, 3), (7, 7)]


def test_a_cancelled_advance_does_not_move_the_clock_later():
    seen = []

    class Case(asynctest.ClockedTestCase):
        timeout = 20

        async def test(self):
            advancing = asyncio.ensure_future(self.advance(50))
            await asyncio.sleep(0)
            advancing.cancel()
            await self.advance(5)
            seen.append(self.loop.time())
            await self.advance(0)
            seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [5, 5]


def test_loop_time_never_goes_backwards():
    rng = random.Random(11)
    seen = []

    class Case(Jumping):
        async def test(self):
            loop = self.loop

            async def worker(n):
                for _ in range(20):
                    seen.append(loop.time())
                    await asyncio.sleep(rng.choice([0, 0.001, 1, 3600, rng.uniform(0, 100)]))
                    seen.append(loop.time())

            def timer():
                seen.append(loop.time())

            for _ in range(200):
                loop.call_at(rng.uniform(-10, 5000), timer)  # some due in the past
            workers = asyncio.gather(*(worker(n) for n in range(10)))
            for step in (0, 2.5, 0, 100):
                await self.advance(step)
                seen.append(loop.time())
            await workers

    assert_passed(run_case(Case))
    assert len(seen) > 600
    assert all(a <= b for a, b in zip(seen, seen[1:]))


# -- real I/O and threads in flight complete before a jump -------------------------


def test_real_loopback_io_mixes_with_virtual_timeouts():
    seen = []

    class Case(Jumping):
        autojump_threshold = 0.5

        async def test(self):
            handled = self.loop.create_future()

            async def handle(reader, writer):
                while True:
                    line = await reader.readline()
                    if not line:
                        break
                    if line == b"slow\n":
                        await asyncio.sleep(45)  # virtual
                    if line != b"silent\n":
                        writer.write(line.upper())
                        await writer.drain()
                writer.close()
                await writer.wait_closed()
                handled.set_result(None)

            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                # Real round trips complete before the clock jumps to the timeout.
                for word in (b"one\n", b"two\n"):
                    writer.write(word)
                    seen.append(await asyncio.wait_for(reader.readline(), 60))
                seen.append(self.loop.time())
                # A virtual delay on the server side.
                writer.write(b"slow\n")
                seen.append(await asyncio.wait_for(reader.readline(), 60))
                seen.append(self.loop.time())
                # No answer: the virtual timeout fires, at its time.
                writer.write(b"silent\n")
                with self.assertRaises(asyncio.TimeoutError):
                    await asyncio.wait_for(reader.readline(), 30)
                seen.append(self.loop.time())
            finally:
                writer.close()
                await writer.wait_closed()
                await handled
                server.close()
                await server.wait_closed()

    assert_passed(run_case(Case))
    assert seen == [b"ONE\n", b"TWO\n", 0, b"SLOW\n", 45, 75]


def test_executor_work_completes_before_a_jump():
    seen = []

    class Case(Jumping):
        autojump_threshold = 2  # spent only if the thread is that late

        async def test(self):
            result = await asyncio.wait_for(
                self.loop.run_in_executor(None, lambda: time.sleep(0.05) or "done"), 100
            )
            seen.append((result, self.loop.time()))

    assert_passed(run_case(Case))
    assert seen == [("done", 0)]


def test_a_subprocess_under_autojump():
    seen = []

    class Case(Jumping):
        autojump_threshold = 5  # only spent if the child is silent that long

        async def test(self):
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", "import sys; print(sys.stdin.read().upper())",
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            )
            out, _ = await asyncio.wait_for(process.communicate(b"ping"), 3600)
            seen.append((out.strip(), process.returncode, self.loop.time()))
            await asyncio.sleep(600)  # virtual time still jumps afterwards
            seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [(b"PING", 0, 0), 600]


# -- deadlocks ----------------------------------------------------------------------------


def test_a_wait_with_no_timer_is_a_deadlock():
    class Case(Jumping):
        async def test(self):
            await asyncio.sleep(DAY)
            await asyncio.Event().wait()

    error = only_failure(run_case(Case))
    assert "DeadlockError: deadlock: test waits forever in the test" in error
    assert "Event().wait()" in error


def test_a_wait_with_a_timer_is_not_a_deadlock():
    seen = []

    class Case(Jumping):
        async def test(self):
            try:
                await asyncio.wait_for(asyncio.Event().wait(), YEAR)
            except asyncio.TimeoutError:
                seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [YEAR]


def test_a_socket_watched_for_real_is_not_a_deadlock_and_jumps_stop_for_it():
    seen = []

    class Case(Jumping):
        autojump_threshold = 2  # spent only if the thread is that late

        async def test(self):
            left, right = socket.socketpair()
            left.setblocking(False)
            self.addCleanup(left.close)
            self.addCleanup(right.close)
            threading.Timer(0.05, right.send, (b"x",)).start()
            data = await asyncio.wait_for(self.loop.sock_recv(left, 1), 600)
            seen.append((data, self.loop.time()))

    assert_passed(run_case(Case))
    assert seen == [(b"x", 0)]


# -- where autojump is set ------------------------------------------------------------


def run_seen(case_class, name="test"):
    seen = []
    case_class.seen = seen
    result = run_case(case_class, name)
    return result, seen


class Sleeper(asynctest.ClockedTestCase):
    """Records how far a sleep of a day got (0 when the clock is manual)."""

    __test__ = False
    timeout = 20
    seen: list

    async def test(self):
        task = asyncio.ensure_future(asyncio.sleep(DAY))
        # The loop idles 50 ms (real) with a timer due in a day.
        await self.loop.run_in_executor(None, time.sleep, 0.05)
        self.seen.append(self.loop.time())
        task.cancel()


def test_the_default_is_the_manual_clock_of_0_13():
    result, seen = run_seen(type("Case", (Sleeper,), {}))
    assert_passed(result)
    assert seen == [0]
    assert asynctest.ClockedTestCase.autojump_threshold is None


def test_the_run_wide_default_applies_to_clocked_test_cases():
    _config.set_current(_config.Defaults(autojump=0.0))
    result, seen = run_seen(type("Case", (Sleeper,), {}))
    assert_passed(result)
    assert seen == [DAY]


def test_the_class_attribute_wins_over_the_run_and_the_decorator_over_both():
    _config.set_current(_config.Defaults(autojump=None))

    class Case(Sleeper):
        autojump_threshold = 0

        @asynctest.autojump(None)
        async def test_manual(self):
            await Sleeper.test(self)

    result, jumped = run_seen(Case)
    assert_passed(result)
    result, manual = run_seen(Case, "test_manual")
    assert_passed(result)
    assert (jumped, manual) == ([DAY], [0])


def test_autojump_decorator_bare_called_and_on_a_class():
    class Bare(Sleeper):
        @asynctest.autojump
        async def test(self):
            await Sleeper.test(self)

    class Called(Sleeper):
        @asynctest.autojump(0.01)
        async def test(self):
            await Sleeper.test(self)

    @asynctest.autojump(0)
    class OnClass(Sleeper):
        pass

    assert OnClass.autojump_threshold == 0
    for case in (Bare, Called, OnClass):
        result, seen = run_seen(case)
        assert_passed(result)
        assert seen == [DAY]


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "error"), [
    (-1, ValueError),
    (math.nan, ValueError),
    (math.inf, ValueError),
    ("0.1", TypeError),
    (True, TypeError),
])
def test_a_bad_threshold_in_the_decorator_is_named(value, error):
    with pytest.raises(error, match=rf"autojump\({value!r}\).*{value!r}.*threshold"):
        asynctest.autojump(value)


@pytest.mark.parametrize("value", [-0.5, math.nan, "fast", [0]])
def test_a_bad_class_attribute_fails_the_test_naming_it(value):
    class Case(asynctest.ClockedTestCase):
        autojump_threshold = value

        async def test(self):
            pass

    error = only_error(run_case(Case))
    assert f"Case.autojump_threshold: {value!r} is not" in error
    assert "real seconds >= 0" in error


def test_the_decorator_on_a_class_without_a_clock_is_refused():
    with pytest.raises(TypeError, match="ClockedTestCase"):
        asynctest.autojump(0)(type("Plain", (asynctest.TestCase,), {}))
    with pytest.raises(TypeError, match="decorates a test method"):
        asynctest.autojump(0)(42)


def test_the_decorator_on_a_method_of_a_test_case_without_a_clock_fails_the_test():
    class Case(asynctest.TestCase):
        @asynctest.autojump(0)
        async def test(self):
            pass

    error = only_error(run_case(Case))
    assert "test is decorated with @autojump but " in error
    assert "Case has no virtual clock: make it a ClockedTestCase" in error


def test_autojump_on_uvloop_names_the_loop():
    class Case(Jumping):
        loop_factory = uvloop.new_event_loop

        async def test(self):
            pass

    error = only_error(run_case(Case))
    assert "TypeError: the clock of <uvloop.Loop" in error
    assert "cannot be controlled" in error


def test_autojump_without_a_test_selector_names_the_loop():
    class Case(Jumping):
        use_default_loop = True

        async def test(self):
            pass

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        error = only_error(run_case(Case))
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    assert "autojump cannot drive the clock of <_UnixSelectorEventLoop" in error
    assert "TestSelector" in error


# -- manual mode is unchanged -------------------------------------------------------------


def test_the_manual_clock_runs_timers_in_order_through_advance():
    seen = []

    class Case(asynctest.ClockedTestCase):
        timeout = 20

        async def test(self):
            loop = self.loop
            for when in (5, 1, 3, 3, 9):
                loop.call_at(when, lambda w=when: seen.append((w, loop.time())))
            await self.advance(4)
            seen.append(("advanced", loop.time()))
            await self.advance(4)
            seen.append(("advanced", loop.time()))

    result = run_case(Case)
    assert result.wasSuccessful(), messages(result)
    assert seen == [(1, 1), (3, 3), (3, 3), ("advanced", 4), (5, 5), ("advanced", 8)]


def test_a_plain_test_case_clock_is_real():
    seen = []

    class Case(asynctest.TestCase):
        async def test(self):
            seen.append(self.loop.time() > 0)

    assert_passed(run_case(Case))
    assert seen == [True]


def test_unittest_can_load_the_inner_cases():
    # (The bases are not collected by pytest, yet unittest runs them.)
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(type("Case", (Sleeper,), {}))
    assert suite.countTestCases() == 1


# -- without a real-time timeout (run in a subprocess, bounded from outside) --------------

UNBOUNDED = '''
import asyncio

import asynctest


class Unbounded(asynctest.ClockedTestCase):
    autojump_threshold = 0  # and no timeout: nothing bounds these from inside

    async def test_deadlock(self):
        await asyncio.sleep(3600)
        await asyncio.Event().wait()

    async def test_heartbeat_then_done(self):
        beats = []

        async def heartbeat():
            while True:
                await asyncio.sleep(30)
                beats.append(asyncio.get_running_loop().time())

        task = asyncio.ensure_future(heartbeat())
        await asyncio.sleep(3599)
        task.cancel()
        assert beats == [30.0 * i for i in range(1, 120)], beats
'''


def test_without_a_timeout_a_deadlock_is_reported_and_a_heartbeat_ends(tmp_path):
    (tmp_path / "test_unbounded.py").write_text(UNBOUNDED)
    done = subprocess.run(
        [sys.executable, "-m", "asynctest", "-v", "test_unbounded"],
        cwd=tmp_path, env=clean_environment(), capture_output=True, text=True, timeout=120,
    )
    assert "test_heartbeat_then_done (test_unbounded.Unbounded" in done.stderr
    assert "... ok" in done.stderr, done.stderr
    assert "DeadlockError: deadlock: test_deadlock waits forever in the test" in done.stderr
    assert "FAILED (failures=1)" in done.stderr, done.stderr
