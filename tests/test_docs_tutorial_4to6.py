"""The examples of the tutorial's chapters 4-6 pass or fail as the pages say.

Chapter 5 ("Finding what the suite hides") shows, for each module of
``examples/hidden/``, the failure it reports, included from the ``.txt`` file
next to it. Each test here runs the module with ``python -m asynctest`` in a
subprocess (with a hard timeout: a deadlock or a timeout example must never
hang the suite) and compares its report with that file, after normalising what
varies from run to run and machine to machine. The page shows no absolute path
(the examples' folder is left out, Python's own is written ``<python>``) and no
memory address or mock id (``0x...``, ``id='...'``); the comparison also ignores
file descriptor and port numbers, socket families and types (names before
3.13, numbers after), a handle's arguments (shown before 3.13), task numbers,
the standard library's line numbers and timings. On Python before 3.11, function names
are written without their class, and are compared without it.

``DOCS_REGENERATE=1 python -m pytest tests/test_docs_tutorial_4to6.py``
on Python 3.13 rewrites the ``.txt`` files from real runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _support import clean_environment

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TIMEOUT = 90
REGENERATE = os.environ.get("DOCS_REGENERATE") == "1" and sys.version_info >= (3, 13)
RULE = "-" * 70


def run_asynctest(*args: str, cwd: Path = EXAMPLES) -> subprocess.CompletedProcess[str]:
    """``python -m asynctest ARGS`` in ``cwd`` with a clean environment."""
    return subprocess.run(
        [sys.executable, "-m", "asynctest", *args],
        cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
        env=clean_environment(PYTHONPATH=str(EXAMPLES)),
    )


def for_page(text: str) -> str:
    """``text`` as a page shows it: no absolute path, no memory address."""
    text = text.replace(str(EXAMPLES) + os.sep, "")
    for prefix in sorted({sys.base_prefix, sys.prefix}, key=len, reverse=True):
        text = text.replace(prefix + os.sep, "<python>/")
    text = re.sub(r"0x[0-9a-fA-F]+", "0x...", text)
    text = re.sub(r"id='\d+'", "id='...'", text)
    return text.rstrip() + "\n"


def normalise(text: str) -> str:
    """``text`` without what varies between runs, machines and Python versions."""
    text = for_page(text)
    text = re.sub(r"<python>/lib/python3\.\d+/", "<python>/", text)
    text = re.sub(r'(File "<python>/[^"]+", line )\d+', r"\1N", text)
    text = re.sub(r"fd=\d+", "fd=N", text)
    text = re.sub(r"\('127\.0\.0\.1', \d+\)", "('127.0.0.1', PORT)", text)
    text = re.sub(r"(due in|completes in) [\d.]+ s", r"\1 N s", text)
    text = re.sub(r"Task-\d+", "Task-N", text)
    text = re.sub(r"family=\S+, type=\S+", "family=F, type=T", text)
    # A handle's arguments are shown in its repr before 3.13 (later, in debug mode only).
    text = re.sub(r"(callback |<Handle )([\w.]+)\([^)]*\)", r"\1\2(...)", text)
    # Carets under a traceback's line (3.11+) come and go with the Python version.
    text = "\n".join(
        line for line in text.splitlines() if not re.fullmatch(r"[\s|]*[~^]+[\s~^]*", line)
    )
    if sys.version_info < (3, 11):
        text = _unqualified(text)
    return text.rstrip() + "\n"


def _unqualified(text: str) -> str:
    """Frame names as Python 3.9 and 3.10 write them: without their class."""
    return re.sub(r"(\bin |\(|\.\.\. \d+ frames? in \w+ \()[A-Za-z_]\w*\.(\w+)", r"\1\2", text)


def report_of(done: subprocess.CompletedProcess[str]) -> str:
    """The one failure's report, as unittest prints it between its two rules."""
    return done.stderr.split(RULE + "\n")[1].split("\n" + RULE)[0]


def check_report(txt: Path, actual: str) -> None:
    """``actual`` is the report ``txt`` shows (after normalising); regenerate it on demand."""
    if REGENERATE:
        txt.write_text(for_page(actual), encoding="utf-8")
    assert normalise(actual) == normalise(txt.read_text(encoding="utf-8"))


