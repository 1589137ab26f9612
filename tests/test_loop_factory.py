"""The loop_factory and debug class attributes of TestCase."""

from __future__ import annotations

import asyncio
import unittest

import pytest
import uvloop
from _support import assert_clean as assert_passed
from _support import only_error, run_case

import asynctest


class Recorder:
    """A loop factory that remembers the loops it made."""

    def __init__(self, make=asyncio.new_event_loop):
        self.made = []
        self._make = make

    def __call__(self):
        self.made.append(self._make())
        return self.made[-1]


def observed_loop_case(**attributes):
    """A class whose test runs a coroutine and records self.loop and the running loop."""
    seen = {}

    async def test(self):
        seen["self.loop"] = self.loop
        seen["running"] = asyncio.get_running_loop()
        seen["debug"] = self.loop.get_debug()
        await asyncio.sleep(0)

    return type("Case", (asynctest.TestCase,), {"test": test, **attributes}), seen


# -- kinds of factories ----------------------------------------------------------------


def test_a_plain_function_is_called_without_arguments():
    made = []

    def factory():  # a plain function on a class would be bound if read naively
        made.append(asyncio.new_event_loop())
        return made[-1]

    Case, seen = observed_loop_case(loop_factory=factory)
    assert_passed(run_case(Case))
    assert seen["self.loop"] is made[0]
    assert seen["running"] is made[0]


def test_a_staticmethod_factory():
    factory = Recorder()
    Case, seen = observed_loop_case(loop_factory=staticmethod(factory))
    assert_passed(run_case(Case))
    assert seen["self.loop"] is factory.made[0]


def test_a_callable_object_factory():
    factory = Recorder()
    Case, seen = observed_loop_case(loop_factory=factory)
    assert_passed(run_case(Case))
    assert seen["self.loop"] is factory.made[0]


def test_a_loop_class_as_factory():
    Case, seen = observed_loop_case(loop_factory=asyncio.SelectorEventLoop)
    assert_passed(run_case(Case))
    assert type(seen["self.loop"]) is asyncio.SelectorEventLoop
    assert seen["running"] is seen["self.loop"]


def test_uvloop_new_event_loop_as_factory():
    Case, seen = observed_loop_case(loop_factory=uvloop.new_event_loop)
    assert_passed(run_case(Case))
    assert isinstance(seen["self.loop"], uvloop.Loop)
    assert seen["running"] is seen["self.loop"]


def test_the_factory_loop_is_closed_after_the_test():
    factory = Recorder(uvloop.new_event_loop)
    Case, _ = observed_loop_case(loop_factory=factory)
    assert_passed(run_case(Case))
    (loop,) = factory.made
    assert loop.is_closed()


def test_the_factory_is_called_once_per_test():
    factory = Recorder()
    Case, _ = observed_loop_case(loop_factory=factory)
    result = unittest.TestResult()
    unittest.TestSuite([Case("test"), Case("test")]).run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    assert len(factory.made) == 2
    assert factory.made[0] is not factory.made[1]


def test_a_subclass_inherits_the_factory():
    factory = Recorder()
    Base, seen = observed_loop_case(loop_factory=factory)
    Sub = type("Sub", (Base,), {})
    assert_passed(run_case(Sub))
    assert seen["self.loop"] is factory.made[0]


def test_without_a_factory_the_loop_is_an_asyncio_loop():
    Case, seen = observed_loop_case()
    assert_passed(run_case(Case))
    assert isinstance(seen["self.loop"], asyncio.BaseEventLoop)
    assert not isinstance(seen["self.loop"], uvloop.Loop)


# -- factories that misbehave ----------------------------------------------------------


class NotALoop:
    def __init__(self):
        self.closed = False

    def close(self):
        self.closed = True

    def __repr__(self):
        return "<NotALoop sentinel>"


def test_a_factory_returning_a_non_loop_errors_naming_the_factory_and_the_value():
    returned = NotALoop()

    def make_not_a_loop():
        return returned

    Case, seen = observed_loop_case(loop_factory=make_not_a_loop)
    error = only_error(run_case(Case))
    assert "TypeError" in error
    assert "make_not_a_loop" in error
    assert "<NotALoop sentinel>" in error
    assert seen == {}  # the test did not run


