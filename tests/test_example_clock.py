"""The worked example of the auto-advancing clock (examples/clock) passes as documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _support import clean_environment

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "clock"
TIMEOUT_SECONDS = 120

TESTS = (
    "test_retries_until_the_server_is_back_after_20_minutes",
    "test_gives_up_after_an_hour",
    "test_a_hung_attempt_times_out_after_10_seconds",
    "test_a_real_server_that_starts_after_10_minutes",
)


def test_the_backoff_example_passes_as_its_readme_says() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asynctest", "-v", "test_backoff"],
        cwd=EXAMPLE,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in TESTS:
        assert f"{name} (test_backoff.BackoffTest" in done.stderr
    assert f"Ran {len(TESTS)} tests" in done.stderr
    assert done.stderr.rstrip().endswith("OK"), done.stderr


def test_the_example_fails_when_the_backoff_is_wrong(tmp_path: Path) -> None:
    # The same tests against a client whose delays do not grow: the attempt
    # times are checked, not merely that it ends.
    source = (EXAMPLE / "backoff.py").read_text()
    broken = source.replace("delay = min(delay * factor, max_delay)", "delay = first_delay")
    assert broken != source
    (tmp_path / "backoff.py").write_text(broken)
    (tmp_path / "test_backoff.py").write_text((EXAMPLE / "test_backoff.py").read_text())
    done = subprocess.run(
        [sys.executable, "-m", "asynctest", "test_backoff.BackoffTest.test_gives_up_after_an_hour",
         "test_backoff.BackoffTest.test_retries_until_the_server_is_back_after_20_minutes"],
        cwd=tmp_path,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )
    assert done.returncode == 1
    assert "FAILED (failures=2)" in done.stderr, done.stderr
