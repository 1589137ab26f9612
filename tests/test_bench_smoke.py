"""The benchmark scripts still run and report their figures (never their speed).

Each script runs in a subprocess with small numbers and a hard timeout; the
tests check what it prints, not how fast anything was.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from _support import clean_environment

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
