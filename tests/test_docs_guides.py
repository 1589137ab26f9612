"""The examples of the guides and migration guides pass or fail as their pages say.

docs/guide.md, docs/mock.md, docs/selector.md and docs/migration/*.md include
their code from examples/guide/, examples/mocking_guide/,
examples/selector_guide/ and examples/migration/; the reports they show come
from the .txt files next to those examples, which the tests below regenerate
from a real run and compare (set DOCS_REGENERATE=1 to rewrite them). Only what
varies from run to run or from Python to Python is normalised: object ids,
the time left on a timer, and the class that Python 3.11+ adds before a
function's name in a frame.
"""

from __future__ import annotations

import asyncio
import difflib
import importlib
import inspect
import os
import re
import shutil
import subprocess
import sys
import unittest
import warnings
from pathlib import Path

import pytest
from _support import assert_clean, clean_environment, only_failure, run_test

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

TIMEOUT = 120
SEPARATOR = "-" * 70


def _env(**extra: str) -> dict[str, str]:
    return clean_environment(PYTHONDONTWRITEBYTECODE="1", COLUMNS="80", **extra)


def normalise(text: str) -> str:
    """Blank out what differs between runs and Pythons (see the module's docstring)."""
    text = re.sub(r"id='\d+'", "id='...'", text)
    text = re.sub(r"0x[0-9a-f]+", "0x...", text)
    text = re.sub(r"completes in [\d.]+ s", "completes in N s", text)
    # Frames: "file.py:12 in Client.run:" (3.11+) and "file.py:12 in run:" (3.9, 3.10).
    text = re.sub(r"(:\d+ in )(?:\w+\.)+(\w+:)", r"\1\2", text)
    text = re.sub(r"(frames? in asyncio \()(?:\w+\.)+(\w+\))", r"\1\2", text)
    return text.rstrip() + "\n"


def compare_with_shown(relative: str, actual: str) -> None:
    """``actual`` (a real run's output) is what examples/``relative`` shows."""
    path = EXAMPLES / relative
    if os.environ.get("DOCS_REGENERATE") == "1":
        path.write_text(re.sub(r"id='\d+'", "id='...'", actual.rstrip()) + "\n", encoding="utf-8")
    assert normalise(actual) == normalise(path.read_text(encoding="utf-8"))


def asynctest_failure(test_id: str) -> str:
    """Run ``python -m asynctest test_id`` from the project's root; its one failure's text."""
    done = subprocess.run(
        [sys.executable, "-m", "asynctest", test_id],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
        env=_env(PYTHONPATH=str(EXAMPLES)),
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED (failures=1)" in done.stderr, done.stderr
    return done.stderr.split(SEPARATOR + "\n")[1].split("\n" + SEPARATOR)[0].rstrip()


def run_class(module: str, class_name: str) -> unittest.TestResult:
    """Run every test of one class of an example module, in this process."""
    case = getattr(importlib.import_module(module), class_name)
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    assert result.testsRun > 0
    return result


def pytest_run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-W", "error", *args],
        cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=_env(),
    )


def outcomes(stdout: str) -> dict[str, str]:
    return {
        nodeid: kind
        for kind, nodeid in re.findall(r"^(PASSED|FAILED|ERROR|SKIPPED) (\S+)", stdout, re.M)
    }


# -- docs/guide.md ----------------------------------------------------------------------

@pytest.mark.parametrize(("module", "class_name"), [
    ("guide.test_life", "TestFetch"),
    ("guide.test_checks", "TestAll"),
    ("guide.test_clock", "TestRetry"),
    ("guide.test_autojump", "TestRetry"),
])
def test_guide_example_passes(module: str, class_name: str) -> None:
    assert_clean(run_class(module, class_name))


def test_guide_cleanup_closes_the_client() -> None:
    from guide.test_life import TestFetch

    case = TestFetch("test_fetch")
    result = unittest.TestResult()
    case.run(result)
    assert_clean(result)
    assert case.client.closed


def test_guide_forgotten_timer_fails_the_active_handles_check() -> None:
    from guide.test_checks import TestHandles

    failure = only_failure(run_test(TestHandles, "test_x"))
    assert "Loop contained unfinished work" in failure
    assert "<TimerHandle print('too late') due in 3600.0 s>" in failure


