"""The pending_tasks check: a test leaving tasks pending fails, naming them and where they wait."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _support import assert_clean as assert_passed
from _support import clean_environment, only_failure, run_case

import asynctest
from asynctest import _config
from asynctest._engine.checks import all_checks


@pytest.fixture
def run_strict():
    """Run the inner tests as ``python -m asynctest --strict`` would."""
    _config.set_current(_config.Defaults(strict=True))


class Client:
    """Starts a task reading a queue forever, as a client library would."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self.task = asyncio.ensure_future(self.fetch_loop())

    async def fetch_loop(self) -> None:
        while True:
            await self._queue.get()


started: list[Client] = []


def leaky_case(*decorators):
    """A class whose async test starts a Client and leaves its task pending."""

    async def test_fetch(self):
        started.append(Client())
        await asyncio.sleep(0)

    for decorate in reversed(decorators):
        test_fetch = decorate(test_fetch)
    return type("Leaky", (asynctest.TestCase,), {"test_fetch": test_fetch})


def run_leaky(*decorators):
    started.clear()
    return run_case(leaky_case(*decorators), "test_fetch")


def test_pending_tasks_is_registered_and_off_by_default():
    check = all_checks()["pending_tasks"]
    assert check.default is False


def test_a_test_leaving_a_task_fails_naming_the_test_the_task_and_its_await_line():
    message = only_failure(run_leaky(asynctest.fail_on(pending_tasks=True)))
    assert re.search(
        r"test_fetch left 1 task pending: <Task 'Task-\d+' Client\.fetch_loop\(\) "
        r"waiting at \S*test_tasks_check\.py:\d+ `await self\._queue\.get\(\)`>",
        message,
    ), message


def test_the_failure_names_the_fix():
    message = only_failure(run_leaky(asynctest.fail_on(pending_tasks=True)))
    assert "; await or cancel it, or use @fail_on(pending_tasks=False)" in message


def test_the_failure_shows_the_report_of_the_task():
    message = only_failure(run_leaky(asynctest.fail_on(pending_tasks=True)))
    assert "\n\nTask 'Task-" in message
    assert "in Client.fetch_loop: `await self._queue.get()`" in message or (
        "in fetch_loop: `await self._queue.get()`" in message  # 3.9, 3.10: no co_qualname
    )
    assert "waits for <Future pending>" in message


def test_the_leftover_task_is_still_cancelled_after_the_failure():
    only_failure(run_leaky(asynctest.fail_on(pending_tasks=True)))
    assert started[0].task.cancelled()


def test_several_pending_tasks_are_counted_and_all_reported():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(pending_tasks=True)
        async def test(self):
            for _ in range(5):
                asyncio.ensure_future(asyncio.Event().wait())

    message = only_failure(run_case(Case))
    assert "test left 5 tasks pending: " in message
    assert " and 2 more; await or cancel them, or use @fail_on(pending_tasks=False)" in message
    assert message.count("\n\nTask 'Task-") == 5


def test_a_task_waiting_for_another_task_is_reported_inside_its_block():
    async def inner():
        await asyncio.Event().wait()

    async def outer():
        await asyncio.ensure_future(inner())

    class Case(asynctest.TestCase):
        @asynctest.fail_on(pending_tasks=True)
        async def test(self):
            asyncio.ensure_future(outer())
            await asyncio.sleep(0)

    message = only_failure(run_case(Case))
    assert "test left 2 tasks pending" in message
    assert message.count("\n\nTask 'Task-") == 1
    assert "\n  waits for Task 'Task-" in message


def test_a_test_that_awaits_its_tasks_passes():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(pending_tasks=True)
        async def test(self):
            await asyncio.ensure_future(asyncio.sleep(0))

    assert_passed(run_case(Case))


def test_a_task_cancelled_and_awaited_by_a_cleanup_passes():
    class Case(asynctest.TestCase):
        @asynctest.fail_on(pending_tasks=True)
        async def test(self):
            client = Client()

            async def stop():
                client.task.cancel()
                await asyncio.gather(client.task, return_exceptions=True)

            self.addCleanup(stop)

    assert_passed(run_case(Case))


def test_pending_tasks_is_off_by_default():
    assert_passed(run_leaky())


def test_strict_turns_pending_tasks_on():
    assert "left 1 task pending" in only_failure(run_leaky(asynctest.strict))


def test_run_strict_turns_pending_tasks_on(run_strict):
    assert "left 1 task pending" in only_failure(run_leaky())


def test_fail_on_pending_tasks_false_wins_over_run_strict(run_strict):
    assert_passed(run_leaky(asynctest.fail_on(pending_tasks=False)))


# -- the example of docs/guide.md, "Reading a report" -------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _report_of_the_example() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "asynctest", "examples/reports/test_client.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=clean_environment(),
    )
    assert done.returncode == 1, done.stdout + done.stderr
    return done.stderr.split("-" * 70 + "\n")[1].split("\n" + "-" * 70)[0].rstrip()


def _documented_report() -> str:
    # docs/guide.md includes it (tests/test_docs_guides.py regenerates it)
    return (ROOT / "examples" / "guide" / "pending_tasks.txt").read_text(encoding="utf-8").rstrip()


def _without_timings(text: str) -> str:
    return re.sub(r"completes in [\d.]+ s", "completes in N s", text)


def test_the_example_of_the_guide_fails_with_the_report_it_shows():
    actual = _report_of_the_example()
    assert "test_fetch left 3 tasks pending" in actual
    if sys.version_info >= (3, 11):  # before, frames are named without their class
        assert _without_timings(actual) == _without_timings(_documented_report())
