"""The worked example of docs/selector.md (examples/selector) passes on this Python."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "selector"


def test_line_protocol_example_passes_in_dev_mode_with_warnings_as_errors():
    completed = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-m", "asynctest", "-v", "test_line_protocol"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("ASYNCTEST_")},
    )
    report = completed.stdout + completed.stderr
    assert completed.returncode == 0, report
    assert "Ran 4 tests" in report
    assert report.rstrip().endswith("OK")
