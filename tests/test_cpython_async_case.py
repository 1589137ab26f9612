"""CPython's own tests of ``unittest.IsolatedAsyncioTestCase``, run against ``asynctest.TestCase``.

The running interpreter's ``test_async_case.py`` is read from its standard
library (never copied here), the name ``unittest.IsolatedAsyncioTestCase`` is
replaced by ``asynctest.TestCase`` in its source, and its tests are run in a
subprocess (with a hard timeout) whose environment has no asyncio debug or
asynctest settings. Every CPython test must pass, except the deliberate
differences listed below and documented in ``docs/differences.md``; each of
those must still differ exactly as documented, so the list cannot rot.

The same subprocess also runs small side-by-side observations of
``IsolatedAsyncioTestCase`` and ``asynctest.TestCase`` for the deliberate
differences no CPython test sees (debug mode, the current loop after a test,
coroutines returned by plain methods, the default asyncSetUp).

Run as a script (``python tests/test_cpython_async_case.py``), the module is
that subprocess: it prints one JSON document on stdout.
"""

from __future__ import annotations

import ast
import asyncio
import gc
import json
import os
import re
import subprocess
import sys
import sysconfig
import types
import unittest
import warnings
from typing import Any, Callable, NamedTuple, Optional

# -- where CPython keeps the file -------------------------------------------------------

# 3.12 moved unittest's tests from unittest/test/ to test/test_unittest/.
_CANDIDATES = ("test/test_unittest/test_async_case.py", "unittest/test/test_async_case.py")
_NAME = "unittest.IsolatedAsyncioTestCase"
_OURS = "asynctest.TestCase"
_MODULE = "cpython_test_async_case"
_TIMEOUT_SECONDS = 60


def cpython_test_file() -> Optional[str]:
    """The running interpreter's test_async_case.py; None if its test package is not installed."""
    stdlib = sysconfig.get_paths()["stdlib"]
    for relative in _CANDIDATES:
        path = os.path.join(stdlib, relative)
        if os.path.exists(path):
            return path
    return None


def cpython_test_names(path: str) -> list[str]:
    """Names of the test methods of the file's top-level test classes, read without running it."""
    with open(path, encoding="utf-8") as file:
        tree = ast.parse(file.read(), path)
    return sorted(
        f"{node.name}.{item.name}"
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        for item in node.body
        if isinstance(item, ast.FunctionDef) and item.name.startswith("test")
    )


# -- the deliberate differences CPython's tests see ----------------------------------------


class Difference(NamedTuple):
    """How a CPython test is expected to fail with asynctest, and the section of the doc."""

    outcome: str  # "failed" or "error"
    pattern: str  # searched in the traceback
    doc_section: str  # a heading of docs/differences.md


def _private_teardown_name() -> Optional[str]:
    # CPython's tests close IsolatedAsyncioTestCase's loop after a failing debug()
    # by calling its private teardown: _tearDownAsyncioLoop on 3.10 (3.9's tests
    # leave the loop open), _tearDownAsyncioRunner since 3.11 (asyncio.Runner).
    if sys.version_info >= (3, 11):
        return "_tearDownAsyncioRunner"
    if sys.version_info >= (3, 10):
        return "_tearDownAsyncioLoop"
    return None


_USES_PRIVATE_TEARDOWN = (
    "test_exception_in_setup",
    "test_exception_in_test",
    "test_exception_in_tear_down",
    "test_exception_in_tear_clean_up",
    "test_debug_cleanup_same_loop",  # new in 3.10
)


_PRIVATE_TEARDOWN_SECTION = "CPython's private loop teardown"


def expected_differences() -> dict[str, Difference]:
    """CPython test id -> how it differs on the running Python."""
    private = _private_teardown_name()
    if private is None:
        return {}
    differences = {
        f"TestAsyncCase.{name}": Difference(
            "error",
            rf"AttributeError: 'Test' object has no attribute '{private}'",
            _PRIVATE_TEARDOWN_SECTION,
        )
        for name in _USES_PRIVATE_TEARDOWN
    }
    if sys.version_info >= (3, 11):
        # Its `async def test2(self): yield 1` only warns under IATC (3.11+).
        differences["TestAsyncCase.test_deprecation_of_return_val_from_test"] = Difference(
            "failed",
            r"AssertionError: DeprecationWarning not triggered",
            "An async generator test is an error",
        )
    return differences


# -- the subprocess ----------------------------------------------------------------------------