# -- chapter 4: Mocking I/O ---------------------------------------------------------------
# The line protocol of the chapter (selector/test_line_protocol.py) runs in
# tests/io/test_io_example.py.


def test_socket_mock_examples_pass_in_dev_mode_with_warnings_as_errors() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-m", "asynctest", "-v",
         "mocking_io.test_socket_mock"],
        cwd=EXAMPLES, capture_output=True, text=True, timeout=TIMEOUT, env=clean_environment(),
    )
    assert done.returncode == 0, done.stderr
    assert "Ran 4 tests" in done.stderr
    assert done.stderr.count(" ... ok") == 4, done.stderr


# -- chapter 5: Finding what the suite hides -------------------------------------------

# Each module: the first line of its failure, and the file the page shows.
HIDDEN = {
    "hidden.test_timeout": (
        "asynctest.PhaseTimeoutError: test_fetch timed out after 0.5 s",
        "hidden/test_timeout.txt",
    ),
    "hidden.test_deadlock": (
        "asynctest.DeadlockError: deadlock: test_send_after_connect",
        "hidden/test_deadlock.txt",
    ),
    "hidden.test_pending_tasks": (
        "AssertionError: test_runs_a_job left 1 task pending",
        "hidden/test_pending_tasks.txt",
    ),
    "hidden.test_active_handles": (
        "AssertionError: Loop contained unfinished work",
        "hidden/test_active_handles.txt",
    ),
    "hidden.test_active_selector_callbacks": (
        "left 1 reader registered on the loop",
        "hidden/test_active_selector_callbacks.txt",
    ),
    "hidden.test_unused_loop": (
        "AssertionError: Loop did not run during the test",
        "hidden/test_unused_loop.txt",
    ),
    "hidden.test_loop_exceptions": (
        "error(s) reached the event loop's exception handler",
        "hidden/test_loop_exceptions.txt",
    ),
    "hidden.test_unawaited_coroutines": (
        "coroutine(s) that were never awaited",
        "hidden/test_unawaited_coroutines.txt",
    ),
    "hidden.test_unclosed_resources": (
        "left 1 resource(s) unclosed (ResourceWarning)",
        "hidden/test_unclosed_resources.txt",
    ),
    "hidden.test_leaked_threads": (
        "left 1 thread(s) running",
        "hidden/test_leaked_threads.txt",
    ),
}


@pytest.mark.parametrize("module", sorted(HIDDEN))
def test_hidden_example_fails_with_the_report_the_page_shows(module: str) -> None:
    done = run_asynctest(module)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Ran 1 test" in done.stderr and "FAILED (failures=1)" in done.stderr, done.stderr
    report = report_of(done)
    message, shown = HIDDEN[module]
    assert report.startswith(message) or message in report.splitlines()[0], report
    check_report(EXAMPLES / shown, report)


def test_hidden_problems_fixed_pass_with_every_check_on() -> None:
    done = run_asynctest("-v", "hidden.test_fixed")
    assert done.returncode == 0, done.stderr
    assert "Ran 5 tests" in done.stderr
    assert done.stderr.count(" ... ok") == 5, done.stderr


def test_the_decorator_wins_over_the_run_wide_timeout() -> None:
    done = run_asynctest("--timeout", "30", "hidden.test_timeout")
    assert done.returncode == 1, done.stderr
    assert "test_fetch timed out after 0.5 s in the test" in done.stderr


# -- chapter 6: pytest -------------------------------------------------------------------

PYTEST_PROJECT = EXAMPLES / "pytest"


def run_pytest(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m pytest ARGS`` in ``examples/pytest`` (its own pytest.ini), clean environment."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
        cwd=PYTEST_PROJECT, capture_output=True, text=True, timeout=TIMEOUT,
        env=clean_environment(),
    )


def outcomes(output: str) -> dict[str, set[str]]:
    """Test id -> {"PASSED", "FAILED", "ERROR", ...} from pytest's ``-rA`` summary."""
    found: dict[str, set[str]] = {}
    for kind, nodeid in re.findall(
        r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+(?:\[[^\]]*\])?)", output, re.MULTILINE
    ):
        found.setdefault(nodeid, set()).add(kind)
    return found


