"""The checks loop_exceptions, unawaited_coroutines, unclosed_resources and leaked_threads."""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import types
import unittest
import warnings

import pytest
from _support import assert_clean, clean_environment, only_failure, run_case

import asynctest
from asynctest import _config
from asynctest._engine import checks

MORE_CHECKS = ("loop_exceptions", "unawaited_coroutines", "unclosed_resources", "leaked_threads")


async def fetch() -> int:
    return 1


def broken_callback() -> None:
    raise ValueError("the callback broke")


async def failing_job() -> None:
    raise KeyError("nobody retrieves this")


def case_with(test, *decorators, **namespace):
    """A TestCase class whose method ``test`` is a copy of ``test`` under ``decorators``.

    (A copy: the decorators record their settings on the function itself.)
    """
    test = types.FunctionType(
        test.__code__, test.__globals__, test.__name__, test.__defaults__, test.__closure__
    )
    for decorate in reversed(decorators):
        test = decorate(test)
    return type("Inner", (asynctest.TestCase,), {"test": test, **namespace})


def global_hooks():
    """Everything the checks may change outside the test's loop, to compare before/after."""
    return (
        sys.get_coroutine_origin_tracking_depth(),
        getattr(warnings, "_warn_unawaited_coroutine", None),
        getattr(warnings, "_showwarnmsg", None),
        warnings.filters,
        list(warnings.filters),
    )


@pytest.fixture
def run_strict():
    """Run the inner tests as ``python -m asynctest --strict`` would."""
    _config.set_current(_config.Defaults(strict=True))


# -- the registry -----------------------------------------------------------------------


@pytest.mark.parametrize("name", MORE_CHECKS)
def test_each_check_is_registered_and_off_by_default(name):
    assert checks.defaults()[name] is False


@pytest.mark.parametrize("name", MORE_CHECKS)
def test_each_check_is_on_under_strict(name):
    class Case(asynctest.TestCase):
        async def test(self):
            pass

    method = Case.test
    assert asynctest.strict(method) is method
    enabled = asynctest._unittest.decorators.enabled_checks(Case, method, False)
    on = {check.name for check in enabled}
    assert name in on


def test_a_clean_test_passes_with_every_check_on():
    async def test(self):
        await asyncio.sleep(0)
        with socket.socket() as sock:
            sock.close()
        await fetch()
        thread = threading.Thread(target=time.sleep, args=(0.01,))
        thread.start()
        thread.join()

    assert_clean(run_case(case_with(test, asynctest.strict)))


# -- loop_exceptions --------------------------------------------------------------------


async def _callback_raises(self):
    self.loop.call_soon(broken_callback)
    await asyncio.sleep(0)


@pytest.mark.parametrize(
    "decorator",
    [asynctest.fail_on(loop_exceptions=True), asynctest.strict],
    ids=["fail_on", "strict"],
)
def test_loop_exceptions_fails_on_an_exception_in_a_callback_naming_it(decorator):
    message = only_failure(run_case(case_with(_callback_raises, decorator)))
    assert "1 error(s) reached the event loop's exception handler" in message
    assert "Exception in callback broken_callback()" in message
    assert "ValueError: the callback broke" in message
    assert 'in broken_callback' in message  # the traceback summary
    assert "@fail_on(loop_exceptions=False)" in message


def test_loop_exceptions_is_on_under_the_strict_run_option(run_strict):
    assert "broken_callback" in only_failure(run_case(case_with(_callback_raises)))


def test_loop_exceptions_fails_on_a_task_exception_never_retrieved():
    async def test(self):
        asyncio.ensure_future(failing_job())
        await asyncio.sleep(0)

    message = only_failure(run_case(case_with(test, asynctest.fail_on(loop_exceptions=True))))
    assert "Task exception was never retrieved" in message
    assert "failing_job()" in message  # the task, by its coroutine
    assert "KeyError: 'nobody retrieves this'" in message


def test_loop_exceptions_finds_a_task_exception_kept_alive_by_a_reference_cycle():
    async def test(self):
        task = asyncio.ensure_future(failing_job())
        await asyncio.sleep(0)
        holder = {"task": task}
        holder["self"] = holder  # only a garbage collection frees the task

    message = only_failure(run_case(case_with(test, asynctest.fail_on(loop_exceptions=True))))
    assert "Task exception was never retrieved" in message


def test_loop_exceptions_does_not_also_log_what_it_reports(caplog):
    with caplog.at_level(logging.WARNING, logger="asyncio"):
        only_failure(run_case(case_with(_callback_raises, asynctest.fail_on(loop_exceptions=True))))
    assert caplog.records == []


def test_loop_exceptions_is_off_by_default_and_asyncio_logs_the_error(caplog):
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        assert_clean(run_case(case_with(_callback_raises)))
    assert any("broken_callback" in record.getMessage() for record in caplog.records)