def _load_cpython_module(path: str, case_class: type) -> types.ModuleType:
    with open(path, encoding="utf-8") as file:
        source = file.read()
    source, count = re.subn(rf"\b{re.escape(_NAME)}\b", _OURS, source)
    if count == 0:
        raise RuntimeError(f"{path} no longer mentions {_NAME}")
    module = types.ModuleType(_MODULE)
    # Compiled under its own file name: a CPython test compares warnings'
    # file names with __file__.
    module.__file__ = path
    module.asynctest = types.SimpleNamespace(TestCase=case_class)  # type: ignore[attr-defined]
    sys.modules[_MODULE] = module
    exec(compile(source, path, "exec"), module.__dict__)
    return module


def _outcome(result: unittest.TestResult, test: unittest.TestCase) -> dict[str, str]:
    kinds = [("error", result.errors), ("failed", result.failures), ("skipped", result.skipped),
             ("failed", [(case, "unexpected success") for case in result.unexpectedSuccesses])]
    for kind, pairs in kinds:
        for case, text in pairs:
            if case is test:
                return {"outcome": kind, "detail": text}
    return {"outcome": "passed", "detail": ""}


def _run_cpython_tests(path: str, case_class: type) -> dict[str, Any]:
    try:
        module = _load_cpython_module(path, case_class)
    except unittest.SkipTest as exc:  # e.g. support.requires_working_socket(module=True)
        return {"skipped": str(exc), "tests": {}, "fixture_errors": []}
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    result = unittest.TestResult()
    tests = list(_flatten(suite))
    suite.run(result)  # runs the module's tearDownModule too
    outcomes = {}
    for test in tests:
        name = test.id().split(".", 1)[1]  # "TestAsyncCase.test_x"
        outcomes[name] = _outcome(result, test)
    # Errors of the module's or a class's fixtures (setUpModule, tearDownModule...).
    fixtures = [text for case, text in result.errors + result.failures if case not in tests]
    return {"skipped": None, "tests": outcomes, "fixture_errors": fixtures}


def _flatten(suite: unittest.TestSuite) -> Any:
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _flatten(item)
        else:
            yield item


def _with_private_teardown(base: type) -> tuple[type, list[str]]:
    # Gives CPython's tests the one private name they call. It is only a safety
    # net, as in CPython: doCleanups() must already have closed the loop, and
    # every test that still finds it open is recorded.
    still_open: list[str] = []

    def teardown(self: Any) -> None:
        if self._asynctest_run is not None:
            still_open.append(self.id())
            self._asynctest_close()

    name = _private_teardown_name() or "_tearDownAsyncioLoop"
    return type("TestCase", (base,), {name: teardown}), still_open


# Side-by-side observations: each runs one tiny test with IsolatedAsyncioTestCase
# and with asynctest.TestCase and returns what it saw.


def _run_one(case_class: type, name: str = "test") -> unittest.TestResult:
    result = unittest.TestResult()
    case_class(name).run(result)
    if not result.wasSuccessful():
        raise AssertionError(f"{case_class.__mro__[1].__name__}: {result.errors + result.failures}")
    return result


def _observe_loop_debug(base: type) -> bool:
    seen = []

    class Case(base):  # type: ignore[misc, valid-type]
        async def test(self) -> None:
            seen.append(asyncio.get_running_loop().get_debug())

    _run_one(Case)
    return seen[0]


def _observe_current_loop_after_test(base: type) -> str:
    from asynctest import _compat

    asyncio.set_event_loop_policy(None)

    class Case(base):  # type: ignore[misc, valid-type]
        async def test(self) -> None:
            pass

    _run_one(Case)
    policy = "untouched" if _compat.installed_policy() is None else "default policy installed"
    previous = asyncio.new_event_loop()
    asyncio.set_event_loop(previous)
    try:
        _run_one(Case)
        try:
            current = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            loop = "none"
        else:
            loop = "previous" if current is previous else "another"
    finally:
        asyncio.set_event_loop(None)
        previous.close()
        asyncio.set_event_loop_policy(None)
    return f"policy {policy}, current loop {loop}"


def _observe_returned_coroutine(base: type, where: str) -> list[str]:
    events: list[str] = []

    async def body() -> None:
        events.append(f"{where} awaited")

    class Case(base):  # type: ignore[misc, valid-type]
        def setUp(self) -> Any:
            return body() if where == "setUp" else None

        def test(self) -> Any:
            return body() if where == "test" else None

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = unittest.TestResult()
        Case("test").run(result)
        del Case
        gc.collect()  # "coroutine ... was never awaited" is emitted when it is collected
    events += [f"{w.category.__name__}: {str(w.message).split(' (')[0]}" for w in caught]
    events += [f"error: {text.splitlines()[-1]}" for _, text in result.errors + result.failures]
    return sorted(events)


