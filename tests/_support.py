"""Helpers shared by the test modules: run inner test cases and look at the result."""

from __future__ import annotations

import os
import unittest


def run_test(case_class: type, name: str) -> unittest.TestResult:
    """Run one test method of ``case_class`` with a fresh result and return the result."""
    result = unittest.TestResult()
    case_class(name).run(result)
    return result


def messages(result: unittest.TestResult) -> str:
    """All failure and error tracebacks of ``result``, as one string."""
    return "\n".join(text for _, text in result.failures + result.errors)


def assert_passed(result: unittest.TestResult) -> None:
    assert result.wasSuccessful(), messages(result)
    assert result.testsRun == 1


def run_case(case_class: type, name: str = "test") -> unittest.TestResult:
    """Run test ``name`` of ``case_class``; exactly one test must have run."""
    result = unittest.TestResult()
    case_class(name).run(result)
    assert result.testsRun == 1
    return result


def assert_clean(result: unittest.TestResult) -> None:
    """No failure and no error, with their tracebacks shown if there are."""
    problems = [text for _, text in result.errors + result.failures]
    assert not problems, "\n".join(problems)


def only_failure(result: unittest.TestResult) -> str:
    """The one failure of the result; errors would mean a check was misreported."""
    assert result.errors == [], result.errors
    assert len(result.failures) == 1, result.failures
    return result.failures[0][1]


def only_error(result: unittest.TestResult) -> str:
    """The one error of the result (and no failure)."""
    assert result.failures == [], result.failures
    assert len(result.errors) == 1, result.errors
    return result.errors[0][1]


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without what changes how asynctest runs tests.

    For subprocesses: no ``ASYNCTEST_*`` default, no asyncio debug or dev mode,
    no PYTHONPATH; then ``extra``.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ASYNCTEST_")
        and name not in ("PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONPATH")
    }
    env.update(extra)
    return env