def test_guide_timeout_of_the_method_wins_over_the_class() -> None:
    from guide.test_timeouts import TestFetch

    failure = only_failure(run_test(TestFetch, "test_fetch"))
    assert "asynctest.PhaseTimeoutError: test_fetch timed out after 0.5 s in the test" in failure
    assert "test_timeouts.py:16 in " in failure
    assert_clean(run_test(TestFetch, "test_slow"))


def test_guide_deadlock_report_is_the_one_shown() -> None:
    compare_with_shown("guide/deadlock.txt",
                       asynctest_failure("guide.test_deadlock.TestFetch.test_fetch"))


def test_guide_pending_tasks_report_is_the_one_shown() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asynctest", "examples/reports/test_client.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, env=_env(),
    )
    assert done.returncode == 1, done.stdout + done.stderr
    report = done.stderr.split(SEPARATOR + "\n")[1].split("\n" + SEPARATOR)[0]
    assert "test_fetch left 3 tasks pending" in report
    compare_with_shown("guide/pending_tasks.txt", report)


def test_guide_pytest_project_runs_as_shown() -> None:
    project = EXAMPLES / "guide" / "pytest_project"
    done = pytest_run(project, "-p", "no:asyncio")
    assert outcomes(done.stdout) == {
        "test_echo.py::test_echo": "PASSED",
        "test_app.py::test_waits_forever": "FAILED",
    }, done.stdout + done.stderr
    report = done.stdout.split("= FAILURES =")[1].split("\n=")[0].strip("=\n")
    compare_with_shown("guide/pytest_deadlock.txt", report)


# -- docs/mock.md and docs/selector.md --------------------------------------------------

def test_mock_example_waits_until_the_patched_coroutine_is_awaited() -> None:
    assert_clean(run_class("mocking_guide.test_shop", "TestShop"))


def test_mock_example_fails_when_nothing_awaits_the_mock() -> None:
    # The same test against a show() that never calls fetch: awaited.wait()
    # never returns, and the test fails (a deadlock) instead of passing.
    from mocking_guide import shop
    from mocking_guide.test_shop import TestShop

    original = shop.show

    async def show_without_fetching(item_id: int) -> str:
        return f"item {item_id}"

    shop.show = show_without_fetching  # type: ignore[assignment]
    try:
        failure = only_failure(run_test(TestShop, "test_fetch_is_awaited"))
    finally:
        shop.show = original  # type: ignore[assignment]
    assert "deadlock" in failure


def test_mock_example_with_a_limited_patch_the_other_task_sees_the_original() -> None:
    from mocking_guide.test_shop import TestShop

    import asynctest
    from asynctest.mock import LIMITED, patch

    body = TestShop.test_fetch_is_awaited.__wrapped__  # type: ignore[attr-defined]

    class Limited(asynctest.TestCase):
        test = patch("mocking_guide.shop.fetch", scope=LIMITED)(body)

    failure = only_failure(run_test(Limited, "test"))
    assert "deadlock" in failure  # the mock is never awaited: the original fetch ran


def test_selector_example_reads_the_answer_in_two_chunks() -> None:
    from selector_guide.test_readiness import TestReadiness

    assert_clean(run_test(TestReadiness, "test_an_answer_in_two_chunks"))


def test_selector_check_report_is_the_one_shown() -> None:
    report = asynctest_failure("selector_guide.test_readiness.TestReadiness.test_leaves_a_reader")
    assert "left 1 reader registered on the loop" in report
    compare_with_shown("selector_guide/leaves_a_reader.txt", report)


# -- docs/migration/from-asynctest-0.13.md ----------------------------------------------

def _test_names(path: Path) -> set[str]:
    return set(re.findall(r"def (test_\w+)", path.read_text(encoding="utf-8")))


def test_013_before_and_after_have_the_same_tests() -> None:
    before = EXAMPLES / "migration" / "test_013_before.py"
    after = EXAMPLES / "migration" / "test_013_after.py"
    assert _test_names(before) == _test_names(after) and len(_test_names(after)) == 3
    compile(before.read_text(encoding="utf-8"), str(before), "exec")
    assert "asyncio.coroutine" not in after.read_text(encoding="utf-8")


def test_013_after_passes() -> None:
    assert_clean(run_class("migration.test_013_after", "TestClient"))


