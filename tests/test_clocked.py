"""ClockedTestCase (a loop on a virtual clock) and exhaust_callbacks()."""

from __future__ import annotations

import asyncio
import math
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import unittest

import pytest
import uvloop
from _support import clean_environment

import asynctest
import asynctest.helpers
from asynctest import _config

HARD_TIMEOUT_SECONDS = 60


@pytest.fixture(autouse=True)
def plain_defaults():
    """Run the inner tests with the built-in defaults, whatever ASYNCTEST_* says."""
    _config.set_current(_config.Defaults())
    yield
    _config.set_current(None)


@pytest.fixture(autouse=True)
def hard_timeout():
    """A broken clock could make an inner test wait forever: interrupt the run instead.

    SIGINT wakes the loop even when it blocks in select(); pytest then stops
    with a KeyboardInterrupt whose traceback shows the test that hung.
    """
    timer = threading.Timer(HARD_TIMEOUT_SECONDS, os.kill, (os.getpid(), signal.SIGINT))
    timer.daemon = True
    timer.start()
    yield
    timer.cancel()


def run_case(case_class: type, name: str = "test") -> unittest.TestResult:
    result = unittest.TestResult()
    case_class(name).run(result)
    return result


def assert_passed(result: unittest.TestResult) -> None:
    problems = [text for _, text in result.errors + result.failures]
    assert result.testsRun == 1 and not problems, "\n".join(problems)


def only_error(result: unittest.TestResult) -> str:
    assert result.failures == []
    assert len(result.errors) == 1, result.errors
    return result.errors[0][1]


# -- the clock ------------------------------------------------------------------


def test_clock_starts_at_zero():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [0.0]


def test_clock_starts_at_zero_in_set_up():
    seen = []

    class Case(asynctest.ClockedTestCase):
        def setUp(self):
            seen.append(self.loop.time())

        async def test(self):
            pass

    assert_passed(run_case(Case))
    assert seen == [0.0]


def test_clock_does_not_move_without_advance():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            for _ in range(5):
                await asyncio.sleep(0)
            time.sleep(0.01)
            seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [0.0]


def test_advance_runs_each_timer_at_its_own_time():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            self.loop.call_later(2.5, lambda: seen.append(("b", self.loop.time())))
            self.loop.call_later(1, lambda: seen.append(("a", self.loop.time())))
            self.loop.call_at(7, lambda: seen.append(("c", self.loop.time())))
            await self.advance(10)
            seen.append(("end", self.loop.time()))

    assert_passed(run_case(Case))
    assert seen == [("a", 1.0), ("b", 2.5), ("c", 7.0), ("end", 10.0)]


def test_advance_runs_timers_scheduled_by_callbacks_during_the_advance():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            def first():
                seen.append(("first", self.loop.time()))
                self.loop.call_later(2, second)

            def second():
                seen.append(("second", self.loop.time()))
                self.loop.call_later(4, too_late)  # due at 7, past the target

            def too_late():
                seen.append(("too_late", self.loop.time()))

            self.loop.call_later(1, first)
            await self.advance(5)
            seen.append(("end", self.loop.time()))

    assert_passed(run_case(Case))
    assert seen == [("first", 1.0), ("second", 3.0), ("end", 5.0)]


def test_advances_accumulate():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            self.loop.call_later(3, lambda: seen.append(self.loop.time()))
            await self.advance(2)
            seen.append(("after 2", self.loop.time()))
            await self.advance(2)
            seen.append(("after 4", self.loop.time()))

    assert_passed(run_case(Case))
    assert seen == [("after 2", 2.0), 3.0, ("after 4", 4.0)]


def test_timers_beyond_the_target_do_not_run():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            self.loop.call_later(6, seen.append, "late")
            await self.advance(5)
            seen.append("advanced")
            await self.advance(1)

    assert_passed(run_case(Case))
    assert seen == ["advanced", "late"]


def test_timer_due_exactly_at_the_target_runs():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            self.loop.call_later(5, seen.append, "due")
            await self.advance(5)
            seen.append("advanced")

    assert_passed(run_case(Case))
    assert seen == ["due", "advanced"]


def test_cancelled_timers_do_not_run():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            self.loop.call_later(1, seen.append, "cancelled").cancel()
            self.loop.call_later(2, seen.append, "kept")
            await self.advance(3)

    assert_passed(run_case(Case))
    assert seen == ["kept"]


def test_sleep_in_a_task_completes_after_advance():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            task = self.loop.create_task(asyncio.sleep(10, result="woke"))
            await self.advance(9)
            seen.append(task.done())
            await self.advance(1)
            seen.append(task.done())
            seen.append(await task)

    assert_passed(run_case(Case))
    assert seen == [False, True, "woke"]


def test_successive_sleeps_in_a_task_wake_at_their_own_times():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            async def ticker():
                for _ in range(3):
                    await asyncio.sleep(1.5)
                    seen.append(self.loop.time())

            task = self.loop.create_task(ticker())
            await self.advance(10)
            self.assertTrue(task.done())

    assert_passed(run_case(Case))
    assert seen == [1.5, 3.0, 4.5]