def _observe_default_async_set_up(base: type, override: bool) -> list[str]:
    events: list[str] = []

    class Case(base):  # type: ignore[misc, valid-type]
        def setUp(self) -> None:
            loop = asyncio.get_event_loop_policy().get_event_loop()
            loop.call_soon(events.append, "callback scheduled in setUp")

        def test(self) -> None:
            events.append("test")

    if override:
        async def asyncSetUp(self: Any) -> None:
            pass

        Case.asyncSetUp = asyncSetUp  # type: ignore[method-assign]
    _run_one(Case)
    return events


def _observe_async_generator_test(base: type) -> list[str]:
    events: list[str] = []

    class Case(base):  # type: ignore[misc, valid-type]
        async def test(self) -> Any:
            events.append("test body ran")
            yield

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = unittest.TestResult()
        Case("test").run(result)
    events += [f"{w.category.__name__}: {str(w.message).split(' (')[0]}" for w in caught]
    for _, text in result.errors + result.failures:
        last = text.splitlines()[-1]
        said = " saying so" if "is an async generator function" in last else ""
        events.append(f"error: {last.split(':')[0]}{said}")
    return sorted(events)


_OBSERVATIONS: dict[str, Callable[[type], Any]] = {
    "async_generator_test": _observe_async_generator_test,
    "loop_debug": _observe_loop_debug,
    "after_test": _observe_current_loop_after_test,
    "coroutine_returned_by_test": lambda base: _observe_returned_coroutine(base, "test"),
    "coroutine_returned_by_setUp": lambda base: _observe_returned_coroutine(base, "setUp"),
    "default_asyncSetUp": lambda base: _observe_default_async_set_up(base, False),
    "overridden_asyncSetUp": lambda base: _observe_default_async_set_up(base, True),
}


