"""Post-test checks: fail_on, strict, lenient, and the checks unused_loop and active_handles."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import unittest

import pytest
import uvloop
from _support import assert_clean as assert_passed
from _support import clean_environment, only_failure, run_case

import asynctest
from asynctest import _config

BUILTIN_CHECKS = (
    "deadlock", "unused_loop", "active_handles", "pending_tasks", "active_selector_callbacks",
    "loop_exceptions", "unawaited_coroutines", "unclosed_resources", "leaked_threads",
)


@pytest.fixture
def run_strict():
    """Run the inner tests as ``python -m asynctest --strict`` would."""
    _config.set_current(_config.Defaults(strict=True))


def i_must_run(*args):
    raise AssertionError("a forgotten callback was not supposed to run")


def leaky_case(*decorators, base=asynctest.TestCase):
    """A class whose async test leaves a timer ``i_must_run(1, 'x')`` scheduled."""

    async def test(self):
        self.loop.call_later(3600, i_must_run, 1, "x")

    for decorate in reversed(decorators):
        test = decorate(test)
    return type("Leaky", (base,), {"test": test})


# -- fail_on: arguments and what the decorators return ------------------------------


def test_fail_on_an_unknown_name_raises_type_error_naming_it_and_listing_known_checks():
    with pytest.raises(TypeError) as caught:
        asynctest.fail_on(no_such_check=True)
    message = str(caught.value)
    assert "no_such_check" in message
    for name in BUILTIN_CHECKS:
        assert name in message


def test_fail_on_names_the_unknown_one_among_known_ones():
    with pytest.raises(TypeError, match="unused_lop"):
        asynctest.fail_on(active_handles=True, unused_lop=True)


def test_fail_on_returns_the_same_function():
    def test_x(self):
        pass

    assert asynctest.fail_on(unused_loop=True)(test_x) is test_x


def test_fail_on_returns_the_same_class():
    class Case(asynctest.TestCase):
        pass

    assert asynctest.fail_on(unused_loop=True)(Case) is Case


@pytest.mark.parametrize("decorator", [asynctest.strict, asynctest.lenient], ids=repr)
def test_strict_and_lenient_bare_return_the_same_function_and_class(decorator):
    def test_x(self):
        pass

    class Case(asynctest.TestCase):
        pass

    assert decorator(test_x) is test_x
    assert decorator(Case) is Case


@pytest.mark.parametrize("decorator", [asynctest.strict, asynctest.lenient], ids=repr)
def test_strict_and_lenient_called_return_the_same_function_and_class(decorator):
    def test_x(self):
        pass

    class Case(asynctest.TestCase):
        pass

    assert decorator()(test_x) is test_x
    assert decorator()(Case) is Case


def test_decorating_a_subclass_leaves_the_base_class_alone():
    Base = asynctest.fail_on(active_handles=True)(leaky_case())
    asynctest.fail_on(active_handles=False)(type("Sub", (Base,), {}))
    assert "Loop contained unfinished work" in only_failure(run_case(Base))


# -- unused_loop --------------------------------------------------------------------


def test_unused_loop_fails_a_sync_test_that_never_ran_the_loop():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(unused_loop=True)
        def test(self):
            pass

    assert "Loop did not run during the test" in only_failure(run_case(Case))


def test_unused_loop_passes_an_async_test():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(unused_loop=True)
        async def test(self):
            pass

    assert_passed(run_case(Case))


def test_unused_loop_passes_a_sync_test_that_ran_the_loop_itself():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(unused_loop=True)
        def test(self):
            self.loop.run_until_complete(asyncio.sleep(0))

    assert_passed(run_case(Case))


def test_unused_loop_is_off_by_default():
    class Case(asynctest.TestCase):
        def test(self):
            pass

    assert_passed(run_case(Case))


# -- active_handles -----------------------------------------------------------------


def test_active_handles_fails_on_a_forgotten_timer_naming_the_callback_and_its_arguments():
    message = only_failure(run_case(leaky_case(asynctest.fail_on(active_handles=True))))
    assert "Loop contained unfinished work" in message
    assert "i_must_run(1, 'x')" in message


def test_active_handles_gives_ready_callbacks_their_turn_and_judges_what_they_leave():
    # As asynctest 0.13 (its cleanups ran the loop) and IsolatedAsyncioTestCase
    # (its teardown turn): a callback left ready runs before the check judges;
    # the timer it schedules is what the test left.
    ran = []

    def then_forget_a_timer(loop):
        ran.append(True)
        loop.call_later(60, i_must_run, 2)

    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_handles=True)
        def test(self):
            self.loop.call_soon(then_forget_a_timer, self.loop)

    message = only_failure(run_case(Case))
    assert ran == [True]
    assert "Loop contained unfinished work" in message
    assert "<TimerHandle i_must_run(2) due in " in message
    assert "then_forget_a_timer" not in message


def test_active_handles_does_not_flag_asyncio_callbacks_queued_while_a_server_closes():
    # A correct server test: asyncio queues the finished handler task's
    # done-callback while the server closes; it is not the test's leftover.
    class Case(asynctest.TestCase):
        @asynctest.strict
        async def test(self):
            async def handle(reader, writer):
                writer.write(await reader.readline())
                await reader.read()  # until the client closes
                writer.close()

            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"ping\n")
            self.assertEqual(await reader.readline(), b"ping\n")
            writer.close()
            await writer.wait_closed()
            server.close()
            await server.wait_closed()

    assert_passed(run_case(Case))


def test_active_handles_lists_every_forgotten_callback():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_handles=True)
        async def test(self):
            self.loop.call_later(10, i_must_run, "first")
            self.loop.call_later(20, i_must_run, "second")

    message = only_failure(run_case(Case))
    assert "i_must_run('first')" in message
    assert "i_must_run('second')" in message


def test_active_handles_message_starts_as_in_0_13_and_lists_each_handle_once():
    message = only_failure(run_case(leaky_case(asynctest.fail_on(active_handles=True))))
    first = message.split("AssertionError: ", 1)[1].splitlines()[0]
    assert first.startswith("Loop contained unfinished work")
    assert message.count("i_must_run(1, 'x')") == 1, message
    assert "test left 1 callback scheduled on the loop" in message


def test_active_handles_shows_when_a_timer_is_due_relative_to_the_test_clock():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_handles=True)
        async def test(self):
            self.loop.call_later(3600, i_must_run, 1)

    message = only_failure(run_case(Case))
    assert "<TimerHandle i_must_run(1) due in 3600.0 s>" in message, message
    assert "when=" not in message


def test_active_handles_in_a_clocked_test_counts_from_the_virtual_clock():
    class Case(asynctest.ClockedTestCase):
        @asynctest.fail_on(active_handles=True)
        async def test(self):
            await self.advance(100)
            self.loop.call_later(5, i_must_run, 1)

    assert "i_must_run(1) due in 5.0 s>" in only_failure(run_case(Case))


def test_active_handles_says_how_to_see_where_a_handle_was_created():
    class NotDebugged(asynctest.TestCase):
        debug = False  # (even under PYTHONDEVMODE)

        @asynctest.fail_on(active_handles=True)
        async def test(self):
            self.loop.call_later(3600, i_must_run, 1)

    message = only_failure(run_case(NotDebugged))
    assert "debug = True on the class, or --debug) to see where each was created" in message

    class Debugged(asynctest.TestCase):
        debug = True

        @asynctest.fail_on(active_handles=True)
        async def test(self):
            self.loop.call_later(3600, i_must_run, 1)  # the line shown

    message = only_failure(run_case(Debugged))
    with open(__file__, encoding="utf-8") as source:
        line = next(i for i, text in enumerate(source, 1) if "# the line shown" in text)
    assert f"due in 3600.0 s> created at {__file__}:{line}" in message, message
    assert "to see where each was created" not in message


def test_active_handles_passes_when_the_timers_are_cancelled():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_handles=True)
        async def test(self):
            self.loop.call_later(3600, i_must_run, 1).cancel()
            handle = self.loop.call_later(3600, i_must_run, 2)
            self.addCleanup(handle.cancel)

    assert_passed(run_case(Case))


def test_active_handles_passes_when_the_callbacks_ran():
    ran = []

    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_handles=True)
        async def test(self):
            self.loop.call_later(0.001, ran.append, 1)
            await asyncio.sleep(0.05)

    assert_passed(run_case(Case))
    assert ran == [1]


def test_active_handles_is_off_by_default():
    class Case(asynctest.TestCase):
        def test(self):
            self.loop.call_later(3600, i_must_run, 1)
            self.loop.call_soon(i_must_run, 2)

    assert_passed(run_case(Case))
    assert_passed(run_case(leaky_case()))


def test_a_check_that_is_off_leaves_nothing_on_the_loop_for_the_others():
    # unused_loop watches the loop with a callback of its own: when it is off,
    # that callback must not exist, or active_handles would report it.
    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_handles=True)
        def test(self):
            pass

    assert_passed(run_case(Case))


def test_active_handles_on_uvloop_fails_saying_the_check_is_not_available():
    # uvloop's timers cannot be listed: passing would hide a forgotten timer.
    Case = leaky_case(asynctest.fail_on(active_handles=True))
    Case.loop_factory = uvloop.new_event_loop
    message = only_failure(run_case(Case))
    assert "The active_handles check is not available on uvloop.Loop loops" in message
    assert "test was not checked" in message
    assert "@fail_on(active_handles=False)" in message


def test_checks_turned_off_as_the_message_says_pass_on_uvloop(run_strict):
    @asynctest.fail_on(active_handles=False, active_selector_callbacks=False)
    class Case(asynctest.TestCase):
        loop_factory = uvloop.new_event_loop

        async def test(self):
            await asyncio.sleep(0)

    assert_passed(run_case(Case))


def test_every_check_that_strict_turns_on_works_on_uvloop_or_says_it_cannot(run_strict):
    class Case(asynctest.TestCase):
        loop_factory = uvloop.new_event_loop

        async def test(self):
            await asyncio.sleep(0)

    message = only_failure(run_case(Case))
    unavailable = sorted(re.findall(r"The (\w+) check is not available on", message))
    assert unavailable == ["active_handles", "active_selector_callbacks"], message


# -- how a check failure is reported ----------------------------------------------


def test_a_check_failure_is_a_failure_of_that_test_not_an_error():
    result = run_case(leaky_case(asynctest.fail_on(active_handles=True)))
    assert result.errors == []
    assert len(result.failures) == 1
    case, _ = result.failures[0]
    assert case.id().endswith("Leaky.test")


def test_a_check_failure_comes_with_the_test_own_failure():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_handles=True)
        async def test(self):
            self.loop.call_later(3600, i_must_run, 1)
            self.fail("the test's own failure")

    result = run_case(Case)
    assert result.errors == []
    texts = "\n".join(text for _, text in result.failures)
    assert "the test's own failure" in texts
    assert "Loop contained unfinished work" in texts


INNER_LEAKY_MODULE = """
import asynctest


