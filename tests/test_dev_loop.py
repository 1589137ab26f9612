"""The development commands: the README's test command is CI's, and it leaves the slow
benchmark smoke tests to their own step (scripts/test-bench)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from _support import clean_environment

ROOT = Path(__file__).resolve().parent.parent


def collect(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=clean_environment(),
    )
    assert done.returncode in (0, 5), done.stdout + done.stderr  # 5: nothing collected
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_the_default_test_command_leaves_the_benchmark_smoke_tests_out() -> None:
    assert collect("tests/test_bench_smoke.py") == []


def test_scripts_test_bench_selects_them() -> None:
    script = (ROOT / "scripts" / "test-bench").read_text()
    assert "-m bench tests/test_bench_smoke.py" in script
    selected = collect("-m", "bench", "tests/test_bench_smoke.py")
    assert len(selected) >= 7
    assert all(line.startswith("tests/test_bench_smoke.py::") for line in selected)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    (command,) = re.findall(r"^exec (.+)$", ci, re.MULTILINE)
    assert command == "bash scripts/test"
    assert re.search(rf"^{re.escape(command)}\s", readme, re.MULTILINE)
    assert "bash scripts/test-bench" in readme