def test_wait_for_times_out_on_the_virtual_clock():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            never = self.loop.create_future()
            task = self.loop.create_task(asyncio.wait_for(never, 30))
            await self.advance(29)
            seen.append(task.done())
            await self.advance(1)
            seen.append(task.done())
            with self.assertRaises(asyncio.TimeoutError):
                await task

    assert_passed(run_case(Case))
    assert seen == [False, True]


def test_advance_zero_runs_ready_callbacks_only():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            def soon():
                seen.append("soon")
                self.loop.call_soon(seen.append, "chained")

            self.loop.call_soon(soon)
            self.loop.call_later(0.5, seen.append, "timer")
            await self.advance(0)
            seen.append(("now", self.loop.time()))

    assert_passed(run_case(Case))
    assert seen == ["soon", "chained", ("now", 0.0)]


def test_advance_zero_runs_a_timer_due_now():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            await self.advance(2)
            self.loop.call_at(2, seen.append, "due now")
            await self.advance(0)
            seen.append("advanced")

    assert_passed(run_case(Case))
    assert seen == ["due now", "advanced"]


@pytest.mark.parametrize(
    "value, shown",
    [(-1, "-1"), (-0.5, "-0.5"), (math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf")],
)
def test_advance_rejects_negative_and_non_finite_seconds_naming_the_value(value, shown):
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            try:
                await self.advance(value)
            finally:
                seen.append(self.loop.time())

    error = only_error(run_case(Case))
    assert "ValueError" in error
    assert f"got {shown}" in error
    assert seen == [0.0]  # the clock did not move


@pytest.mark.parametrize("value", ["1", None, [1]])
def test_advance_rejects_a_non_number_with_type_error(value):
    class Case(asynctest.ClockedTestCase):
        async def test(self):
            await self.advance(value)

    error = only_error(run_case(Case))
    assert "TypeError" in error
    assert repr(value) in error


def test_time_time_and_monotonic_are_untouched():
    seen = {}

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            wall, mono = time.time(), time.monotonic()
            await self.advance(3600)
            seen["wall"] = time.time() - wall
            seen["mono"] = time.monotonic() - mono
            seen["loop"] = self.loop.time()

    assert_passed(run_case(Case))
    assert seen["loop"] == 3600.0
    assert 0 <= seen["wall"] < 60
    assert 0 <= seen["mono"] < 60


def test_the_loop_gets_its_own_clock_back_after_the_test():
    loops = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            loops.append(self.loop)
            await self.advance(100)

    assert_passed(run_case(Case))
    (loop,) = loops
    assert "time" not in vars(loop)
    assert abs(loop.time() - time.monotonic()) < 60


def test_the_loop_gets_its_own_clock_back_after_a_failing_test():
    loops = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            loops.append(self.loop)
            await self.advance(100)
            self.fail("boom")

    result = run_case(Case)
    assert len(result.failures) == 1 and "boom" in result.failures[0][1]
    (loop,) = loops
    assert "time" not in vars(loop)


def test_each_test_starts_its_clock_at_zero():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test_a(self):
            seen.append(self.loop.time())
            await self.advance(50)

        test_b = test_a

    result = unittest.TestResult()
    unittest.TestSuite([Case("test_a"), Case("test_b")]).run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    assert seen == [0.0, 0.0]


def test_a_uvloop_loop_errors_saying_the_clock_cannot_be_controlled():
    ran = []
    made = []

    def factory():
        made.append(uvloop.new_event_loop())
        return made[-1]

    class Case(asynctest.ClockedTestCase):
        loop_factory = factory

        async def test(self):
            ran.append(True)

    error = only_error(run_case(Case))
    assert "TypeError" in error
    assert "cannot be controlled" in error
    assert ran == []
    (loop,) = made
    assert loop.is_closed()


def test_a_uvloop_loop_from_the_class_attribute_errors_clearly():
    class Case(asynctest.ClockedTestCase):
        loop_factory = uvloop.new_event_loop

        async def test(self):
            pass

    error = only_error(run_case(Case))
    assert "TypeError" in error and "cannot be controlled" in error


def clocked_case(seen: list, **attributes):
    """A ClockedTestCase recording its loop and checking that advance() drives it."""

    async def test(self):
        seen.append(self.loop)
        task = asyncio.ensure_future(asyncio.sleep(3600))
        await self.advance(3600)
        self.assertTrue(task.done())

    return type("Clocked", (asynctest.ClockedTestCase,), {"test": test, **attributes})


def test_under_a_run_wide_uvloop_a_clocked_test_runs_on_asyncio_own_loop():
    _config.set_current(_config.Defaults(loop="uvloop", loop_factory=uvloop.new_event_loop))
    seen: list = []
    assert_passed(run_case(clocked_case(seen)))
    assert_passed(run_case(clocked_case(seen)))  # the second with the answer remembered
    assert len(seen) == 2
    assert all(isinstance(loop, asyncio.BaseEventLoop) for loop in seen), seen
    others = []

    class Plain(asynctest.TestCase):
        async def test(self):
            others.append(self.loop)

    assert_passed(run_case(Plain))
    assert isinstance(others[0], uvloop.Loop)  # the run-wide loop, for other tests


def test_a_run_wide_loop_that_can_be_clocked_is_used_by_clocked_tests():
    class MyLoop(asyncio.SelectorEventLoop):
        pass

    _config.set_current(_config.Defaults(loop="x:y", loop_factory=MyLoop))
    seen: list = []
    assert_passed(run_case(clocked_case(seen)))
    assert type(seen[0]) is MyLoop


def test_under_a_run_wide_uvloop_a_class_uvloop_factory_still_errors_clearly():
    _config.set_current(_config.Defaults(loop="uvloop", loop_factory=uvloop.new_event_loop))
    seen: list = []
    error = only_error(run_case(clocked_case(seen, loop_factory=uvloop.new_event_loop)))
    assert "TypeError" in error and "cannot be controlled" in error
    assert seen == []


@pytest.mark.parametrize("how", ["--loop", "ASYNCTEST_LOOP"])
def test_python_m_asynctest_with_uvloop_runs_clocked_tests(tmp_path, how):
    (tmp_path / "test_clocked_inner.py").write_text(textwrap.dedent("""
        import asyncio
        import asynctest

        class Clocked(asynctest.ClockedTestCase):
            async def test_advance(self):
                task = asyncio.ensure_future(asyncio.sleep(3600))
                await self.advance(3600)
                self.assertTrue(task.done())
    """))
    if how == "--loop":
        args, env = ["--loop", "uvloop"], {}
    else:
        args, env = [], {"ASYNCTEST_LOOP": "uvloop"}
    proc = subprocess.run(
        [sys.executable, "-m", "asynctest", *args, "test_clocked_inner"],
        cwd=tmp_path, env=clean_environment(**env), capture_output=True, text=True,
        timeout=HARD_TIMEOUT_SECONDS,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Ran 1 test" in proc.stderr and "OK" in proc.stderr


def test_a_plain_test_case_keeps_the_real_clock():
    seen = []

    class Case(asynctest.TestCase):
        async def test(self):
            seen.append(self.loop.time() - time.monotonic())

    assert_passed(run_case(Case))
    assert abs(seen[0]) < 60


# -- exhaust_callbacks ------------------------------------------------------------


def test_exhaust_callbacks_is_exported_from_the_legacy_helpers_module():
    assert asynctest.helpers.exhaust_callbacks is asynctest.exhaust_callbacks


def test_exhaust_callbacks_runs_ready_callbacks_and_those_they_schedule():
    seen = []

    class Case(asynctest.TestCase):
        async def test(self):
            def chain(n):
                seen.append(n)
                if n < 5:
                    self.loop.call_soon(chain, n + 1)

            self.loop.call_soon(chain, 1)
            self.loop.call_soon(seen.append, "other")
            await asynctest.exhaust_callbacks(self.loop)
            seen.append("returned")

    assert_passed(run_case(Case))
    assert seen[-1] == "returned"
    assert sorted(map(str, seen[:-1])) == ["1", "2", "3", "4", "5", "other"]


def test_exhaust_callbacks_lets_tasks_run_until_they_wait():
    seen = []

    class Case(asynctest.TestCase):
        async def test(self):
            async def worker():
                for i in range(3):
                    await asyncio.sleep(0)
                    seen.append(i)

            task = self.loop.create_task(worker())
            await asynctest.helpers.exhaust_callbacks(self.loop)
            seen.append(task.done())

    assert_passed(run_case(Case))
    assert seen == [0, 1, 2, True]


def test_exhaust_callbacks_does_not_wait_for_timers():
    seen = []

    class Case(asynctest.TestCase):
        async def test(self):
            timer = self.loop.call_later(3600, seen.append, "timer")
            self.loop.call_soon(seen.append, "soon")
            started = time.monotonic()
            # A generous real-time bound, so a regression fails instead of hanging.
            await asyncio.wait_for(asynctest.exhaust_callbacks(self.loop), 10)
            seen.append(time.monotonic() - started < 5)
            timer.cancel()

    assert_passed(run_case(Case))
    assert seen == ["soon", True]


def test_exhaust_callbacks_does_not_wait_for_virtual_timers():
    seen = []

    class Case(asynctest.ClockedTestCase):
        async def test(self):
            self.loop.call_later(1, seen.append, "timer")
            await asynctest.exhaust_callbacks(self.loop)
            seen.append(("returned", self.loop.time()))
            await self.advance(1)

    assert_passed(run_case(Case))
    assert seen == [("returned", 0.0), "timer"]


def test_exhaust_callbacks_on_uvloop_raises_type_error():
    loop = uvloop.new_event_loop()
    try:
        with pytest.raises(TypeError, match="exhaust_callbacks.*asyncio event loop"):
            loop.run_until_complete(asynctest.exhaust_callbacks(loop))
    finally:
        loop.close()
