"""The benchmark scripts still run and report their figures (never their speed).

Each script runs in a subprocess with small numbers and a hard timeout; the
tests check what it prints, not how fast anything was. They are slow, so they
carry the ``bench`` marker, which the default test command deselects: run them
with ``bash scripts/test-bench``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _support import clean_environment

pytestmark = pytest.mark.bench

BENCH = Path(__file__).resolve().parent.parent / "bench"
TIMEOUT = 120


def run_script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_environment(PYTHONIOENCODING="utf-8")
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run(
        [sys.executable, str(BENCH / name), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        env=env,
    )


def test_overhead_prints_time_and_ratio_of_every_variant() -> None:
    done = run_script("overhead.py", "--tests", "50", "--rounds", "1")
    # 0: targets met, 1: a target missed (timings are not asserted here); 2: a test failed.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    for label in (
        "floor: new_event_loop + run_until_complete",
        "unittest.IsolatedAsyncioTestCase",
        "asynctest.TestCase",
        "asynctest.TestCase @strict",
    ):
        pattern = rf"^ratio {re.escape(label)} +\d+\.\d µs/test +\d+\.\d\dx floor$"
        assert re.search(pattern, done.stdout, re.MULTILINE), done.stdout


def test_overhead_gives_a_verdict_on_both_targets() -> None:
    done = run_script("overhead.py", "--tests", "50", "--rounds", "1")
    verdicts = re.findall(r"^(PASS|FAIL) (.+?): \d+\.\d\dx floor \(target <= ([\d.]+)x\)$",
                          done.stdout, re.MULTILINE)
    assert [(label, limit) for _, label, limit in verdicts] == [
        ("asynctest.TestCase", "1.25"),
        ("asynctest.TestCase @strict", "1.5"),
    ], done.stdout


def test_overhead_rejects_zero_tests() -> None:
    done = run_script("overhead.py", "--tests", "0")
    assert done.returncode == 2
    assert "--tests and --rounds must be at least 1" in done.stderr


def test_soak_passes_every_leak_verdict_on_a_short_run() -> None:
    done = run_script("soak.py", "--tests", "60")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "60 tests (6 kinds in turn)" in done.stdout
    for label in (
        "tests passed: 60/60",
        "no file descriptor left: +0",
        "no event loop left: +0",
        "no thread left: +0",
        "no warning: 0",
        "no asyncio error logged: 0",
    ):
        assert re.search(rf"^PASS {re.escape(label)}$", done.stdout, re.MULTILINE), done.stdout
    assert re.search(r"^PASS memory grew < 5 MB: [+-]\d+\.\d\d MB$", done.stdout, re.MULTILINE)


def test_instructions_rejects_a_run_no_longer_than_its_baseline() -> None:
    done = run_script("instructions.py", "--tests", "4", "--baseline", "4")
    assert done.returncode == 2
    assert "--tests (4) must be greater than --baseline (4)" in done.stderr


def test_instructions_says_when_valgrind_is_missing(tmp_path: Path) -> None:
    env = clean_environment(PYTHONIOENCODING="utf-8", PATH=str(tmp_path))  # no valgrind there
    env.pop("PYTHONWARNINGS", None)
    done = subprocess.run(
        [sys.executable, str(BENCH / "instructions.py"), "--tests", "12", "--baseline", "4"],
        capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, env=env,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "valgrind not found on PATH" in done.stdout


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
@pytest.mark.skipif(sys.version_info < (3, 13), reason="slow under valgrind: newest Python only")
def test_instructions_counts_every_variant_and_gives_verdicts() -> None:
    done = run_script("instructions.py", "--tests", "12", "--baseline", "4")
    assert done.returncode in (0, 1), done.stdout + done.stderr  # tiny runs: figures are noise
    for label in (
        "floor: new_event_loop + run_until_complete",
        "asynctest.TestCase",
        "asynctest.TestCase @strict",
    ):
        pattern = rf"^ratio {re.escape(label)} +\d+\.\d k/test +\d+\.\d\d\dx floor$"
        assert re.search(pattern, done.stdout, re.MULTILINE), done.stdout
    verdicts = re.findall(r"^(?:PASS|FAIL) (.+?): \d+\.\d{3}x floor in instructions", done.stdout,
                          re.MULTILINE)
    assert verdicts == ["asynctest.TestCase", "asynctest.TestCase @strict"], done.stdout


def test_busy_compares_deadlock_on_and_off_for_both_workloads() -> None:
    done = run_script("busy.py", "--scale", "0.01", "--rounds", "1")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    for workload in ("sleep0", "echo"):
        pattern = (rf"^{workload} +deadlock on +[\d.]+ ms +off +[\d.]+ ms +on/off \d\.\d{{3}} +"
                   rf"(PASS|FAIL) \(target <= 1\.05\)$")
        assert re.search(pattern, done.stdout, re.MULTILINE), done.stdout


def test_busy_rejects_a_scale_of_zero() -> None:
    done = run_script("busy.py", "--scale", "0")
    assert done.returncode == 2
    assert "--scale must be > 0" in done.stderr


def test_pytest_overhead_prints_the_cost_of_each_variant_and_a_verdict() -> None:
    done = run_script("pytest_overhead.py", "--tests", "20", "--rounds", "1")
    # 0: target met, 1: missed (timings are not asserted here); 2: a test failed.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert re.search(r"^cost sync +-?\d+\.\d µs/test$", done.stdout, re.MULTILINE), done.stdout
    for label in ("pytest-asyncio", "asynctest", "bare-loop"):
        pattern = rf"^cost {label} +-?\d+\.\d µs/test +adds +-?\d+\.\d µs over sync$"
        assert re.search(pattern, done.stdout, re.MULTILINE), done.stdout
    reference = (r"^\(for reference: a bare new loop per test adds -?[\d.]+x what "
                 r"pytest-asyncio adds; asynctest adds [+-][\d.]+ µs over it\)$")
    assert re.search(reference, done.stdout, re.MULTILINE), done.stdout
    verdict = (r"^(PASS|FAIL) asynctest adds (-?[\d.]+|inf)x what pytest-asyncio adds "
               r"\(target <= 0.25x\)$")
    assert re.search(verdict, done.stdout, re.MULTILINE), done.stdout


def test_pytest_overhead_rejects_zero_tests() -> None:
    done = run_script("pytest_overhead.py", "--tests", "0")
    assert done.returncode == 2
    assert "--tests and --rounds must be at least 1" in done.stderr


def test_clock_prints_its_figures_and_a_verdict_on_each_target() -> None:
    done = run_script("clock.py", "--timers", "2000", "--tests", "10", "--rounds", "1")
    # 0: targets met, 1: a target missed (timings are not asserted here); 2: a run failed.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    for label in ("autojump", "one advance()"):
        pattern = rf"^ratio {re.escape(label)} +\d+\.\d ms +\d+\.\d\dx floor$"
        assert re.search(pattern, done.stdout, re.MULTILINE), done.stdout
    verdicts = re.findall(r"^(?:PASS|FAIL) (\([abc]\))", done.stdout, re.MULTILINE)
    assert verdicts == ["(a)", "(b)", "(c)"], done.stdout


def test_mocks_prints_the_table_of_operations_with_a_baseline() -> None:
    # This Python's asynctest stands in for 0.13: the children run the same operations.
    done = run_script("mocks.py", "--calls", "20", "--rounds", "1", "--table-calls", "5",
                      "--table-rounds", "1", "--baseline", sys.executable)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    for label in ("await CoroutineMock", "patch GLOBAL", "patch LIMITED"):
        assert re.search(rf"^ratio {re.escape(label)} +\d+\.\d\d×", done.stdout, re.MULTILINE)
    for operation in ("CoroutineMock()", "create_autospec(coroutine_function)", "MagicMock()",
                      "MagicMock(sync_fn)", "Mock(spec=cls)", "patch(...) enter + exit",
                      "await CoroutineMock()"):
        assert re.search(rf"^(PASS|FAIL) {re.escape(operation)} / asynctest 0\.13: "
                         r"\d+\.\d\dx \(target <= 1\.0x\)$", done.stdout, re.MULTILINE), operation
    verdicts = re.findall(r"^(?:PASS|FAIL) (.+?) / (AsyncMock\(\)|unittest\.mock\.create_autospec)",
                          done.stdout, re.MULTILINE)
    expected = ["CoroutineMock()", "create_autospec(coroutine_function)"]
    assert [name for name, _ in verdicts] == (expected if sys.version_info >= (3, 11) else [])


def test_mocks_rejects_a_baseline_that_is_not_a_python(tmp_path: Path) -> None:
    done = run_script("mocks.py", "--baseline", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert "is not an executable Python" in done.stderr