def test_013_before_runs_only_where_asyncio_coroutine_exists() -> None:
    if sys.version_info >= (3, 11):
        assert not hasattr(asyncio, "coroutine")
        with pytest.raises(AttributeError, match="coroutine"):
            importlib.import_module("migration.test_013_before")
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_class("migration.test_013_before", "TestClient")
    assert_clean(result)
    assert result.testsRun == 3
    # asyncio.coroutine, ignore_loop and assertEquals warn, as the page says.
    said = {str(warning.message) for warning in caught}
    assert all(warning.category is DeprecationWarning for warning in caught)
    assert any('"@coroutine" decorator is deprecated' in text for text in said), said
    assert any(text.startswith("ignore_loop() is deprecated") for text in said), said
    assert any(text.startswith("assertEquals() is a deprecated alias") for text in said), said


@pytest.mark.parametrize("class_name", [
    "TestWithTheSuiteChecks", "TestMocks", "TestIOMocks",
])
def test_013_fixes_pass(class_name: str) -> None:
    assert_clean(run_class("migration.test_013_fixes", class_name))


def test_013_leftover_task_is_cancelled_and_its_finally_runs() -> None:
    from migration.test_013_fixes import TestBackgroundTask

    case = TestBackgroundTask("test_a_task_stopped_by_a_cleanup")
    result = unittest.TestResult()
    case.run(result)
    assert_clean(result)
    assert case.beats == ["stopped"]


def test_013_suite_base_class_turns_the_checks_on() -> None:
    from migration.test_013_fixes import StrictTestCase

    class Leaky(StrictTestCase):
        async def test(self) -> None:
            self.loop.call_later(60, print)

    assert "Loop contained unfinished work" in only_failure(run_test(Leaky, "test"))


def test_013_autospec_of_a_coroutine_function() -> None:
    from migration.test_013_fixes import fetch

    import asynctest

    assert inspect.iscoroutinefunction(asynctest.create_autospec(fetch))
    assert not hasattr(asynctest.Mock(spec=fetch), "awaited")


# -- docs/migration/from-isolated-asyncio-testcase.md -----------------------------------

def test_isolated_switch_is_the_import_and_the_base_class() -> None:
    before = (EXAMPLES / "migration" / "test_isolated_before.py").read_text(encoding="utf-8")
    after = (EXAMPLES / "migration" / "test_isolated_after.py").read_text(encoding="utf-8")
    changed = [
        line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        "-import unittest",
        "+import asynctest",
        "-class TestClient(unittest.IsolatedAsyncioTestCase):",
        "+class TestClient(asynctest.TestCase):",
    ]


def test_isolated_page_highlights_the_two_lines_that_differ() -> None:
    after = (EXAMPLES / "migration" / "test_isolated_after.py").read_text(encoding="utf-8")
    shown = after[after.index("import asyncio"):].splitlines()
    assert shown[3] == "import asynctest"
    assert shown[13] == "class TestClient(asynctest.TestCase):"
    page = ROOT / "docs" / "migration" / "from-isolated-asyncio-testcase.md"
    assert ":emphasize-lines: 4,14\n" in page.read_text(encoding="utf-8")


def _isolated_events(module: str) -> list[str]:
    case = importlib.import_module(module).TestClient("test_fetch")
    result = unittest.TestResult()
    case.run(result)
    assert_clean(result)
    return list(case.events)


def test_isolated_after_runs_the_phases_in_unittest_order() -> None:
    assert _isolated_events("migration.test_isolated_after") == [
        "asyncTearDown", "cleanup", "disconnected",
    ]


def test_isolated_before_runs_the_same_under_unittest() -> None:
    if sys.version_info < (3, 11):
        pytest.skip("unittest has enterAsyncContext since Python 3.11")
    assert _isolated_events("migration.test_isolated_before") == [
        "asyncTearDown", "cleanup", "disconnected",
    ]


def test_isolated_leaked_task_passes_unittest_and_fails_asynctest() -> None:
    assert_clean(run_class("migration.test_isolated_gains", "UnittestForgetsAWatcher"))
    report = asynctest_failure(
        "migration.test_isolated_gains.AsynctestForgetsAWatcher.test_starts_a_watcher"
    )
    assert "test_starts_a_watcher left 1 task pending" in report
    compare_with_shown("migration/forgets_a_watcher.txt", report)


@pytest.mark.parametrize("class_name", ["TestAnHourLongWait", "TestWithATimeout"])
def test_isolated_gains_pass(class_name: str) -> None:
    assert_clean(run_class("migration.test_isolated_gains", class_name))


def test_isolated_deadlock_fails_at_once_where_unittest_waits_forever() -> None:
    from migration.deadlock_under_both import WaitsUnderAsynctest

    failure = only_failure(run_test(WaitsUnderAsynctest, "test_waits_for_an_answer"))
    assert "DeadlockError: deadlock: test_waits_for_an_answer waits forever" in failure
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run(
            [sys.executable, "-m", "unittest", "migration.deadlock_under_both.WaitsUnderUnittest"],
            cwd=EXAMPLES, capture_output=True, text=True, timeout=3, env=_env(),
        )


