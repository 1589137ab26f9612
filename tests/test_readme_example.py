"""The README's example (examples/readme/test_readme.py) does what the README says."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from _support import assert_passed, only_failure, run_case

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
sys.path.insert(0, str(EXAMPLES))

from readme import test_readme  # noqa: E402


def test_the_retrying_fetch_passes_over_thirty_virtual_seconds() -> None:
    assert_passed(run_case(test_readme.TestRetry, "test_retries_until_the_server_answers"))


def test_the_forgotten_task_fails_the_test_naming_the_task() -> None:
    text = only_failure(run_case(test_readme.TestRetry, "test_a_forgotten_task_fails_the_test"))
    assert "test_a_forgotten_task_fails_the_test left 1 task pending: <Task " in text
    # (In debug mode, as under -X dev, the future also says where it was created.)
    assert re.search(r"waits for <Future pending>( created at \S+ in \w+)?, which a timer "
                     r"completes in 60 s", text), text


def test_the_clock_check_fails_when_the_retries_did_not_sleep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The example's last assertion is real: without the backoff sleeps it fails.
    async def no_sleep(delay: float) -> None:
        pass

    monkeypatch.setattr(test_readme.asyncio, "sleep", no_sleep)
    text = only_failure(run_case(test_readme.TestRetry, "test_retries_until_the_server_answers"))
    assert "AssertionError: 0.0 != 30.0" in text