def i_must_run(*args):
    pass


class Leaky(asynctest.TestCase):
    @asynctest.fail_on(active_handles=True)
    async def test_leaky(self):
        self.loop.call_later(3600, i_must_run, 1, "x")
"""


def _run_inner(tmp_path, *command):
    (tmp_path / "test_inner_leaky.py").write_text(INNER_LEAKY_MODULE)
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=tmp_path, env=clean_environment(),
        capture_output=True, text=True, timeout=120,
    )


def test_under_pytest_a_check_failure_shows_its_message_without_internal_frames(tmp_path):
    proc = _run_inner(tmp_path, "pytest", "-p", "no:cacheprovider", "test_inner_leaky.py")
    lines = proc.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "Leaky.test_leaky" in line)
    message = next(i for i, line in enumerate(lines) if "Loop contained unfinished work" in line)
    assert message - header <= 3, proc.stdout  # was ~35 lines of unittest and asynctest
    assert "asynctest/_" not in proc.stdout, proc.stdout
    assert "1 failed" in proc.stdout


def test_under_unittest_a_check_failure_is_still_an_assertion_error(tmp_path):
    proc = _run_inner(tmp_path, "unittest", "test_inner_leaky")
    assert "AssertionError: Loop contained unfinished work" in proc.stderr, proc.stderr
    assert "FAILED (failures=1)" in proc.stderr


def test_a_check_failure_is_an_instance_of_the_test_failure_exception():
    class MyFailure(AssertionError):
        pass

    Case = leaky_case(asynctest.fail_on(active_handles=True))
    Case.failureException = MyFailure
    case = Case("test")
    with pytest.raises(MyFailure, match="Loop contained unfinished work") as caught:
        case.debug()
    assert str(caught.value).startswith("Loop contained unfinished work")


def test_checks_are_skipped_when_set_up_failed():
    @asynctest.fail_on(active_handles=True, unused_loop=True)
    class Case(asynctest.TestCase):
        def setUp(self):
            self.loop.call_later(3600, i_must_run, 1)
            raise RuntimeError("setUp broke")

        def test(self):
            pass

    result = run_case(Case)
    assert result.failures == []
    assert len(result.errors) == 1
    assert "setUp broke" in result.errors[0][1]
    assert "Loop contained unfinished work" not in result.errors[0][1]


def test_a_cleanup_cancelling_the_timer_runs_before_the_checks():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(active_handles=True)
        async def test(self):
            handle = self.loop.call_later(3600, i_must_run, 1)
            self.addCleanup(handle.cancel)

    assert_passed(run_case(Case))


# -- strict and lenient -------------------------------------------------------------


@pytest.mark.parametrize("form", ["bare", "called"])
def test_strict_on_a_method_turns_the_checks_on(form):
    decorator = asynctest.strict if form == "bare" else asynctest.strict()
    assert "Loop contained unfinished work" in only_failure(run_case(leaky_case(decorator)))


@pytest.mark.parametrize("form", ["bare", "called"])
def test_strict_on_a_class_turns_the_checks_on(form):
    decorator = asynctest.strict if form == "bare" else asynctest.strict()
    Case = decorator(leaky_case())
    assert "Loop contained unfinished work" in only_failure(run_case(Case))


def test_strict_turns_unused_loop_on():
    class Case(asynctest.TestCase):
        @asynctest.strict
        def test(self):
            pass

    assert "Loop did not run during the test" in only_failure(run_case(Case))


@pytest.mark.parametrize("form", ["bare", "called"])
def test_lenient_on_a_method_turns_the_checks_off(form, run_strict):
    decorator = asynctest.lenient if form == "bare" else asynctest.lenient()
    assert_passed(run_case(leaky_case(decorator)))


@pytest.mark.parametrize("form", ["bare", "called"])
def test_lenient_on_a_class_turns_the_checks_off(form, run_strict):
    decorator = asynctest.lenient if form == "bare" else asynctest.lenient()
    assert_passed(run_case(decorator(leaky_case())))


# -- precedence -----------------------------------------------------------------------


def test_the_method_decorator_wins_over_the_class_decorator_to_turn_off():
    Case = asynctest.fail_on(active_handles=True)(
        leaky_case(asynctest.fail_on(active_handles=False))
    )
    assert_passed(run_case(Case))


def test_the_method_decorator_wins_over_the_class_decorator_to_turn_on():
    Case = asynctest.lenient(leaky_case(asynctest.fail_on(active_handles=True)))
    assert "Loop contained unfinished work" in only_failure(run_case(Case))


def test_a_class_decorator_applies_to_the_tests_of_subclasses():
    Base = asynctest.fail_on(active_handles=True)(leaky_case())
    Sub = type("Sub", (Base,), {})
    assert "Loop contained unfinished work" in only_failure(run_case(Sub))


def test_the_subclass_decorator_wins_over_the_base_class_decorator_to_turn_off():
    Base = asynctest.fail_on(active_handles=True)(leaky_case())
    Sub = asynctest.fail_on(active_handles=False)(type("Sub", (Base,), {}))
    assert_passed(run_case(Sub))


def test_the_subclass_decorator_wins_over_the_base_class_decorator_to_turn_on():
    Base = asynctest.fail_on(active_handles=False)(leaky_case())
    Sub = asynctest.fail_on(active_handles=True)(type("Sub", (Base,), {}))
    assert "Loop contained unfinished work" in only_failure(run_case(Sub))


def test_stacked_decorators_apply_innermost_first_so_outer_fail_on_wins():
    Case = leaky_case(asynctest.fail_on(active_handles=False), asynctest.strict)
    assert_passed(run_case(Case))


def test_stacked_decorators_apply_innermost_first_so_outer_strict_wins():
    Case = leaky_case(asynctest.strict, asynctest.fail_on(active_handles=False))
    assert "Loop contained unfinished work" in only_failure(run_case(Case))


def test_fail_on_for_one_check_leaves_the_others_off():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(unused_loop=True)
        async def test(self):
            self.loop.call_later(3600, i_must_run, 1)

    assert_passed(run_case(Case))


# -- the run-wide default (--strict, ASYNCTEST_STRICT) ---------------------------------


def test_run_strict_turns_every_check_on(run_strict):
    assert "Loop contained unfinished work" in only_failure(run_case(leaky_case()))


def test_run_strict_turns_unused_loop_on(run_strict):
    class Case(asynctest.TestCase):
        def test(self):
            pass

    assert "Loop did not run during the test" in only_failure(run_case(Case))


def test_asynctest_strict_environment_variable_turns_every_check_on(monkeypatch):
    monkeypatch.setenv("ASYNCTEST_STRICT", "1")
    _config.set_current(None)  # read the environment again
    assert "Loop contained unfinished work" in only_failure(run_case(leaky_case()))


def test_explicit_fail_on_false_on_the_method_wins_over_run_strict(run_strict):
    assert_passed(run_case(leaky_case(asynctest.fail_on(active_handles=False))))


def test_explicit_fail_on_false_on_the_class_wins_over_run_strict(run_strict):
    assert_passed(run_case(asynctest.fail_on(active_handles=False)(leaky_case())))


def test_lenient_on_the_class_wins_over_run_strict_for_unused_loop(run_strict):
    @asynctest.lenient
    class Case(asynctest.TestCase):
        def test(self):
            pass

    assert_passed(run_case(Case))


def test_a_clean_test_passes_under_run_strict(run_strict):
    class Case(asynctest.TestCase):
        async def test(self):
            await asyncio.sleep(0)

    assert_passed(run_case(Case))


def test_function_test_cases_of_different_functions_have_their_own_checks():
    @asynctest.fail_on(active_handles=True)
    async def leaks_checked():
        asyncio.get_running_loop().call_later(10, print)

    async def leaks_unchecked():
        asyncio.get_running_loop().call_later(10, print)

    for function, failures in ((leaks_checked, 1), (leaks_unchecked, 0), (leaks_checked, 1)):
        result = unittest.TestResult()
        asynctest.FunctionTestCase(function).run(result)
        assert len(result.failures) == failures, (function, result.failures)


def test_methods_of_one_class_have_their_own_checks_whatever_the_order():
    def leak():  # a new function each time: the decorators mark the function itself
        async def test(self):
            self.loop.call_later(3600, i_must_run)

        return test

    Case = type("Case", (asynctest.TestCase,), {
        "test_plain": leak(),
        "test_other_plain": leak(),
        "test_checked": asynctest.fail_on(active_handles=True)(leak()),
        "test_strict": asynctest.strict(leak()),
    })
    expected = {"test_plain": 0, "test_other_plain": 0, "test_checked": 1, "test_strict": 1}
    for name in ("test_plain", "test_checked", "test_other_plain", "test_strict", "test_plain"):
        result = run_case(Case, name)
        assert len(result.failures) == expected[name], (name, result.failures)


def test_a_decorator_applied_after_a_run_is_seen_by_the_next_run():
    class Case(asynctest.TestCase):
        async def test(self):
            self.loop.call_later(3600, i_must_run)

    assert_passed(run_case(Case))
    asynctest.fail_on(active_handles=True)(Case)  # on the class
    assert "i_must_run" in only_failure(run_case(Case))
    asynctest.lenient(Case.test)  # on the method: wins
    assert_passed(run_case(Case))
    asynctest.strict(Case.test)
    assert "i_must_run" in only_failure(run_case(Case))