def test_a_non_loop_returned_by_the_factory_is_closed():
    returned = NotALoop()
    Case, _ = observed_loop_case(loop_factory=lambda: returned)
    only_error(run_case(Case))
    assert returned.closed


def test_a_factory_returning_none_errors_naming_none():
    def make_nothing():
        return None

    Case, seen = observed_loop_case(loop_factory=make_nothing)
    error = only_error(run_case(Case))
    assert "TypeError" in error and "make_nothing" in error and "None" in error
    assert seen == {}  # the test did not run


def test_a_factory_returning_a_closed_loop_errors_clearly():
    def make_closed_loop():
        loop = asyncio.new_event_loop()
        loop.close()
        return loop

    Case, seen = observed_loop_case(loop_factory=make_closed_loop)
    error = only_error(run_case(Case))
    assert "make_closed_loop" in error
    assert "closed" in error
    assert seen == {}


def test_a_factory_that_raises_errors_the_test_with_its_exception():
    def broken_factory():
        raise OSError("no more file descriptors")

    Case, seen = observed_loop_case(loop_factory=broken_factory)
    error = only_error(run_case(Case))
    assert "OSError: no more file descriptors" in error
    assert seen == {}


def test_a_loop_factory_that_is_not_callable_errors_naming_it():
    Case, seen = observed_loop_case(loop_factory="asyncio.new_event_loop")
    error = only_error(run_case(Case))
    assert "TypeError" in error
    assert "'asyncio.new_event_loop'" in error and "not callable" in error
    assert seen == {}


# -- debug -------------------------------------------------------------------------------


def test_debug_true_runs_the_loop_in_debug_mode():
    Case, seen = observed_loop_case(debug=True)
    assert_passed(run_case(Case))
    assert seen["debug"] is True


def test_debug_false_runs_the_loop_without_debug_mode():
    Case, seen = observed_loop_case(debug=False)
    assert_passed(run_case(Case))
    assert seen["debug"] is False


def asyncio_default_debug() -> bool:
    """Whether asyncio itself makes new loops in debug mode (-X dev, PYTHONASYNCIODEBUG)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.get_debug()
    finally:
        loop.close()


def test_without_debug_the_loop_keeps_asyncio_default_debug_mode():
    Case, seen = observed_loop_case()
    assert_passed(run_case(Case))
    assert seen["debug"] is asyncio_default_debug()


def test_debug_false_turns_debug_mode_off_even_when_asyncio_defaults_to_it(monkeypatch):
    monkeypatch.setenv("PYTHONASYNCIODEBUG", "1")
    if not asyncio_default_debug():
        pytest.skip("this Python ignores PYTHONASYNCIODEBUG (-E)")
    Case, seen = observed_loop_case(debug=False)
    assert_passed(run_case(Case))
    assert seen["debug"] is False


def test_debug_true_applies_to_a_factory_loop():
    Case, seen = observed_loop_case(debug=True, loop_factory=uvloop.new_event_loop)
    assert_passed(run_case(Case))
    assert isinstance(seen["self.loop"], uvloop.Loop)
    assert seen["debug"] is True


def test_debug_true_is_inherited_by_subclasses():
    Base, seen = observed_loop_case(debug=True)
    assert_passed(run_case(type("Sub", (Base,), {})))
    assert seen["debug"] is True


def test_the_debug_method_still_runs_a_test_without_a_result_on_a_debug_class():
    Case, seen = observed_loop_case(debug=True)
    Case("test").debug()
    assert seen["debug"] is True
    assert seen["self.loop"].is_closed()


def test_the_debug_method_raises_the_test_error_on_a_debug_class():
    class Case(asynctest.TestCase):
        debug = True

        async def test(self):
            raise LookupError("raised through debug()")

    with pytest.raises(LookupError, match="raised through debug"):
        Case("test").debug()


@pytest.mark.parametrize("value", ["yes", 1, 0.0])
def test_debug_that_is_not_a_bool_raises_type_error_at_class_creation(value):
    with pytest.raises(TypeError) as caught:
        type("BadDebug", (asynctest.TestCase,), {"debug": value})
    assert repr(value) in str(caught.value)
    assert "BadDebug" in str(caught.value)
