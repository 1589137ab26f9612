"""Helpers shared by the test modules: run inner test cases and look at the result."""

from __future__ import annotations

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