def test_loop_exceptions_leaves_a_handler_the_test_installed_everything_it_gets():
    seen = []

    async def test(self):
        self.loop.set_exception_handler(lambda loop, context: seen.append(context["message"]))
        await _callback_raises(self)

    assert_clean(run_case(case_with(test, asynctest.fail_on(loop_exceptions=True))))
    assert len(seen) == 1
    assert seen[0].startswith("Exception in callback broken_callback()")


def test_loop_exceptions_leaves_what_a_test_handler_passes_on_to_asyncio_to_log(caplog):
    async def test(self):
        self.loop.set_exception_handler(
            lambda loop, context: loop.default_exception_handler(context)
        )
        await _callback_raises(self)

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        assert_clean(run_case(case_with(test, asynctest.fail_on(loop_exceptions=True))))
    assert any("broken_callback" in record.getMessage() for record in caplog.records)


def test_loop_exceptions_leaves_alone_a_handler_the_loop_came_with():
    seen = []

    def factory():
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(lambda loop, context: seen.append(context["message"]))
        return loop

    Case = case_with(_callback_raises, asynctest.fail_on(loop_exceptions=True))
    Case.loop_factory = staticmethod(factory)
    assert_clean(run_case(Case))
    assert len(seen) == 1


def test_loop_exceptions_gives_the_loop_back_without_a_handler_after_the_test():
    loops = []

    async def test(self):
        loops.append(self.loop)
        await asyncio.sleep(0)

    assert_clean(run_case(case_with(test, asynctest.fail_on(loop_exceptions=True))))
    assert loops[0].get_exception_handler() is None


# -- unawaited_coroutines ---------------------------------------------------------------


async def _forgets_an_await(self):
    fetch()


def test_unawaited_coroutines_fails_naming_the_coroutine_and_where_it_was_created():
    message = only_failure(
        run_case(case_with(_forgets_an_await, asynctest.fail_on(unawaited_coroutines=True)))
    )
    assert "created 1 coroutine(s) that were never awaited" in message
    assert "coroutine 'fetch'" in message
    line = _forgets_an_await.__code__.co_firstlineno + 1
    assert f"{__file__}:{line} in _forgets_an_await" in message
    assert "`fetch()`" in message  # the source line
    assert "@fail_on(unawaited_coroutines=False)" in message


def test_unawaited_coroutines_finds_a_coroutine_kept_alive_by_a_reference_cycle():
    async def test(self):
        holder = {"coro": fetch()}
        holder["self"] = holder

    message = only_failure(run_case(case_with(test, asynctest.fail_on(unawaited_coroutines=True))))
    assert "coroutine 'fetch'" in message


def test_unawaited_coroutines_is_on_under_strict():
    message = only_failure(run_case(case_with(_forgets_an_await, asynctest.strict)))
    assert "coroutine 'fetch'" in message


def test_unawaited_coroutines_is_off_by_default_and_python_warns_as_usual():
    with pytest.warns(RuntimeWarning, match="coroutine 'fetch' was never awaited"):
        assert_clean(run_case(case_with(_forgets_an_await)))


def test_unawaited_coroutines_leaves_the_warning_to_assert_warns_in_the_test():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(unawaited_coroutines=True)
        async def test(self):
            with self.assertWarnsRegex(RuntimeWarning, "coroutine 'fetch' was never awaited"):
                fetch()
                gc.collect()  # PyPy-proof; on CPython the coroutine is already gone

    assert_clean(run_case(Case))


def test_unawaited_coroutines_tracks_origins_only_during_the_test():
    depths = []

    async def test(self):
        depths.append(sys.get_coroutine_origin_tracking_depth())

    before = sys.get_coroutine_origin_tracking_depth()
    assert_clean(run_case(case_with(test, asynctest.fail_on(unawaited_coroutines=True))))
    assert depths[0] > 0
    assert sys.get_coroutine_origin_tracking_depth() == before


def test_unawaited_coroutines_keeps_a_larger_origin_tracking_depth():
    depths = []

    def test(self):  # not on the loop: asyncio's debug mode sets its own depth there
        depths.append(sys.get_coroutine_origin_tracking_depth())

    sys.set_coroutine_origin_tracking_depth(50)
    try:
        assert_clean(run_case(case_with(test, asynctest.fail_on(unawaited_coroutines=True))))
        assert depths == [50]
        assert sys.get_coroutine_origin_tracking_depth() == 50
    finally:
        sys.set_coroutine_origin_tracking_depth(0)


# -- unclosed_resources -----------------------------------------------------------------


async def _leaves_a_socket_open(self):
    socket.socket()


