"""Timeouts, deadlocks and the end of a test, in process: arguments, messages, edge cases.

Every inner class here has a timeout as a safety net, so that a detection
that fails makes a test fail instead of hanging the suite.
"""

from __future__ import annotations

import asyncio
import gc
import math
import threading
import time
import unittest
from typing import Any

import pytest
from _support import assert_clean, only_failure, run_case

import asynctest
from asynctest import _config
from asynctest._engine import watchdog

# -- @timeout and the timeout attribute: bad input ------------------------------------------


@pytest.mark.parametrize("value", [0, -1, -0.5, math.nan, math.inf])
def test_timeout_rejects_seconds_that_are_not_finite_and_positive(value: float) -> None:
    with pytest.raises(ValueError) as caught:
        asynctest.timeout(value)
    assert repr(value) in str(caught.value)
    assert "> 0" in str(caught.value)


@pytest.mark.parametrize("value", ["5", True, [1]])
def test_timeout_rejects_what_is_not_a_number(value: object) -> None:
    with pytest.raises(TypeError) as caught:
        asynctest.timeout(value)  # type: ignore[arg-type]
    assert repr(value) in str(caught.value)


def test_timeout_on_a_class_that_is_not_a_test_case_is_an_error() -> None:
    with pytest.raises(TypeError, match="decorates a test method or a TestCase class"):
        @asynctest.timeout(1)
        class NotATest:
            pass


def test_timeout_on_something_not_callable_is_an_error() -> None:
    with pytest.raises(TypeError, match="decorates a test method or a TestCase class"):
        asynctest.timeout(1)(42)


def test_timeout_returns_the_decorated_function_and_class() -> None:
    def test() -> None:
        pass

    class Case(asynctest.TestCase):
        pass

    assert asynctest.timeout(1)(test) is test
    assert asynctest.timeout(2)(Case) is Case
    assert Case.timeout == 2.0


def test_a_bad_timeout_class_attribute_fails_the_test_naming_it() -> None:
    class Case(asynctest.TestCase):
        timeout = -2

        async def test(self) -> None:
            pass

    result = run_case(Case)
    assert len(result.errors) == 1
    assert "Case.timeout: -2" in result.errors[0][1]


def test_a_bad_shutdown_timeout_fails_the_test_naming_it() -> None:
    class Case(asynctest.TestCase):
        shutdown_timeout = "soon"  # type: ignore[assignment]

        async def test(self) -> None:
            pass

    result = run_case(Case)
    assert "Case.shutdown_timeout: 'soon'" in result.errors[0][1]


def test_deadlock_is_a_known_check_name_and_a_misspelt_one_is_not() -> None:
    asynctest.fail_on(deadlock=False)
    with pytest.raises(TypeError, match="deadlok"):
        asynctest.fail_on(deadlok=False)


@pytest.mark.parametrize("text", ["0", "-1", "nan", "soon", "inf"])
def test_asynctest_timeout_variable_rejects_bad_values_naming_it(text: str) -> None:
    with pytest.raises(ValueError, match="ASYNCTEST_TIMEOUT"):
        _config.from_environment({"ASYNCTEST_TIMEOUT": text})


def test_asynctest_timeout_variable_sets_the_default() -> None:
    assert _config.from_environment({"ASYNCTEST_TIMEOUT": "2.5"}).timeout == 2.5
    assert _config.from_environment({}).timeout is None


# -- timeouts in process -------------------------------------------------------------------------


def test_a_timed_out_test_fails_with_where_it_waited_and_tear_down_runs() -> None:
    ran = []

    class Case(asynctest.TestCase):
        timeout = 0.2

        async def test(self) -> None:
            await asyncio.sleep(60)  # WAITS HERE

        def tearDown(self) -> None:
            ran.append("tearDown")

    message = only_failure(run_case(Case))
    assert "test timed out after 0.2 s in the test" in message
    assert "WAITS HERE" in message
    assert ran == ["tearDown"]


def test_the_run_wide_timeout_applies_when_the_class_has_none() -> None:
    class Case(asynctest.TestCase):
        async def test(self) -> None:
            await asyncio.sleep(60)

    _config.set_current(_config.Defaults(timeout=0.2))
    message = only_failure(run_case(Case))
    assert "timed out after 0.2 s" in message


def test_a_test_that_finishes_in_time_passes() -> None:
    class Case(asynctest.TestCase):
        timeout = 5

        async def test(self) -> None:
            await asyncio.sleep(0.01)

    assert_clean(run_case(Case))


def test_a_sync_test_running_the_loop_itself_is_stopped_at_its_timeout() -> None:
    class Case(asynctest.TestCase):
        timeout = 0.2

        def test(self) -> None:
            self.loop.run_until_complete(asyncio.sleep(60))

    message = only_failure(run_case(Case))
    assert "timed out after 0.2 s in the test" in message


# -- deadlocks in process ------------------------------------------------------------------------


def test_awaiting_a_future_nobody_resolves_fails_at_once_as_a_deadlock() -> None:
    class Case(asynctest.TestCase):
        timeout = 5  # safety net

        async def test(self) -> None:
            await self.loop.create_future()

    started = time.monotonic()
    message = only_failure(run_case(Case))
    assert time.monotonic() - started < 2
    assert "DeadlockError: deadlock: test waits forever in the test" in message
    assert "timed out" not in message


def test_a_deadlock_in_set_up_names_set_up() -> None:
    class Case(asynctest.TestCase):
        timeout = 5

        async def asyncSetUp(self) -> None:
            await asyncio.Event().wait()

        async def test(self) -> None:
            pass

    assert "waits forever in asyncSetUp" in only_failure(run_case(Case))


