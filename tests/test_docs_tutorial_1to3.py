"""The examples of tutorial chapters 1-3 pass or fail as the pages say, with the output they show.

Chapter 1 (docs/tutorial/01-test-cases.md): tutorial/test_cases.py (also run by
tests/test_tutorial.py), tutorial/run_by_hand.txt, the outputs in
tutorial/output/. Chapter 2 (02-mocking.md): the modules of mocking/ and
mocking/output/too_early.txt. Chapter 3 (03-controlling-time.md):
clock/heartbeat.py, clock/test_heartbeat.py, clock/output/*.txt, and
clock/backoff.py + clock/test_backoff.py (run by tests/test_example_clock.py).

Each output file is what ``python -m asynctest ...`` printed, normalised where
runs differ: durations become ``...``, tracebacks keep only the frames of the
example files (paths relative to examples/), and Python 3.9/3.10's shorter names
(``test (module.Class)``, functions without their class) are compared in that
form. ``DOCS_REGENERATE=1`` rewrites the files (on Python 3.11+).
"""

from __future__ import annotations

import asyncio
import doctest
import json
import os
import re
import subprocess
import sys
import types
import unittest
from pathlib import Path
from typing import Optional

import pytest
from _support import clean_environment, messages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

from mocking import client as mocking_client  # noqa: E402

TIMEOUT_SECONDS = 120
OLD_NAMES = sys.version_info < (3, 11)  # no co_qualname, short test ids


# Every file the three chapters include, by its path under examples/; the
# tests below run each (clock/backoff.py and clock/test_backoff.py: in
# tests/test_example_clock.py; tutorial/test_cases.py: also tests/test_tutorial.py).
INCLUDED = {
    "docs/tutorial/01-test-cases.md": {
        "tutorial/test_cases.py",
        "tutorial/run_by_hand.txt",
        "tutorial/output/minimal_example.txt",
        "tutorial/output/test_cases.txt",
    },
    "docs/tutorial/02-mocking.md": {
        "mocking/client.py",
        "mocking/test_coroutine_mock.py",
        "mocking/test_awaited.py",
        "mocking/output/too_early.txt",
        "mocking/test_patch.py",
        "mocking/test_autospec.py",
    },
    "docs/tutorial/03-controlling-time.md": {
        "clock/heartbeat.py",
        "clock/test_heartbeat.py",
        "clock/output/manual_clock_timeout.txt",
        "clock/backoff.py",
        "clock/test_backoff.py",
    },
}


def run_asynctest(*args: str, cwd: Path = EXAMPLES) -> subprocess.CompletedProcess[str]:
    """``python -m asynctest ARGS`` in ``cwd``, with no ASYNCTEST_* default set."""
    return subprocess.run(
        [sys.executable, "-m", "asynctest", *args],
        cwd=cwd,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )


_FRAME = re.compile(r'^  File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>.+)$')
_MARKERS = re.compile(r"^\s*[\^~]+\s*$")
_TEST_ID = re.compile(r"^(?P<head>(?:FAIL: |ERROR: )?)(?P<name>\w+) \((?P<where>[\w.]+)\)"
                      r"(?P<tail>.*)$")