def test_unclosed_resources_fails_on_an_unclosed_socket_naming_it():
    message = only_failure(
        run_case(case_with(_leaves_a_socket_open, asynctest.fail_on(unclosed_resources=True)))
    )
    assert "left 1 resource(s) unclosed (ResourceWarning)" in message
    assert "unclosed <socket.socket fd=" in message
    assert "@fail_on(unclosed_resources=False)" in message


def test_unclosed_resources_says_how_to_see_where_it_was_allocated_when_not_tracing():
    assert not tracemalloc.is_tracing()
    message = only_failure(
        run_case(case_with(_leaves_a_socket_open, asynctest.fail_on(unclosed_resources=True)))
    )
    assert "-X tracemalloc=20" in message


def test_unclosed_resources_shows_where_it_was_allocated_when_tracemalloc_traces():
    tracemalloc.start(5)
    try:
        message = only_failure(
            run_case(case_with(_leaves_a_socket_open, asynctest.fail_on(unclosed_resources=True)))
        )
    finally:
        tracemalloc.stop()
    line = _leaves_a_socket_open.__code__.co_firstlineno + 1
    assert f"allocated at {__file__}:{line} `socket.socket()`" in message
    assert "-X tracemalloc" not in message


def test_unclosed_resources_finds_a_socket_kept_alive_by_a_reference_cycle():
    async def test(self):
        holder = {"sock": socket.socket()}
        holder["self"] = holder

    message = only_failure(run_case(case_with(test, asynctest.fail_on(unclosed_resources=True))))
    assert "unclosed <socket.socket" in message