def _main() -> None:
    import asynctest

    path = cpython_test_file()
    report: dict[str, Any] = {"path": path}
    if path is not None:
        report["as_is"] = _run_cpython_tests(path, asynctest.TestCase)
        shimmed, still_open = _with_private_teardown(asynctest.TestCase)
        report["with_private_teardown"] = _run_cpython_tests(path, shimmed)
        report["loops_left_open_after_doCleanups"] = still_open
    report["observed"] = {
        name: {"unittest": observe(unittest.IsolatedAsyncioTestCase),
               "asynctest": observe(asynctest.TestCase)}
        for name, observe in _OBSERVATIONS.items()
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    _main()
    sys.exit(0)


# -- the tests ----------------------------------------------------------------------------

import pytest  # noqa: E402  (not needed by the subprocess above)

_PATH = cpython_test_file()
_NAMES = cpython_test_names(_PATH) if _PATH is not None else []
_SCRUBBED = ("PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONWARNINGS")


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items()
           if k not in _SCRUBBED and not k.startswith("ASYNCTEST_")}
    # ResourceWarnings shown, so an event loop left unclosed shows up on stderr.
    proc = subprocess.run(
        [sys.executable, "-W", "always::ResourceWarning", __file__],
        capture_output=True, text=True, timeout=_TIMEOUT_SECONDS, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def _cpython_run(report: dict[str, Any], run: str) -> dict[str, Any]:
    if report["path"] is None:
        pytest.skip(f"this Python has no {' or '.join(_CANDIDATES)} in its standard library")
    data: dict[str, Any] = report[run]
    if data["skipped"] is not None:
        pytest.skip(f"CPython's test module skipped itself: {data['skipped']}")
    return data["tests"]


@pytest.mark.parametrize("name", _NAMES)
def test_cpython_test_passes_or_differs_as_documented(report: dict[str, Any], name: str) -> None:
    outcome = _cpython_run(report, "as_is")[name]
    if outcome["outcome"] == "skipped":
        pytest.skip(f"CPython skips {name}: {outcome['detail']}")
    expected = expected_differences().get(name)
    if expected is None:
        assert outcome["outcome"] == "passed", outcome["detail"]
    else:
        assert outcome["outcome"] == expected.outcome, outcome["detail"]
        assert re.search(expected.pattern, outcome["detail"]), outcome["detail"]


@pytest.mark.parametrize("name", _NAMES)
def test_cpython_test_passes_given_cpythons_private_teardown(
    report: dict[str, Any], name: str
) -> None:
    # The tests that fail only for want of the private name must pass once it
    # exists: what they check (cleanups after a failing debug() run on the
    # test's own loop) is the same in asynctest.
    outcome = _cpython_run(report, "with_private_teardown")[name]
    if outcome["outcome"] == "skipped":
        pytest.skip(f"CPython skips {name}: {outcome['detail']}")
    expected = expected_differences().get(name)
    if expected is not None and expected.doc_section != _PRIVATE_TEARDOWN_SECTION:
        assert outcome["outcome"] == expected.outcome, outcome["detail"]  # another difference
    else:
        assert outcome["outcome"] == "passed", outcome["detail"]


def test_doCleanups_after_failing_debug_closes_the_loop(report: dict[str, Any]) -> None:
    _cpython_run(report, "with_private_teardown")
    assert report["loops_left_open_after_doCleanups"] == []


def test_every_cpython_test_ran(report: dict[str, Any]) -> None:
    for run in ("as_is", "with_private_teardown"):
        assert sorted(_cpython_run(report, run)) == _NAMES
        assert report[run]["fixture_errors"] == []


def test_each_expected_difference_names_an_existing_cpython_test() -> None:
    if _PATH is None:
        pytest.skip("no CPython test file on this Python")
    assert set(expected_differences()) <= set(_NAMES)


def _doc() -> str:
    doc = os.path.join(os.path.dirname(__file__), os.pardir, "docs", "differences.md")
    with open(doc, encoding="utf-8") as file:
        return file.read()


def test_each_test_the_doc_names_as_asserting_a_difference_exists() -> None:
    named = [name
             for sentence in re.findall(r"Asserted by(.*?)\.\n", _doc(), re.DOTALL)
             for name in re.findall(r"`(test_\w+)`", sentence)]
    assert len(named) >= 5, named
    assert [name for name in named if name not in globals()] == []


def test_each_difference_is_documented() -> None:
    text = _doc()
    headings = set(re.findall(r"^## (.+)$", text, re.MULTILINE))
    for name, difference in expected_differences().items():
        assert difference.doc_section in headings, name
        assert name.split(".")[1] in text, name


# Side by side: what IsolatedAsyncioTestCase does, what asynctest does instead.


def _observed(report: dict[str, Any], name: str) -> tuple[Any, Any]:
    seen = report["observed"][name]
    return seen["unittest"], seen["asynctest"]


def test_only_unittest_forces_asyncio_debug_mode(report: dict[str, Any]) -> None:
    assert _observed(report, "loop_debug") == (True, False)


def test_asynctest_restores_the_current_loop_and_policy_unittest_leaves_none(
    report: dict[str, Any]
) -> None:
    assert _observed(report, "after_test") == (
        "policy default policy installed, current loop none",
        # asyncio's default policy, empty, is what it would create on demand.
        "policy default policy installed, current loop previous",
    )


def test_coroutine_returned_by_a_plain_test_method_is_awaited(report: dict[str, Any]) -> None:
    theirs, ours = _observed(report, "coroutine_returned_by_test")
    assert ours == ["test awaited"]
    if sys.version_info >= (3, 11):
        assert theirs == [
            "DeprecationWarning: It is deprecated to return a value that is not None from a "
            "test case",
            "RuntimeWarning: coroutine '_observe_returned_coroutine.<locals>.body' was never "
            "awaited",
        ]
    else:  # 3.9 and 3.10 awaited it too
        assert theirs == ours


def test_coroutine_returned_by_a_plain_setUp_is_awaited(report: dict[str, Any]) -> None:
    theirs, ours = _observed(report, "coroutine_returned_by_setUp")
    assert ours == ["setUp awaited"]
    assert theirs == [
        "RuntimeWarning: coroutine '_observe_returned_coroutine.<locals>.body' was never awaited"
    ]


def test_default_asyncSetUp_is_skipped_so_the_loop_does_not_run_before_a_plain_test(
    report: dict[str, Any]
) -> None:
    # asynctest runs no loop turn before a plain test (the default asyncSetUp
    # is skipped); the callback still gets its turn at the end of the test.
    assert _observed(report, "default_asyncSetUp") == (
        ["callback scheduled in setUp", "test"],
        ["test", "callback scheduled in setUp"],
    )


def test_an_overridden_asyncSetUp_runs_the_loop_before_the_test(report: dict[str, Any]) -> None:
    assert _observed(report, "overridden_asyncSetUp") == (
        ["callback scheduled in setUp", "test"],
        ["callback scheduled in setUp", "test"],
    )


def test_an_async_generator_test_passes_unrun_under_unittest_and_is_an_error_here(
    report: dict[str, Any]
) -> None:
    theirs, ours = _observed(report, "async_generator_test")
    assert ours == ["error: TypeError saying so"]
    if sys.version_info >= (3, 11):
        assert theirs == [
            "DeprecationWarning: It is deprecated to return a value that is not None from a "
            "test case"
        ]
    else:  # 3.9 and 3.10: silently
        assert theirs == []