def normalise(text: str) -> str:
    """The output of a run, without what differs from run to run (see the module docstring)."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        frame = _FRAME.match(line)
        if frame:
            end = i + 1
            while end < len(lines) and lines[end].startswith("    "):
                end += 1
            path = Path(frame["path"])
            if path.is_absolute() and EXAMPLES in path.parents:
                relative = path.relative_to(EXAMPLES).as_posix()
                out.append(f'  File "{relative}", line {frame["line"]}, in {frame["func"]}')
                out.extend(x for x in lines[i + 1:end] if not _MARKERS.match(x))
            elif out[-1:] != ["  ..."]:
                out.append("  ...")
            i = end
            continue
        test_id = _TEST_ID.match(line)
        if test_id and not test_id["where"].endswith("." + test_id["name"]):
            line = (f"{test_id['head']}{test_id['name']} "
                    f"({test_id['where']}.{test_id['name']}){test_id['tail']}")
        line = re.sub(r"^Ran (\d+ tests?) in [\d.]+s$", r"Ran \1 in ...s", line)
        line = re.sub(r"due in [\d.]+ s>", "due in ... s>", line)
        out.append(line)
        i += 1
    return "\n".join(out) + "\n"


def in_old_names(text: str) -> str:
    """``text`` as Python 3.9/3.10 print it: report frames name functions without their class."""
    text = re.sub(r"^(  \S+:\d+ in )[\w.]*?(\w+):", r"\1\2:", text, flags=re.M)
    return re.sub(
        r"^(  \.\.\. \d+ frames? in \w+ )\((.*)\)$",
        lambda m: m[1] + "(" + ", ".join(n.rsplit(".", 1)[-1] for n in m[2].split(", ")) + ")",
        text,
        flags=re.M,
    )


def check_output(relative: str, actual: str) -> None:
    """``actual`` (normalised) is the content of examples/``relative``, which a page shows."""
    path = EXAMPLES / relative
    if os.environ.get("DOCS_REGENERATE") == "1" and not OLD_NAMES:
        path.write_text(actual)
    expected = path.read_text()
    if OLD_NAMES:
        expected = in_old_names(expected)
    assert actual == expected, f"examples/{relative} differs from this run:\n{actual}"


def run_module(name: str) -> unittest.TestResult:
    """Run every test of the example module ``name`` (dotted, from examples/) in this process."""
    suite = unittest.defaultTestLoader.loadTestsFromName(name)
    result = unittest.TestResult()
    suite.run(result)
    return result


def failed_tests(result: unittest.TestResult) -> list[str]:
    return sorted(test.id() for test, _ in result.failures + result.errors)


# Chapter 1: Test cases -------------------------------------------------------


def test_running_a_test_by_hand_returns_its_result() -> None:
    # tutorial/run_by_hand.txt: the interactive session the chapter shows.
    failures, tries = doctest.testfile(
        str(EXAMPLES / "tutorial" / "run_by_hand.txt"), module_relative=False, verbose=False
    )
    assert (failures, tries) == (0, 3)


def test_the_minimal_example_run_from_the_command_line() -> None:
    done = run_asynctest("-v", "tutorial.test_cases.MinimalExample")
    assert done.returncode == 0, done.stderr
    check_output("tutorial/output/minimal_example.txt", normalise(done.stderr))


def test_the_chapter_module_run_shows_the_pending_callback_failure() -> None:
    done = run_asynctest("-v", "tutorial.test_cases")
    assert done.returncode == 1, done.stderr
    text = normalise(done.stderr)
    assert "Ran 8 tests" in text and "FAILED (failures=1)" in text
    assert text.count(" ... ok\n") == 7
    assert "AnExempleWhichDetectsPendingCallbacks.i_must_run()" in text
    check_output("tutorial/output/test_cases.txt", text)


# Chapter 2: Mocking ----------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "count"),
    [("mocking.test_coroutine_mock", 3), ("mocking.test_patch", 4),
     ("mocking.test_autospec", 3)],
)
def test_the_mocking_examples_pass(module: str, count: int) -> None:
    result = run_module(module)
    assert result.testsRun == count
    assert result.wasSuccessful(), messages(result)


def test_waiting_for_awaited_passes_and_checking_too_early_fails() -> None:
    result = run_module("mocking.test_awaited")
    assert result.testsRun == 4
    assert not result.errors, messages(result)
    too_early = "mocking.test_awaited.TestUploaderTooEarly.test_posts_the_order"
    assert failed_tests(result) == [too_early]
    assert "Expected post to have been awaited once. Awaited 0 times." in messages(result)


def test_checking_too_early_fails_with_the_message_the_page_shows() -> None:
    done = run_asynctest("mocking.test_awaited.TestUploaderTooEarly")
    assert done.returncode == 1, done.stderr
    check_output("mocking/output/too_early.txt", normalise(done.stderr))


def test_the_patch_scope_examples_fail_when_the_scopes_are_swapped() -> None:
    # The scope tests check what other tasks see, not merely that the test ends.
    source = (EXAMPLES / "mocking" / "test_patch.py").read_text()
    swapped = (source.replace("scope=asynctest.GLOBAL", "scope=SWAP")
               .replace("scope=asynctest.LIMITED", "scope=asynctest.GLOBAL")
               .replace("scope=SWAP", "scope=asynctest.LIMITED"))
    assert swapped != source
    module = types.ModuleType("mocking.swapped_scopes")
    module.__package__ = "mocking"
    exec(compile(swapped, "swapped_scopes.py", "exec"), module.__dict__)
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(module.TestPatchScopes)
    result = unittest.TestResult()
    suite.run(result)
    assert result.testsRun == 2
    assert len(result.failures) == 2, messages(result)


def test_the_session_the_mocks_replace_talks_to_a_real_server() -> None:
    # mocking/client.py: Session is real code, shown in the chapter.
    requests: list[dict[str, object]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = json.loads(await reader.readline())
        requests.append(request)
        writer.write(json.dumps({"price": "1.25"}).encode() + b"\n")
        await writer.drain()
        writer.close()

    async def main() -> Optional[float]:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            session = mocking_client.Session("127.0.0.1", port)
            price = await mocking_client.fetch_price(session, "apple")
            await session.post("/orders", {"item": "apple"})
            return price
        finally:
            server.close()
            await server.wait_closed()

    assert asyncio.run(main()) == 1.25
    assert requests == [
        {"method": "GET", "path": "/prices/apple", "data": None},
        {"method": "POST", "path": "/orders", "data": {"item": "apple"}},
    ]


# Chapter 3: Controlling time -------------------------------------------------

CLOCK = EXAMPLES / "clock"


def test_the_heartbeat_examples_pass_but_the_manual_clock_wait() -> None:
    done = run_asynctest("-v", "test_heartbeat", cwd=CLOCK)
    assert done.returncode == 1, done.stderr
    text = normalise(done.stderr)
    assert "Ran 5 tests" in text and "FAILED (failures=1)" in text
    assert text.count(" ... ok\n") == 4
    assert ("test_waits_for_the_first_ping (test_heartbeat.TestWaitingOnAManualClock."
            "test_waits_for_the_first_ping) ... FAIL") in text


def test_the_manual_clock_wait_times_out_with_the_report_the_page_shows() -> None:
    done = run_asynctest("test_heartbeat.TestWaitingOnAManualClock", cwd=CLOCK)
    assert done.returncode == 1, done.stderr
    check_output("clock/output/manual_clock_timeout.txt", normalise(done.stderr))


def test_autojump_on_the_command_line_makes_every_heartbeat_example_pass() -> None:
    done = run_asynctest("--autojump", "0", "-v", "test_heartbeat", cwd=CLOCK)
    assert done.returncode == 0, done.stderr
    assert "Ran 5 tests" in done.stderr
    assert done.stderr.rstrip().endswith("OK")


# The pages -------------------------------------------------------------------


@pytest.mark.parametrize("page", sorted(INCLUDED))
def test_each_chapter_includes_only_the_files_these_tests_run(page: str) -> None:
    text = (EXAMPLES.parent / page).read_text()
    included = set(re.findall(r"^```\{literalinclude\} \.\./\.\./examples/(\S+)$", text, re.M))
    assert included == INCLUDED[page]
    for relative in included:
        assert (EXAMPLES / relative).is_file(), relative
