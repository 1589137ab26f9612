"""Asyncio's process-wide state is left as found, even once a child watcher exists.

A child watcher lives on the event loop policy: ``asyncio.get_child_watcher()``
(3.9-3.11) or any subprocess a test starts (3.9-3.13, made internally) creates
one, and from then on asyncio's ``set_event_loop()`` is the only way to attach
it to a loop. Each scenario runs in a fresh interpreter: a watcher, once made,
stays on the policy for the rest of the process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from _support import clean_environment

pytestmark = [
    pytest.mark.skipif(
        sys.platform == "win32", reason="Windows' policies have no child watcher"
    ),
    pytest.mark.skipif(
        sys.version_info >= (3, 14), reason="3.14 removed child watchers and the flag"
    ),
]

HARD_TIMEOUT_SECONDS = 120

SCRIPT = textwrap.dedent("""
    import asyncio, sys, unittest, warnings
    import asynctest
    from asynctest import _compat

    # get_child_watcher() (3.12+) and get_event_loop() with no loop (3.12+) warn.
    warnings.simplefilter("ignore", DeprecationWarning)

    class Case(asynctest.TestCase):
        async def test_subprocess(self):
            proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
            await proc.wait()

        async def test_plain(self):
            pass

    {setup}
    before = _compat.read_global_state()[1:]  # (current loop, set_event_loop() called)
    if before == (None, None):
        before = (None, False)  # no policy yet: asyncio's default one may be left, as made
    for name in ("test_subprocess", "test_plain", "test_subprocess"):
        result = unittest.TestResult()
        Case(name).run(result)
        assert result.wasSuccessful(), result.errors + result.failures
        after = _compat.read_global_state()[1:]
        assert after == before, (name, before, after)
    try:
        found = asyncio.get_event_loop()
    except RuntimeError as exc:
        print("get_event_loop: RuntimeError:", exc)
    else:
        print("get_event_loop:", "the loop set before" if found is LOOP else "a new loop")
""")


def run_scenario(setup: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(setup=setup)],
        capture_output=True, text=True, timeout=HARD_TIMEOUT_SECONDS,
        env=clean_environment(),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout.strip()


def test_get_event_loop_still_makes_a_loop_after_a_subprocess_test() -> None:
    # Nothing set a loop before: get_event_loop() makes one, before and after.
    assert run_scenario("LOOP = None") == "get_event_loop: a new loop"


def test_a_child_watcher_made_before_the_tests_does_not_change_that() -> None:
    setup = "LOOP = None\nasyncio.get_child_watcher()"
    assert run_scenario(setup) == "get_event_loop: a new loop"


def test_a_loop_set_as_current_before_is_current_again_after() -> None:
    setup = "LOOP = asyncio.new_event_loop()\nasyncio.set_event_loop(LOOP)"
    assert run_scenario(setup) == "get_event_loop: the loop set before"


def test_set_event_loop_none_before_still_raises_after() -> None:
    setup = "LOOP = None\nasyncio.set_event_loop(None)"
    assert run_scenario(setup).startswith("get_event_loop: RuntimeError: There is no current")

