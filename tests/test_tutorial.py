"""The examples of the tutorial's "Test cases" chapter pass or fail as the tutorial says."""

from __future__ import annotations

import doctest
import subprocess
import sys
import unittest
from pathlib import Path

import pytest
from _support import clean_environment, messages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
sys.path.insert(0, str(EXAMPLES))

from tutorial import test_cases  # noqa: E402

PASSING = [
    ("MinimalExample", "test_that_true_is_true"),
    ("AnExampleWithSetup", "test_that_a_coroutine_runs"),
    ("AnExampleWithSetupMethod", "test_that_a_coroutine_runs"),
    ("AnExampleWithSetupAndCleanup", "test_that_a_coroutine_runs"),
    ("AnExampleWithTestCaseLoop", "test_that_a_coroutine_runs"),
    ("AnExampleWithTestCaseAndCoroutines", "test_that_a_coroutine_runs"),
    ("AnExampleWithAsynchronousSetUp", "test_that_a_lock_is_acquired"),
]


@pytest.mark.parametrize(("class_name", "method"), PASSING)
def test_tutorial_example_passes(class_name: str, method: str) -> None:
    result = unittest.TestResult()
    getattr(test_cases, class_name)(method).run(result)
    assert result.testsRun == 1
    assert result.wasSuccessful(), messages(result)


def test_forgotten_call_later_fails_with_the_pending_timer_named() -> None:
    result = unittest.TestResult()
    test_cases.AnExempleWhichDetectsPendingCallbacks("test_missing_a_callback").run(result)
    assert not result.errors
    assert len(result.failures) == 1
    text = messages(result)
    assert "AssertionError: Loop contained unfinished work" in text
    assert "<TimerHandle AnExempleWhichDetectsPendingCallbacks.i_must_run() due in " in text


def test_tutorial_run_of_minimal_example_returns_a_test_result() -> None:
    session = """
>>> from tutorial.test_cases import MinimalExample
>>> test_case = MinimalExample("test_that_true_is_true")
>>> test_case.run()
<unittest.result.TestResult run=1 errors=0 failures=0>
"""
    test = doctest.DocTestParser().get_doctest(session, {}, "tutorial", "tutorial", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries == 3


def test_tutorial_module_through_python_m_asynctest() -> None:
    env = clean_environment(PYTHONPATH=str(EXAMPLES))
    proc = subprocess.run(
        [sys.executable, "-m", "asynctest", "-v", "tutorial.test_cases"],
        capture_output=True, text=True, timeout=120, cwd=EXAMPLES, env=env,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Ran 8 tests" in proc.stderr
    assert "FAILED (failures=1)" in proc.stderr
    assert "FAIL: test_missing_a_callback" in proc.stderr
    assert proc.stderr.count(" ... ok") == 7