def test_unclosed_resources_names_an_unclosed_file(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("x")

    async def test(self):
        open(path).read()  # noqa: SIM115 - the point of the test

    message = only_failure(run_case(case_with(test, asynctest.fail_on(unclosed_resources=True))))
    assert "unclosed file" in message
    assert "data.txt" in message


def test_unclosed_resources_is_on_under_strict():
    message = only_failure(run_case(case_with(_leaves_a_socket_open, asynctest.strict)))
    assert "unclosed <socket.socket" in message


def test_unclosed_resources_is_off_by_default_and_the_warning_goes_where_it_went():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert_clean(run_case(case_with(_leaves_a_socket_open)))
    assert [w.category for w in caught] == [ResourceWarning]


def test_unclosed_resources_leaves_the_warning_to_assert_warns_in_the_test():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(unclosed_resources=True)
        async def test(self):
            with self.assertWarnsRegex(ResourceWarning, "unclosed <socket"):
                socket.socket()

    assert_clean(run_case(Case))


# -- leaked_threads ---------------------------------------------------------------------


def test_leaked_threads_fails_on_a_thread_left_running_naming_it_and_its_target():
    stop = threading.Event()
    threads = []

    def serve_forever() -> None:
        stop.wait(10)

    async def test(self):
        thread = threading.Thread(target=serve_forever, name="leaky-server", daemon=True)
        thread.start()
        threads.append(thread)

    try:
        message = only_failure(run_case(case_with(test, asynctest.fail_on(leaked_threads=True))))
    finally:
        stop.set()
        threads[0].join(5)
    assert "left 1 thread(s) running" in message
    assert "'leaky-server'" in message
    assert "serve_forever" in message
    assert f"defined at {__file__}:{serve_forever.__code__.co_firstlineno}" in message
    assert "@fail_on(leaked_threads=False)" in message


def test_leaked_threads_does_not_count_the_default_executor_workers():
    async def test(self):
        await self.loop.run_in_executor(None, time.sleep, 0)
        await asyncio.to_thread(time.sleep, 0)

    assert_clean(run_case(case_with(test, asynctest.fail_on(leaked_threads=True))))


def test_leaked_threads_passes_a_thread_that_ends_right_after_the_test():
    async def test(self):
        threading.Thread(target=time.sleep, args=(0.01,)).start()

    assert_clean(run_case(case_with(test, asynctest.fail_on(leaked_threads=True))))


def test_leaked_threads_does_not_count_asynctest_own_threads():
    stop = threading.Event()

    async def test(self):
        threading.Thread(target=stop.wait, args=(10,), name="asynctest-watchdog").start()

    try:
        assert_clean(run_case(case_with(test, asynctest.fail_on(leaked_threads=True))))
    finally:
        stop.set()


def test_leaked_threads_is_on_under_strict():
    stop = threading.Event()

    async def test(self):
        threading.Thread(target=stop.wait, args=(10,), name="strict-leak").start()

    try:
        message = only_failure(run_case(case_with(test, asynctest.strict)))
    finally:
        stop.set()
    assert "'strict-leak'" in message


# -- what the checks leave as they found it ---------------------------------------------


def test_other_warnings_of_the_test_still_reach_the_user():
    async def test(self):
        warnings.warn("the test's own", UserWarning, stacklevel=1)
        warnings.warn("a deprecation", DeprecationWarning, stacklevel=1)
        await asyncio.sleep(0)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert_clean(run_case(case_with(test, asynctest.strict)))
    assert [(w.category, str(w.message)) for w in caught] == [
        (UserWarning, "the test's own"),
        (DeprecationWarning, "a deprecation"),
    ]


def test_other_warnings_raised_as_errors_by_the_filters_still_fail_the_test():
    async def test(self):
        warnings.warn("turned into an error", UserWarning, stacklevel=1)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run_case(case_with(test, asynctest.strict))
    assert "UserWarning: turned into an error" in result.errors[0][1]


def test_the_checks_restore_the_global_hooks_after_a_test():
    before = global_hooks()
    assert_clean(run_case(case_with(_callback_raises, asynctest.lenient)))
    only_failure(run_case(case_with(_forgets_an_await, asynctest.strict)))
    assert global_hooks() == before


def test_the_checks_restore_the_global_hooks_when_set_up_fails():
    class Case(asynctest.TestCase):
        def setUp(self):
            raise RuntimeError("setUp broke")

        @asynctest.strict
        async def test(self):
            pass

    before = global_hooks()
    result = run_case(Case)
    assert "setUp broke" in result.errors[0][1]
    assert global_hooks() == before


def test_the_checks_restore_the_global_hooks_when_debug_raises():
    class Case(asynctest.TestCase):
        @asynctest.strict
        async def test(self):
            raise RuntimeError("the test broke")

    before = global_hooks()
    with pytest.raises(RuntimeError, match="the test broke"):
        Case("test").debug()
    assert global_hooks() == before


def test_the_checks_restore_the_global_hooks_when_the_test_replaces_the_filters():
    async def test(self):
        warnings.resetwarnings()
        warnings.simplefilter("default")

    before = global_hooks()
    with warnings.catch_warnings():
        assert_clean(run_case(case_with(test, asynctest.strict)))
        assert global_hooks()[1:3] == before[1:3]
    assert global_hooks() == before


def test_a_check_teardown_runs_even_when_another_check_before_raises():
    calls = []

    def broken_before(ctx):
        raise RuntimeError("before broke")

    check = checks.register(checks.Check(
        name="zz_broken_before", default=False, before=broken_before,
        after=lambda ctx, state: None,
    ))
    try:
        class Case(asynctest.TestCase):
            @asynctest.fail_on(unawaited_coroutines=True, zz_broken_before=True)
            async def test(self):
                calls.append("test")

        before = global_hooks()
        result = unittest.TestResult()
        Case("test").run(result)
        assert "before broke" in result.errors[0][1]
        assert calls == []
        assert global_hooks() == before
    finally:
        del checks._REGISTRY[check.name]


# -- a run as a user starts it ----------------------------------------------------------

_SUITE = '''
import asyncio, socket, threading
import asynctest

stop = threading.Event()

async def fetch():
    return 1

async def job():
    raise KeyError("job failed")

def callback():
    raise ValueError("callback failed")

class Leaks(asynctest.TestCase):
    async def test_a_callback(self):
        self.loop.call_soon(callback)
        await asyncio.sleep(0)

    async def test_b_task(self):
        asyncio.ensure_future(job())
        await asyncio.sleep(0)

    async def test_c_coroutine(self):
        fetch()

    async def test_d_socket(self):
        socket.socket()

    async def test_e_thread(self):
        threading.Thread(target=stop.wait, args=(5,), name="left-running").start()

    async def test_f_clean(self):
        stop.set()
        await asyncio.sleep(0)
'''


def test_under_strict_each_leak_fails_its_own_test_and_nothing_else_is_printed(tmp_path):
    (tmp_path / "test_leaks.py").write_text(_SUITE)
    done = subprocess.run(
        [sys.executable, "-m", "asynctest", "--strict", "-v", "test_leaks"],
        cwd=tmp_path, env=clean_environment(), capture_output=True, text=True, timeout=60,
    )
    out = done.stderr
    assert done.returncode == 1, out
    for test in ("test_a_callback", "test_b_task", "test_c_coroutine", "test_d_socket",
                 "test_e_thread"):
        assert re.search(rf"^{test} \(test_leaks\.Leaks[.\w]*\) \.\.\. FAIL$", out, re.M), out
    assert "test_f_clean" in out and "FAILED (failures=5)" in out
    assert "Exception in callback callback()" in out
    assert "Task exception was never retrieved" in out
    assert "coroutine 'fetch'" in out
    assert "unclosed <socket.socket" in out
    assert "'left-running'" in out
    # Each reported once, as a failure: not also logged or warned.
    assert out.count("ValueError: callback failed") == 1
    assert "Task was destroyed" not in out
    assert "RuntimeWarning: coroutine" not in out
    assert "ResourceWarning: unclosed" not in out
