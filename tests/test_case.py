"""asynctest.TestCase: the life of one test's loop, its phases and their order."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import os
import subprocess
import sys
import textwrap
import threading
import unittest
import warnings
from typing import Any

import pytest
from _support import assert_passed, messages, run_test

import asynctest
from asynctest import _compat

var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="unset")


# -- the loop -----------------------------------------------------------------------


def test_each_test_gets_a_new_loop_set_as_current_and_closed_after() -> None:
    seen = []

    class Case(asynctest.TestCase):
        def test_a(self) -> None:
            seen.append(self.loop)
            self.assertIs(_compat.current_loop(), self.loop)
            self.assertFalse(self.loop.is_closed())

        test_b = test_a

    assert_passed(run_test(Case, "test_a"))
    assert_passed(run_test(Case, "test_b"))
    assert seen[0] is not seen[1]
    assert all(loop.is_closed() for loop in seen)


def test_coroutine_test_runs_on_the_test_loop() -> None:
    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            self.assertIs(asyncio.get_running_loop(), self.loop)

    assert_passed(run_test(Case, "test_a"))


def test_plain_method_returning_a_coroutine_is_awaited() -> None:
    ran = []

    class Case(asynctest.TestCase):
        def test_a(self):  # type: ignore[no-untyped-def]
            async def body() -> None:
                ran.append(asyncio.get_running_loop() is self.loop)
                raise AssertionError("from the returned coroutine")

            return body()

    result = run_test(Case, "test_a")
    assert ran == [True]
    assert len(result.failures) == 1
    assert "from the returned coroutine" in messages(result)


def test_failing_coroutine_test_is_reported_as_failure() -> None:
    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            await asyncio.sleep(0)
            self.assertEqual(1, 2)

    result = run_test(Case, "test_a")
    assert len(result.failures) == 1 and not result.errors
    assert "1 != 2" in messages(result)


def test_run_without_result_returns_a_test_result() -> None:
    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            pass

    result = Case("test_a").run()
    assert isinstance(result, unittest.TestResult)
    assert result.testsRun == 1 and result.wasSuccessful()


# -- order of the phases ------------------------------------------------------------


def _ordered_case(events: list[str], *, fail_in: str = "") -> type:
    def step(name: str) -> None:
        events.append(name)
        if name == fail_in:
            raise RuntimeError(f"boom in {name}")

    class Case(asynctest.TestCase):
        async def setUp(self) -> None:
            step("setUp")
            self.addCleanup(step, "cleanup1")
            self.addAsyncCleanup(self.acleanup, "cleanup2")

        async def asyncSetUp(self) -> None:
            step("asyncSetUp")

        async def acleanup(self, name: str) -> None:
            await asyncio.sleep(0)
            step(name)

        async def test_a(self) -> None:
            step("test")

        async def asyncTearDown(self) -> None:
            step("asyncTearDown")

        def tearDown(self) -> None:
            step("tearDown")

    return Case


def test_phases_run_in_isolated_asyncio_test_case_order() -> None:
    events: list[str] = []
    assert_passed(run_test(_ordered_case(events), "test_a"))
    assert events == [
        "setUp", "asyncSetUp", "test", "asyncTearDown", "tearDown", "cleanup2", "cleanup1",
    ]


def test_setup_and_teardown_set_on_the_instance_are_run() -> None:
    events: list[str] = []

    class Case(asynctest.TestCase):  # no setUp/tearDown of its own
        async def test_a(self) -> None:
            events.append("test")

    async def async_setup() -> None:
        events.append("setUp")

    case = Case("test_a")
    case.setUp = async_setup  # type: ignore[method-assign]
    case.tearDown = lambda: events.append("tearDown")  # type: ignore[method-assign]
    result = unittest.TestResult()
    case.run(result)
    assert_passed(result)
    assert events == ["setUp", "test", "tearDown"]
    events.clear()
    assert_passed(run_test(Case, "test_a"))  # other instances are not affected
    assert events == ["test"]


def test_a_subclass_runs_its_own_setup_after_its_base_ran() -> None:
    events: list[str] = []

    class Base(asynctest.TestCase):
        async def test_a(self) -> None:
            events.append("test")

    class Derived(Base):
        async def asyncSetUp(self) -> None:
            events.append("asyncSetUp")

        def tearDown(self) -> None:
            events.append("tearDown")

    assert_passed(run_test(Base, "test_a"))  # reads what Base runs, first
    assert_passed(run_test(Derived, "test_a"))
    assert_passed(run_test(Base, "test_a"))
    assert events == ["test", "asyncSetUp", "test", "tearDown", "test"]


def test_failing_setup_skips_teardown_but_runs_cleanups_and_closes_loop() -> None:
    events: list[str] = []
    Case = _ordered_case(events, fail_in="asyncSetUp")
    case = Case("test_a")
    result = unittest.TestResult()
    loops = []
    case.addCleanup(lambda: loops.append(case.loop))
    case.run(result)
    assert events == ["setUp", "asyncSetUp", "cleanup2", "cleanup1"]
    assert len(result.errors) == 1 and "boom in asyncSetUp" in messages(result)
    assert loops and loops[0].is_closed()


def test_errors_of_test_teardown_and_each_cleanup_are_all_reported() -> None:
    class Case(asynctest.TestCase):
        def setUp(self) -> None:
            self.addCleanup(self.fail_cleanup, "first")
            self.addCleanup(self.fail_cleanup, "second")

        async def fail_cleanup(self, which: str) -> None:
            raise ValueError(f"cleanup {which} failed")

        async def test_a(self) -> None:
            raise KeyError("test failed")

        async def tearDown(self) -> None:
            raise OSError("tearDown failed")

    result = run_test(Case, "test_a")
    text = messages(result)
    assert len(result.errors) == 4, text
    for expected in ("test failed", "tearDown failed", "cleanup first failed",
                     "cleanup second failed"):
        assert expected in text


async def _fails_after_a_turn() -> None:
    await asyncio.sleep(0)
    raise ValueError("boom from the code under test")


@pytest.mark.parametrize("name", ["test_error", "test_failure", "test_cleanup"])
def test_tracebacks_show_the_test_code_and_no_frame_of_asynctest(name: str) -> None:
    # 3.9/3.10 run each step of a task through a wrapper (no create_task
    # context argument): it must not show between asyncio's frame and the test's.
    class Case(asynctest.TestCase):
        async def test_error(self) -> None:
            await _fails_after_a_turn()

        async def test_failure(self) -> None:
            await asyncio.sleep(0)
            self.assertEqual(1, 2)

        async def test_cleanup(self) -> None:
            self.addCleanup(_fails_after_a_turn)

    text = messages(run_test(Case, name))
    assert "Traceback" in text
    assert os.path.dirname(asynctest.__file__) not in text, text
    expected = "self.assertEqual(1, 2)" if name == "test_failure" else "raise ValueError("
    assert expected in text, text


# -- async generators are not tests -----------------------------------------------------


def test_an_async_generator_test_is_an_error_saying_so() -> None:
    ran = []

    class Case(asynctest.TestCase):
        async def test_gen(self) -> Any:
            ran.append("test")
            yield

    result = run_test(Case, "test_gen")
    assert len(result.errors) == 1 and not result.failures, messages(result)
    text = messages(result)
    assert "Case.test_gen (" in text
    assert "is an async generator function" in text and "remove the 'yield'" in text
    assert f"{__file__}:" in text  # where it is
    assert ran == []


@pytest.mark.parametrize("phase", ["setUp", "asyncSetUp", "tearDown", "asyncTearDown", "cleanup"])
def test_an_async_generator_setup_teardown_or_cleanup_is_an_error(phase: str) -> None:
    async def generator(self: Any) -> Any:
        yield

    namespace: dict[str, Any] = {"test_a": lambda self: None}
    if phase == "cleanup":
        namespace["setUp"] = lambda self: self.addCleanup(generator, self)
    else:
        namespace[phase] = generator
    Case = type("Case", (asynctest.TestCase,), namespace)
    result = run_test(Case, "test_a")
    assert len(result.errors) == 1 and not result.failures, messages(result)
    text = messages(result)
    assert "<locals>.generator (" in text and "is an async generator function" in text
    # The same when the phase runs watched by a timeout.
    Timed = type("Timed", (Case,), {"timeout": 60})
    result = run_test(Timed, "test_a")
    assert len(result.errors) == 1 and not result.failures, messages(result)
    text = messages(result)
    assert "<locals>.generator (" in text and "is an async generator function" in text


# -- context variables ----------------------------------------------------------------


def test_context_variables_flow_from_setup_to_test_teardown_and_cleanups() -> None:
    seen = []

    class Case(asynctest.TestCase):
        def setUp(self) -> None:
            var.set("setUp")
            self.addCleanup(self.record, "cleanup")

        async def asyncSetUp(self) -> None:
            seen.append(("asyncSetUp", var.get()))
            var.set("asyncSetUp")

        async def record(self, where: str) -> None:
            seen.append((where, var.get()))

        async def test_a(self) -> None:
            seen.append(("test", var.get()))
            var.set("test")

        def tearDown(self) -> None:
            seen.append(("tearDown", var.get()))

    assert_passed(run_test(Case, "test_a"))
    assert seen == [
        ("asyncSetUp", "setUp"), ("test", "asyncSetUp"), ("tearDown", "test"),
        ("cleanup", "test"),
    ]
    assert var.get() == "unset"  # nothing leaks out of the test


def test_each_test_starts_from_a_fresh_context() -> None:
    seen = []

    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            seen.append(var.get())
            var.set("changed")

    assert_passed(run_test(Case, "test_a"))
    assert_passed(run_test(Case, "test_a"))
    assert seen == ["unset", "unset"]


# -- what is cleaned after the test -------------------------------------------------------


def test_leftover_tasks_are_cancelled_and_awaited() -> None:
    finalized = []

    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            async def forever() -> None:
                try:
                    await asyncio.sleep(3600)
                finally:
                    finalized.append("cancelled")

            self.task = asyncio.ensure_future(forever())
            await asyncio.sleep(0)

    case = Case("test_a")
    result = unittest.TestResult()
    case.run(result)
    assert result.wasSuccessful(), messages(result)
    assert finalized == ["cancelled"]
    assert case.task.cancelled()


def test_leftover_task_raising_while_cancelled_is_reported() -> None:
    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            async def stubborn() -> None:
                try:
                    await asyncio.sleep(3600)
                except asyncio.CancelledError:
                    raise RuntimeError("refused to die") from None

            asyncio.ensure_future(stubborn())
            await asyncio.sleep(0)

    result = run_test(Case, "test_a")
    assert len(result.errors) == 1
    assert "refused to die" in messages(result)
    assert "leftover task" in messages(result)


def test_async_generators_are_closed() -> None:
    closed = []

    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            async def numbers():  # type: ignore[no-untyped-def]
                try:
                    yield 1
                    yield 2
                finally:
                    closed.append(True)

            self.gen = numbers()
            self.assertEqual(await self.gen.__anext__(), 1)

    assert_passed(run_test(Case, "test_a"))
    assert closed == [True]


def test_default_executor_is_shut_down() -> None:
    threads_before = set(threading.enumerate())

    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            await self.loop.run_in_executor(None, sum, [1, 2])

    assert_passed(run_test(Case, "test_a"))
    assert set(threading.enumerate()) <= threads_before


def test_global_asyncio_state_is_restored_exactly() -> None:
    custom = asyncio.DefaultEventLoopPolicy()
    saved = _compat.installed_policy()
    _compat.install_policy(custom)
    try:

        class Case(asynctest.TestCase):
            async def test_a(self) -> None:
                asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())

        assert_passed(run_test(Case, "test_a"))
        assert _compat.installed_policy() is custom
        assert _compat.current_loop() is None
    finally:
        _compat.install_policy(saved)


def test_the_default_policy_is_left_as_found_even_its_set_event_loop_flag() -> None:
    # Before a test nothing was set as current in this thread: afterwards,
    # asyncio must still see it so (get_event_loop() may make a loop on 3.9-3.11).
    saved = _compat.installed_policy()
    _compat.install_policy(asyncio.DefaultEventLoopPolicy())
    try:
        before = _compat.read_global_state()
        assert before[1] is None and before[2] is False

        class Case(asynctest.TestCase):
            async def test_quiet(self) -> None:
                assert asyncio.get_event_loop() is self.loop  # current during the test

            async def test_sets_loops(self) -> None:
                asyncio.set_event_loop(None)
                asyncio.set_event_loop(self.loop)

        for name in ("test_quiet", "test_sets_loops"):
            assert_passed(run_test(Case, name))
            assert _compat.read_global_state() == before, name
    finally:
        _compat.install_policy(saved)


def test_without_a_policy_the_default_one_is_left_with_no_current_loop() -> None:
    saved = _compat.installed_policy()
    _compat.install_policy(None)
    try:

        class Case(asynctest.TestCase):
            async def test_a(self) -> None:
                pass

        assert_passed(run_test(Case, "test_a"))
        # What asyncio would create on demand anyway: its default, empty.
        policy = _compat.installed_policy()
        assert policy is None or type(policy) is asyncio.DefaultEventLoopPolicy
        assert _compat.current_loop() is None

        class WithFactory(asynctest.TestCase):
            loop_factory = asyncio.SelectorEventLoop

            async def test_a(self) -> None:
                pass

        _compat.install_policy(None)
        assert_passed(run_test(WithFactory, "test_a"))
        assert _compat.installed_policy() is None  # as IsolatedAsyncioTestCase on 3.13
    finally:
        _compat.install_policy(saved)


def test_a_policy_installed_by_the_test_is_removed() -> None:
    class Custom(asyncio.DefaultEventLoopPolicy):
        pass

    saved = _compat.installed_policy()
    _compat.install_policy(None)
    try:

        class Case(asynctest.TestCase):
            async def test_a(self) -> None:
                asyncio.set_event_loop_policy(Custom())

        assert_passed(run_test(Case, "test_a"))
        assert not isinstance(_compat.installed_policy(), Custom)
    finally:
        _compat.install_policy(saved)


def test_previous_current_loop_is_put_back() -> None:
    outer = asyncio.new_event_loop()
    try:
        _compat.set_current_loop(outer)

        class Case(asynctest.TestCase):
            async def test_a(self) -> None:
                self.assertIsNot(self.loop, outer)

        assert_passed(run_test(Case, "test_a"))
        assert _compat.current_loop() is outer
        assert not outer.is_closed()
    finally:
        _compat.set_current_loop(None)
        outer.close()


# -- tests that misbehave do not break the next test ---------------------------------------


def _next_test_works() -> None:
    class Next(asynctest.TestCase):
        async def test_a(self) -> None:
            await asyncio.sleep(0)

    assert_passed(run_test(Next, "test_a"))


def test_a_test_closing_its_own_loop_does_not_break_the_next() -> None:
    class Case(asynctest.TestCase):
        def test_a(self) -> None:
            self.loop.close()

    assert_passed(run_test(Case, "test_a"))
    _next_test_works()


async def _close_connection(name: str) -> None:
    await asyncio.sleep(0)


def test_async_phases_after_the_test_closed_its_loop_are_named_with_why_they_did_not_run() -> None:
    class Case(asynctest.TestCase):
        def setUp(self) -> None:
            self.addCleanup(_close_connection, "db")

        def test_a(self) -> None:
            self.loop.close()

        async def tearDown(self) -> None:
            pass

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_test(Case, "test_a")
        gc.collect()
    assert len(result.errors) == 2 and not result.failures, messages(result)
    teardown, cleanup = (text for _, text in result.errors)
    for text, name in ((teardown, "tearDown ("), (cleanup, "the cleanup _close_connection() (")):
        assert name in text, text
        assert "could not run: the test's event loop was closed before it" in text, text
        assert "self.loop.close()" in text
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []
    _next_test_works()
    # The same when the phases run watched by a timeout.
    Timed = type("Timed", (Case,), {"timeout": 60})
    result = run_test(Timed, "test_a")
    assert len(result.errors) == 2 and not result.failures, messages(result)
    assert "the cleanup _close_connection() (" in messages(result)
    assert messages(result).count("could not run: the test's event loop was closed") == 2


def test_a_test_replacing_the_current_loop_does_not_leak_it() -> None:
    before = _compat.current_loop()
    other = asyncio.new_event_loop()

    class Case(asynctest.TestCase):
        def test_a(self) -> None:
            asyncio.set_event_loop(other)

    try:
        assert_passed(run_test(Case, "test_a"))
        assert _compat.current_loop() is before
        _next_test_works()
    finally:
        other.close()


def test_a_test_leaving_its_loop_running_in_a_thread_does_not_break_the_next() -> None:
    class Case(asynctest.TestCase):
        def test_a(self) -> None:
            self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
            self.thread.start()
            while not self.loop.is_running():
                pass

    case = Case("test_a")
    result = unittest.TestResult()
    case.run(result)
    case.thread.join(5)
    assert not case.thread.is_alive()
    _next_test_works()


def test_a_test_leaving_a_loop_marked_running_does_not_break_the_next() -> None:
    class Case(asynctest.TestCase):
        def test_a(self) -> None:
            asyncio.events._set_running_loop(self.loop)

    run_test(Case, "test_a")
    assert _compat.running_loop() is None
    _next_test_works()


# -- options of 0.13 ------------------------------------------------------------------------


def test_use_default_loop_uses_the_current_loop_and_does_not_close_it() -> None:
    outer = asyncio.new_event_loop()
    try:
        _compat.set_current_loop(outer)

        class Case(asynctest.TestCase):
            use_default_loop = True

            async def test_a(self) -> None:
                self.assertIs(asyncio.get_running_loop(), outer)

        assert_passed(run_test(Case, "test_a"))
        assert not outer.is_closed()
    finally:
        _compat.set_current_loop(None)
        outer.close()


def test_forbid_get_event_loop_fails_a_test_calling_it_outside_a_coroutine() -> None:
    class Case(asynctest.TestCase):
        forbid_get_event_loop = True

        def test_a(self) -> None:
            try:
                asyncio.get_event_loop()
            except AssertionError:
                pass  # even when the code under test swallows it, the test fails

    result = run_test(Case, "test_a")
    assert len(result.failures) == 1
    assert "asyncio.get_event_loop() was called outside a coroutine" in messages(result)
    assert "test_case.py" in messages(result)  # it says where


def test_forbid_get_event_loop_allows_it_inside_coroutines() -> None:
    class Case(asynctest.TestCase):
        forbid_get_event_loop = True

        async def test_a(self) -> None:
            self.assertIs(asyncio.get_event_loop(), self.loop)

    assert_passed(run_test(Case, "test_a"))
    assert not isinstance(_compat.installed_policy(), type(None)) or True
    policy = _compat.installed_policy()
    assert policy is None or type(policy).__name__ != "_ForbiddingPolicy"


# -- awaitable assertions -------------------------------------------------------------------


async def _raise_value_error() -> None:
    raise ValueError("bad value 42")


async def _nothing() -> None:
    pass


async def _warn() -> None:
    import warnings

    warnings.warn("careful: 7", UserWarning, stacklevel=2)


@pytest.mark.parametrize(
    ("assertion", "passing", "failing"),
    [
        ("assertAsyncRaises", (ValueError, _raise_value_error), (ValueError, _nothing)),
        ("assertAsyncRaisesRegex", (ValueError, "value 4", _raise_value_error),
         (ValueError, "value 5", _raise_value_error)),
        ("assertAsyncWarns", (UserWarning, _warn), (UserWarning, _nothing)),
        ("assertAsyncWarnsRegex", (UserWarning, "careful", _warn),
         (UserWarning, "other", _warn)),
    ],
)
def test_awaitable_assertions_pass_and_fail(assertion: str, passing: tuple, failing: tuple
                                            ) -> None:
    class Case(asynctest.TestCase):
        async def test_pass(self) -> None:
            *args, make = passing
            context = await getattr(self, assertion)(*args, make())
            self.assertIsNotNone(context)

        async def test_fail(self) -> None:
            *args, make = failing
            await getattr(self, assertion)(*args, make())

    assert_passed(run_test(Case, "test_pass"))
    result = run_test(Case, "test_fail")
    assert len(result.failures) == 1, messages(result)


# -- debug(), FunctionTestCase, class fixtures -------------------------------------------------


def test_debug_runs_the_test_and_raises_its_error() -> None:
    events = []

    class Case(asynctest.TestCase):
        async def setUp(self) -> None:
            events.append("setUp")

        async def test_ok(self) -> None:
            events.append("test")

        async def test_bad(self) -> None:
            raise ValueError("raised by debug")

    Case("test_ok").debug()
    assert events == ["setUp", "test"]
    case = Case("test_bad")
    with pytest.raises(ValueError, match="raised by debug"):
        case.debug()
    assert _compat.running_loop() is None


def test_function_test_case_accepts_plain_and_coroutine_functions() -> None:
    events = []

    async def set_up() -> None:
        events.append("setUp")

    async def body() -> None:
        events.append(asyncio.get_running_loop() is not None)

    def tear_down() -> None:
        events.append("tearDown")

    result = unittest.TestResult()
    asynctest.FunctionTestCase(body, setUp=set_up, tearDown=tear_down).run(result)
    assert result.wasSuccessful(), messages(result)
    assert events == ["setUp", True, "tearDown"]

    async def failing() -> None:
        raise AssertionError("function failed")

    result = unittest.TestResult()
    asynctest.FunctionTestCase(failing).run(result)
    assert len(result.failures) == 1 and "function failed" in messages(result)


def test_setup_class_and_teardown_class_stay_synchronous() -> None:
    events = []

    class Case(asynctest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            events.append(("setUpClass", _compat.running_loop()))

        @classmethod
        def tearDownClass(cls) -> None:
            events.append(("tearDownClass", _compat.running_loop()))

        async def test_a(self) -> None:
            events.append(("test", None))

    suite = unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    result = unittest.TestResult()
    suite.run(result)
    assert result.wasSuccessful(), messages(result)
    assert events == [("setUpClass", None), ("test", None), ("tearDownClass", None)]


def test_enter_async_context_exits_it_as_a_cleanup() -> None:
    events = []

    class Resource:
        async def __aenter__(self) -> str:
            events.append("enter")
            return "value"

        async def __aexit__(self, *exc: object) -> None:
            events.append("exit")

    class Case(asynctest.TestCase):
        async def test_a(self) -> None:
            self.assertEqual(await self.enterAsyncContext(Resource()), "value")
            events.append("test")

        async def test_not_a_context_manager(self) -> None:
            with self.assertRaisesRegex(TypeError, "asynchronous context manager"):
                await self.enterAsyncContext(object())  # type: ignore[arg-type]

    assert_passed(run_test(Case, "test_a"))
    assert events == ["enter", "test", "exit"]
    assert_passed(run_test(Case, "test_not_a_context_manager"))


def test_runs_under_pytest_unittest_support(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "test_inner.py").write_text(textwrap.dedent("""
        import asyncio, contextvars, asynctest
        v = contextvars.ContextVar("v")

        class Inner(asynctest.TestCase):
            async def setUp(self):
                v.set("from setUp")

            async def test_context(self):
                await asyncio.sleep(0)
                self.assertEqual(v.get(), "from setUp")

            async def test_fails(self):
                self.assertEqual(1, 2)
    """))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert "1 failed, 1 passed" in proc.stdout, proc.stdout + proc.stderr