# -- docs/migration/from-pytest-asyncio.md ----------------------------------------------

PYTEST_ASYNCIO = EXAMPLES / "migration" / "pytest_asyncio"


def test_pytest_asyncio_project_runs_both_files_side_by_side() -> None:
    done = pytest_run(PYTEST_ASYNCIO)
    tests = {f"test_before.py::{name}" for name in _test_names(PYTEST_ASYNCIO / "test_before.py")}
    tests |= {f"test_after.py::{name}" for name in _test_names(PYTEST_ASYNCIO / "test_after.py")}
    assert len(tests) == 8
    assert outcomes(done.stdout) == dict.fromkeys(tests, "PASSED"), done.stdout + done.stderr
    assert done.returncode == 0


def test_pytest_asyncio_both_in_auto_mode_is_a_usage_error() -> None:
    done = pytest_run(PYTEST_ASYNCIO, "-o", "asyncio_mode=auto")
    assert done.returncode == 4, done.stdout + done.stderr
    assert ("asynctest_mode = auto and pytest-asyncio's asyncio_mode = auto both claim "
            "every async def test") in done.stderr


def test_pytest_asyncio_module_scoped_async_fixture_is_an_error(tmp_path: Path) -> None:
    for name in ("pytest.ini", "service.py", "test_after.py"):
        shutil.copy(PYTEST_ASYNCIO / name, tmp_path / name)
    source = (tmp_path / "test_after.py").read_text(encoding="utf-8")
    broadened = source.replace(
        "@pytest.fixture                              # a loop lives for one test",
        '@pytest.fixture(scope="module")  # a loop lives for one test',
    )
    assert broadened != source
    (tmp_path / "test_after.py").write_text(broadened, encoding="utf-8")
    done = pytest_run(tmp_path)
    assert outcomes(done.stdout)["test_after.py::test_shared"] == "ERROR", done.stdout
    assert "the async fixture 'shared_service'" in done.stdout
    assert "has scope 'module'" in done.stdout


def test_pytest_asyncio_after_runs_without_pytest_asyncio(tmp_path: Path) -> None:
    for name in ("service.py", "test_after.py"):
        shutil.copy(PYTEST_ASYNCIO / name, tmp_path / name)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasynctest_mode = auto\n", encoding="utf-8")
    done = pytest_run(tmp_path, "-p", "no:asyncio")
    tests = {f"test_after.py::{name}" for name in _test_names(PYTEST_ASYNCIO / "test_after.py")}
    assert outcomes(done.stdout) == dict.fromkeys(tests, "PASSED"), done.stdout + done.stderr


# -- every file of these examples is run (or shown from a run) by a test above ------------

# The modules the examples import (the code under test), run through them.
CODE_UNDER_TEST = {
    "guide/fetch.py": "guide.test_life, guide.test_clock, guide.test_autojump",
    "migration/client.py": "migration.test_013_after, migration.test_isolated_after",
    "mocking_guide/shop.py": "mocking_guide.test_shop",
    "migration/pytest_asyncio/service.py": "migration/pytest_asyncio/test_after.py",
    "guide/pytest_project/pytest.ini": "the project's configuration",
    "guide/pytest_project/test_app.py": "test_guide_pytest_project_runs_as_shown",
    "guide/pytest_project/test_echo.py": "test_guide_pytest_project_runs_as_shown",
    "migration/pytest_asyncio/pytest.ini": "the project's configuration",
    "migration/pytest_asyncio/test_before.py": "test_pytest_asyncio_project_runs_both_files",
}


def test_every_example_file_of_the_guides_is_named_by_this_module() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    unnamed = []
    for folder in ("guide", "mocking_guide", "selector_guide", "migration"):
        for path in sorted((EXAMPLES / folder).rglob("*")):
            if path.suffix not in (".py", ".txt", ".ini") or path.name == "__init__.py":
                continue
            relative = path.relative_to(EXAMPLES).as_posix()
            dotted = relative[:-3].replace("/", ".") if relative.endswith(".py") else None
            named = relative in source or (
                dotted is not None and re.search(rf"\b{re.escape(dotted)}\b", source) is not None
            )
            if not named:
                unnamed.append(relative)
    assert unnamed == []
