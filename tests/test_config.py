"""Run-wide defaults from ASYNCTEST_* environment variables, and what wins over them.

The command line (``python -m asynctest``) is tested end to end in test_cli.py.
"""

from __future__ import annotations

import asyncio
import os
import sys
import unittest

import pytest
import uvloop
from _support import assert_clean as assert_passed
from _support import run_case

import asynctest
from asynctest import _config

VARIABLES = (
    "ASYNCTEST_STRICT", "ASYNCTEST_LOOP", "ASYNCTEST_DEBUG", "ASYNCTEST_TIMEOUT",
    "ASYNCTEST_AUTOJUMP",
)


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    """No ASYNCTEST_* variable unless a test sets one; defaults read afresh."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    _config.set_current(None)
    yield monkeypatch
    _config.set_current(None)


def observed_loop_case(**attributes):
    seen = {}

    async def test(self):
        seen["loop"] = self.loop
        seen["debug"] = self.loop.get_debug()

    return type("Case", (asynctest.TestCase,), {"test": test, **attributes}), seen


def make_custom_loop():
    """A MODULE:CALLABLE target for ASYNCTEST_LOOP (this module is importable as test_config)."""
    return CustomLoop()


class CustomLoop(asyncio.SelectorEventLoop):
    pass


# -- reading the environment -----------------------------------------------------------


def test_no_variable_gives_the_built_in_defaults():
    assert _config.from_environment({}) == _config.Defaults()
    assert _config.Defaults() == _config.Defaults(
        strict=False, loop=None, loop_factory=None, debug=False
    )


@pytest.mark.parametrize("value", ["1", "true", "yes", "on", "TRUE", " 1 "])
def test_asynctest_strict_accepts_true_flags(value):
    assert _config.from_environment({"ASYNCTEST_STRICT": value}).strict is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", ""])
def test_asynctest_strict_accepts_false_flags(value):
    assert _config.from_environment({"ASYNCTEST_STRICT": value}).strict is False


@pytest.mark.parametrize("name", ["ASYNCTEST_STRICT", "ASYNCTEST_DEBUG"])
def test_a_bad_flag_names_the_variable_its_value_and_what_is_accepted(name):
    with pytest.raises(ValueError) as caught:
        _config.from_environment({name: "maybe"})
    message = str(caught.value)
    assert name in message
    assert "'maybe'" in message
    assert "1" in message and "0" in message


def test_asynctest_debug_turns_debug_on():
    assert _config.from_environment({"ASYNCTEST_DEBUG": "1"}).debug is True


def test_asynctest_loop_uvloop_gives_uvloop_factory():
    defaults = _config.from_environment({"ASYNCTEST_LOOP": "uvloop"})
    assert defaults.loop == "uvloop"
    assert defaults.loop_factory is uvloop.new_event_loop


def test_asynctest_loop_asyncio_gives_asyncio_factory():
    defaults = _config.from_environment({"ASYNCTEST_LOOP": "asyncio"})
    assert defaults.loop_factory is asyncio.new_event_loop


def test_asynctest_loop_module_callable_gives_that_callable():
    defaults = _config.from_environment({"ASYNCTEST_LOOP": f"{__name__}:make_custom_loop"})
    assert defaults.loop_factory is make_custom_loop


def test_asynctest_loop_accepts_a_dotted_attribute():
    defaults = _config.from_environment({"ASYNCTEST_LOOP": "asyncio:SelectorEventLoop"})
    assert defaults.loop_factory is asyncio.SelectorEventLoop


def test_an_empty_asynctest_loop_means_the_default_loop():
    assert _config.from_environment({"ASYNCTEST_LOOP": ""}).loop_factory is None


@pytest.mark.parametrize(
    "spec", ["nonsense", "no_such_module_xyz:factory", "asyncio:no_such_factory", "os:sep"]
)
def test_a_bad_asynctest_loop_names_the_variable_and_the_value(spec):
    with pytest.raises(ValueError) as caught:
        _config.from_environment({"ASYNCTEST_LOOP": spec})
    message = str(caught.value)
    assert "ASYNCTEST_LOOP" in message
    assert repr(spec) in message


@pytest.mark.parametrize("spec", ["nonsense", "no_such_module_xyz:factory", ":x", "asyncio:"])
def test_an_unknown_loop_says_what_is_accepted(spec):
    with pytest.raises(ValueError) as caught:
        _config.resolve_loop(spec)
    message = str(caught.value)
    assert repr(spec) in message
    for accepted in ("asyncio", "uvloop", "MODULE:CALLABLE"):
        assert accepted in message


def test_current_reads_the_environment(environment):
    environment.setenv("ASYNCTEST_DEBUG", "1")
    _config.set_current(None)
    assert _config.current().debug is True


def test_set_current_replaces_the_environment_defaults(environment):
    environment.setenv("ASYNCTEST_DEBUG", "1")
    _config.set_current(_config.Defaults(debug=False))
    assert _config.current().debug is False


# -- what the inner tests see ------------------------------------------------------------


def test_asynctest_loop_uvloop_makes_self_loop_a_uvloop_loop(environment):
    environment.setenv("ASYNCTEST_LOOP", "uvloop")
    Case, seen = observed_loop_case()
    assert_passed(run_case(Case))
    assert isinstance(seen["loop"], uvloop.Loop)


def test_asynctest_loop_module_callable_makes_self_loop_from_it(environment):
    environment.setenv("ASYNCTEST_LOOP", f"{__name__}:make_custom_loop")
    Case, seen = observed_loop_case()
    assert_passed(run_case(Case))
    assert type(seen["loop"]) is CustomLoop


def test_asynctest_debug_makes_the_loop_run_in_debug_mode(environment):
    environment.setenv("ASYNCTEST_DEBUG", "1")
    Case, seen = observed_loop_case()
    assert_passed(run_case(Case))
    assert seen["debug"] is True


def test_a_class_loop_factory_wins_over_asynctest_loop(environment):
    environment.setenv("ASYNCTEST_LOOP", "uvloop")
    Case, seen = observed_loop_case(loop_factory=asyncio.SelectorEventLoop)
    assert_passed(run_case(Case))
    assert type(seen["loop"]) is asyncio.SelectorEventLoop


def test_a_class_debug_false_wins_over_asynctest_debug(environment):
    environment.setenv("ASYNCTEST_DEBUG", "1")
    Case, seen = observed_loop_case(debug=False)
    assert_passed(run_case(Case))
    assert seen["debug"] is False


def test_a_class_debug_true_wins_over_a_false_default():
    _config.set_current(_config.Defaults(debug=False))
    Case, seen = observed_loop_case(debug=True)
    assert_passed(run_case(Case))
    assert seen["debug"] is True


def test_a_bad_variable_makes_the_test_error_naming_it_instead_of_being_ignored(environment):
    environment.setenv("ASYNCTEST_LOOP", "nonsense")
    Case, seen = observed_loop_case()
    result = run_case(Case)
    assert len(result.errors) == 1, result.errors + result.failures
    assert "ASYNCTEST_LOOP" in result.errors[0][1]
    assert "'nonsense'" in result.errors[0][1]
    assert seen == {}


def test_the_environment_is_read_once_not_per_test(environment):
    environment.setenv("ASYNCTEST_DEBUG", "1")
    _config.set_current(None)
    assert _config.current().debug is True
    os.environ["ASYNCTEST_DEBUG"] = "0"  # restored by monkeypatch
    Case, seen = observed_loop_case()
    assert_passed(run_case(Case))
    assert seen["debug"] is True


def test_a_missing_uvloop_is_reported_as_the_variable_not_as_the_option(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop: ImportError
    with pytest.raises(ValueError) as caught:
        _config.from_environment({"ASYNCTEST_LOOP": "uvloop"})
    message = str(caught.value)
    assert message.startswith("ASYNCTEST_LOOP='uvloop': uvloop is not installed")
    assert "--loop" not in message
    assert "pip install asynctest-ng[uvloop]" in message


def test_a_bad_variable_is_reported_once_per_run_not_once_per_test(environment):
    environment.setenv("ASYNCTEST_LOOP", "nonsense")
    _config.set_current(None)

    class Case(asynctest.TestCase):
        async def test_1(self):
            pass

        async def test_2(self):
            pass

        async def test_3(self):
            pass

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert result.testsRun == 3
    assert len(result.errors) == 1, result.errors
    assert "ASYNCTEST_LOOP='nonsense': unknown loop" in result.errors[0][1]
    assert [reason for _, reason in result.skipped] == [
        "not run: ASYNCTEST_LOOP is invalid (reported once, as the error of the first test)"
    ] * 2


def test_a_bad_variable_error_shows_the_message_not_asynctest_internals(environment):
    environment.setenv("ASYNCTEST_LOOP", "nonsense")
    _config.set_current(None)
    Case, seen = observed_loop_case()
    text = run_case(Case).errors[0][1]
    assert "_config.py" not in text and "case.py" not in text, text


# -- ASYNCTEST_AUTOJUMP ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("0", 0.0), (" 0.05 ", 0.05), ("2", 2.0), ("", None)])
def test_asynctest_autojump_sets_the_threshold_of_clocked_test_cases(text, value):
    assert _config.from_environment({"ASYNCTEST_AUTOJUMP": text}).autojump == value


@pytest.mark.parametrize("text", ["-1", "nan", "inf", "soon", "0.1s"])
def test_a_bad_asynctest_autojump_names_the_variable_and_the_value(text):
    with pytest.raises(ValueError) as caught:
        _config.from_environment({"ASYNCTEST_AUTOJUMP": text})
    message = str(caught.value)
    assert f"ASYNCTEST_AUTOJUMP={text!r} is not a valid autojump threshold" in message
    assert "real seconds >= 0" in message


def test_asynctest_autojump_makes_a_clocked_test_jump(environment):
    environment.setenv("ASYNCTEST_AUTOJUMP", "0")
    seen = []

    class Case(asynctest.ClockedTestCase):
        timeout = 20

        async def test(self):
            await asyncio.sleep(3600)
            seen.append(self.loop.time())

    assert_passed(run_case(Case))
    assert seen == [3600]


def test_check_threshold_accepts_none_and_numbers_only():
    assert _config.check_threshold(None, "x") is None
    assert _config.check_threshold(0, "x") == 0.0
    with pytest.raises(TypeError, match=r"where: '1' is not an autojump threshold"):
        _config.check_threshold("1", "where")
    with pytest.raises(ValueError, match=r"where: -1 is not a valid autojump threshold"):
        _config.check_threshold(-1, "where")