def section(output: str, name: str) -> str:
    """The text pytest prints for test ``name``, without its title line."""
    match = re.search(rf"^_+ (?:ERROR at \w+ of )?{name} _+\n(.*?)(?=^_{{3,}} |^=+ )", output,
                      re.MULTILINE | re.DOTALL)
    assert match, output
    return match.group(1)


def test_pytest_project_passes_with_the_tests_the_page_lists() -> None:
    done = run_pytest()
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "11 passed" in output, output
    assert outcomes(output) == {
        name: {"PASSED"} for name in (
            "test_clock.py::test_advance",
            "test_clock.py::test_a_day_of_retries_in_no_time",
            "test_echo.py::test_echo",
            "test_echo.py::test_two_clients_at_once",
            "test_echo.py::test_runs_on_the_loop_of_the_test",
            "test_echo.py::test_parametrized[a]",
            "test_echo.py::test_parametrized[MiXeD]",
            "test_echo.py::test_parametrized[]",
            "test_echo.py::test_with_every_check_on",
            "test_with_pytest_asyncio.py::test_run_by_pytest_asyncio",
            "test_with_pytest_asyncio.py::test_run_by_asynctest",
        )
    }, output


def test_pytest_project_passes_with_every_check_on() -> None:
    done = run_pytest("--asynctest-strict")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "11 passed" in done.stdout, done.stdout


def test_pytest_failures_read_as_the_page_shows() -> None:
    done = run_pytest("failing.py")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "1 failed, 1 passed, 1 error" in output, output
    assert outcomes(output) == {
        "failing.py::test_waits_for_a_job_that_never_says_it_is_done": {"FAILED"},
        # The test passed; the check judges after its teardown: an error at teardown.
        "failing.py::test_leaves_a_poller_running": {"PASSED", "ERROR"},
    }, output
    deadlock = section(output, "test_waits_for_a_job_that_never_says_it_is_done")
    assert deadlock.startswith("deadlock: test_waits_for_a_job_that_never_says_it_is_done")
    check_report(PYTEST_PROJECT / "failing_deadlock.txt", deadlock)
    leak = section(output, "test_leaves_a_poller_running")
    assert leak.startswith("test_leaves_a_poller_running left 1 task pending"), leak
    check_report(PYTEST_PROJECT / "failing_pending_tasks.txt", leak)


def test_the_failing_module_is_not_collected_by_default() -> None:
    done = run_pytest("--collect-only", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "failing.py" not in done.stdout
    assert "11 tests collected" in done.stdout, done.stdout


def test_the_main_suite_does_not_collect_the_examples() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, env=clean_environment(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    collected = [line for line in done.stdout.splitlines() if "::" in line]
    assert collected and all(line.startswith("tests/") for line in collected), done.stdout


# -- the pages and their files ----------------------------------------------------------

PYTEST_FILES = {
    "pytest/pytest.ini", "pytest/conftest.py", "pytest/echo.py", "pytest/test_echo.py",
    "pytest/test_clock.py", "pytest/test_with_pytest_asyncio.py", "pytest/failing.py",
    "pytest/failing_deadlock.txt", "pytest/failing_pending_tasks.txt",
}


def _files(folder: str) -> set[str]:
    return {
        path.relative_to(EXAMPLES).as_posix()
        for path in (EXAMPLES / folder).iterdir()
        if path.is_file() and path.suffix in (".py", ".txt", ".ini")
    }


def test_every_file_of_the_pytest_project_is_known_here() -> None:
    assert _files("pytest") == PYTEST_FILES


def test_every_hidden_module_has_its_report_and_the_page_shows_it() -> None:
    modules = {name.replace(".", "/") for name in HIDDEN}
    expected = {m + ".py" for m in modules} | {m + ".txt" for m in modules}
    assert _files("hidden") == expected | {"hidden/test_fixed.py"}
    page = (ROOT / "docs" / "tutorial" / "05-finding-what-the-suite-hides.md").read_text()
    for name in sorted(expected | {"hidden/test_fixed.py"}):
        assert f"../../examples/{name}" in page, name
    # "Reading a report" walks through the deadlock report by its line numbers.
    deadlock = (EXAMPLES / "hidden" / "test_deadlock.txt").read_text()
    assert "hidden/test_deadlock.py:27 in " in deadlock and "the test is at line 27" in page
    assert "hidden/test_deadlock.py:19 in " in deadlock and "which is at line 19" in page