def test_a_deadlocked_test_runs_its_finally_clause_when_cancelled() -> None:
    cleaned = []

    class Case(asynctest.TestCase):
        timeout = 5

        async def test(self) -> None:
            try:
                await asyncio.Event().wait()
            finally:
                cleaned.append(True)

    only_failure(run_case(Case))
    assert cleaned == [True]


def test_a_lenient_test_is_not_checked_for_deadlocks() -> None:
    class Case(asynctest.TestCase):
        timeout = 0.2

        @asynctest.lenient
        async def test(self) -> None:
            await asyncio.Event().wait()

    message = only_failure(run_case(Case))
    assert "timed out" in message
    assert "DeadlockError" not in message


def test_a_watched_file_descriptor_is_not_a_deadlock() -> None:
    import socket

    class Case(asynctest.TestCase):
        timeout = 0.3

        async def test(self) -> None:
            a, b = socket.socketpair()
            self.addCleanup(a.close)
            self.addCleanup(b.close)
            a.setblocking(False)
            await self.loop.sock_recv(a, 1)  # nothing is ever sent: only the timeout ends it

    message = only_failure(run_case(Case))
    assert "timed out" in message
    assert "DeadlockError" not in message


def test_a_thread_blocked_forever_is_not_called_a_deadlock() -> None:
    # A live thread could still call call_soon_threadsafe(): no alarm.
    release = threading.Event()

    class Case(asynctest.TestCase):
        timeout = 0.3

        async def test(self) -> None:
            threading.Thread(target=release.wait, args=(5,)).start()
            await self.loop.create_future()

    try:
        message = only_failure(run_case(Case))
    finally:
        release.set()
    assert "timed out" in message
    assert "DeadlockError" not in message


# -- the end of a test ---------------------------------------------------------------------------


def test_a_dropped_async_generator_runs_its_whole_finally_clause() -> None:
    closed = []

    async def rows():
        try:
            yield 1
            yield 2
        finally:
            await asyncio.sleep(0)  # closing a connection
            closed.append(True)

    class Case(asynctest.TestCase):
        async def test(self) -> None:
            async for _ in rows():
                break

    assert_clean(run_case(Case))
    gc.collect()
    assert closed == [True]


@pytest.mark.parametrize("decorate", [asynctest.strict, asynctest.lenient])
def test_a_test_raising_system_exit_leaves_no_never_retrieved_task_behind(
    caplog: pytest.LogCaptureFixture, decorate: Any
) -> None:
    class Case(asynctest.TestCase):
        @decorate
        async def test(self) -> None:
            raise SystemExit(3)

    result = run_case(Case)
    assert len(result.errors) == 1 and "SystemExit" in result.errors[0][1]
    gc.collect()

    class Next(asynctest.TestCase):
        async def test(self) -> None:
            await asyncio.sleep(0)

    assert_clean(run_case(Next))
    gc.collect()
    assert "never retrieved" not in caplog.text


def test_leftovers_that_finish_when_cancelled_cost_no_grace() -> None:
    class Case(asynctest.TestCase):
        shutdown_timeout = 30

        async def test(self) -> None:
            asyncio.ensure_future(asyncio.sleep(3600))
            await asyncio.sleep(0)

    started = time.monotonic()
    assert_clean(run_case(Case))
    assert time.monotonic() - started < 5


def test_a_leftover_raising_when_cancelled_is_a_shutdown_error() -> None:
    class Case(asynctest.TestCase):
        async def test(self) -> None:
            async def stubborn() -> None:
                try:
                    await asyncio.sleep(3600)
                except asyncio.CancelledError:
                    raise ValueError("refused") from None

            asyncio.ensure_future(stubborn())
            await asyncio.sleep(0)

    result = run_case(Case)
    assert len(result.errors) == 1
    assert "ShutdownError" in result.errors[0][1]
    assert "ValueError('refused')" in result.errors[0][1]


# -- the watchdog ---------------------------------------------------------------------------------


def test_watchdog_alarms_fire_in_order_and_disarmed_ones_do_not() -> None:
    fired: list[str] = []
    done = threading.Event()
    watchdog.arm(0.05, lambda: fired.append("second"))
    watchdog.arm(0.01, lambda: fired.append("first"))
    watchdog.arm(0.02, lambda: fired.append("never")).disarm()
    watchdog.arm(0.1, done.set)
    assert done.wait(5)
    assert fired == ["first", "second"]


def test_the_watchdog_survives_a_callback_that_raises() -> None:
    done = threading.Event()

    def boom() -> None:
        raise RuntimeError("boom")

    watchdog.arm(0.01, boom)
    watchdog.arm(0.02, done.set)
    assert done.wait(5)


def test_failures_are_assertion_errors_with_public_names() -> None:
    for cls in (asynctest.DeadlockError, asynctest.PhaseTimeoutError, asynctest.LeftoverError):
        assert issubclass(cls, AssertionError)
        assert cls.__module__ == "asynctest"
    assert issubclass(asynctest.LeftoverWarning, RuntimeWarning)
    assert unittest.TestCase.failureException is AssertionError


def test_deadlock_detection_says_once_that_it_is_off_on_a_loop_that_is_not_a_selector_loop(
    capsys: pytest.CaptureFixture[str],
) -> None:
    uvloop = pytest.importorskip("uvloop")
    from asynctest._engine import session

    session._said_unavailable.discard(uvloop.Loop)

    class Case(asynctest.TestCase):
        loop_factory = uvloop.new_event_loop

        async def test(self) -> None:
            await asyncio.sleep(0)

    assert_clean(run_case(Case))
    assert_clean(run_case(Case))
    err = capsys.readouterr().err
    assert err.count("deadlock detection is not available on uvloop.Loop loops") == 1
