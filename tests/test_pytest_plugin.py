"""The pytest plugin, through real pytest sessions run in subprocesses.

Each test writes a small project (a pytest.ini and test modules) into a
temporary directory and runs pytest on it with a hard timeout; the inner tests
assert what they can see from inside (the loop, the context, the clock), the
outer ones assert the outcomes and what pytest printed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import NamedTuple, Optional

import pytest
from _support import clean_environment

TIMEOUT = 90
INI = """\
[pytest]
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""


class Run(NamedTuple):
    returncode: int
    output: str
    outcomes: dict[str, set[str]]  # test name -> {"PASSED", "FAILED", "ERROR", ...}

    def outcome(self, name: str) -> set[str]:
        return self.outcomes.get(name, set())


def run_pytest(
    tmp_path: Path,
    files: dict[str, str],
    *args: str,
    ini: str = "",
    env: Optional[dict[str, str]] = None,
) -> Run:
    """Run pytest on ``files`` (name -> source) in ``tmp_path``; outcomes by test name."""
    (tmp_path / "pytest.ini").write_text(INI + textwrap.dedent(ini))
    for name, source in files.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=_environment(env or {}),
    )
    output = done.stdout + done.stderr
    outcomes: dict[str, set[str]] = {}
    for kind, nodeid in re.findall(
        r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+)", done.stdout, re.MULTILINE
    ):
        outcomes.setdefault(nodeid.split("::", 1)[-1], set()).add(kind)
    return Run(done.returncode, output, outcomes)


def _environment(extra: dict[str, str]) -> dict[str, str]:
    env = clean_environment(**extra)
    # Byte-code caches make each of these short pytest runs start faster.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# -- what runs, and how ---------------------------------------------------------------

AUTO_SUITE = """\
import asyncio
import contextvars

import pytest

import asynctest

request_id = contextvars.ContextVar("request_id", default=None)
EVENTS = []
SEEN = {}
POLICY = asyncio.get_event_loop_policy()


@pytest.fixture
async def plain():
    request_id.set("set by a fixture")
    EVENTS.append(("plain", asyncio.get_running_loop()))
    return 42


@pytest.fixture
async def resource(plain):
    loop = asyncio.get_running_loop()
    EVENTS.append(("resource set up", loop))
    yield "resource"
    # Torn down on the test's loop, still open, in the test's context.
    assert asyncio.get_running_loop() is loop and not loop.is_closed()
    assert request_id.get() == "set by the test"
    EVENTS.append(("resource torn down", loop))


async def test_fixtures_run_on_the_test_loop_in_its_context(plain, resource, asynctest_loop):
    loop = asyncio.get_running_loop()
    assert loop is asynctest_loop
    assert plain == 42 and resource == "resource"
    assert request_id.get() == "set by a fixture"
    request_id.set("set by the test")
    assert [what for what, _ in EVENTS] == ["plain", "resource set up"]
    assert all(seen is loop for _, seen in EVENTS)
    SEEN["loop"] = loop
    SEEN["task"] = asyncio.ensure_future(asyncio.sleep(3600))


def test_then_everything_was_torn_down():
    assert [what for what, _ in EVENTS][-1] == "resource torn down"
    assert SEEN["task"].cancelled()  # leftover task cancelled
    assert SEEN["loop"].is_closed()  # the loop closed
    assert asyncio.get_event_loop_policy() is POLICY
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()  # a sync test is left alone


async def test_a_new_loop_for_every_test():
    assert asyncio.get_running_loop() is not SEEN["loop"]


@pytest.mark.parametrize("n", [1, 2, 3])
async def test_parametrized(n):
    await asyncio.sleep(0)
    assert n in (1, 2, 3)


class TestPlainClass:
    @pytest.fixture
    async def bound(self):
        self.marker = "fixture ran on this instance"
        return asyncio.get_running_loop()

    async def test_method(self, bound):
        assert self.marker == "fixture ran on this instance"
        assert bound is asyncio.get_running_loop()


async def test_virtual_clock(asynctest_clock):
    loop = asyncio.get_running_loop()
    assert loop.time() == 0
    fired = []
    loop.call_later(10, fired.append, "timer")
    sleeper = asyncio.ensure_future(asyncio.sleep(3600))
    await asynctest_clock.advance(10)
    assert fired == ["timer"] and loop.time() == 10 == asynctest_clock.time()
    await asynctest_clock.advance(3590)
    assert sleeper.done()
    with pytest.raises(ValueError):
        await asynctest_clock.advance(-1)


def test_sync_fixture_reaches_the_loop(asynctest_loop):
    assert not asynctest_loop.is_running()
    assert asyncio.get_event_loop() is asynctest_loop


class TestCaseStillRunsItself(asynctest.TestCase):
    async def setUp(self):
        self.value = await asyncio.sleep(0, result=7)

    async def test_on_its_loop(self):
        assert self.value == 7
        assert asyncio.get_running_loop() is self.loop
"""


def test_auto_mode_runs_tests_and_fixtures_on_a_new_loop_per_test(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, {"test_auto.py": AUTO_SUITE},
                     ini="asynctest_mode = auto\n")
    assert run.returncode == 0, run.output
    assert len(run.outcomes) == 10, run.outcomes
    assert all(kinds == {"PASSED"} for kinds in run.outcomes.values()), run.output


def test_the_same_suite_runs_under_xdist(tmp_path: Path) -> None:
    source = AUTO_SUITE.replace("def test_then_everything", "def _no_order_under_xdist")
    source = source.replace('is not SEEN["loop"]', 'is not SEEN.get("loop")')
    run = run_pytest(tmp_path, {"test_auto.py": source}, "-n", "2",
                     ini="asynctest_mode = auto\n")
    assert run.returncode == 0, run.output
    assert "2 workers" in run.output
    assert len(run.outcomes) == 9 and all(k == {"PASSED"} for k in run.outcomes.values()), (
        run.output
    )


MARKED = """\
import asyncio
import pytest


@pytest.fixture
async def value():
    await asyncio.sleep(0)
    return asyncio.get_running_loop()


@pytest.mark.asynctest
async def test_marked(value, asynctest_loop):
    assert value is asynctest_loop is asyncio.get_running_loop()


@pytest.mark.asynctest
class TestMarkedClass:
    async def test_method(self, value):
        assert value is asyncio.get_running_loop()


def test_plugin_is_loaded_and_running(request):
    manager = request.config.pluginmanager
    assert manager.has_plugin("asynctest")
    assert manager.get_plugin("asynctest-runner") is not None
"""
MARKED_MODULE = """\
import asyncio
import pytest

pytestmark = pytest.mark.asynctest


async def test_by_module_mark():
    await asyncio.sleep(0)
"""
UNMARKED = """\
import asyncio


async def test_not_claimed():
    await asyncio.sleep(0)
"""


def test_strict_mode_runs_only_marked_tests(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, {"test_marked.py": MARKED, "test_module.py": MARKED_MODULE,
                                "test_unmarked.py": UNMARKED},
                     "-W", "ignore::pytest.PytestWarning")
    for name in ("test_marked", "TestMarkedClass::test_method",
                 "test_plugin_is_loaded_and_running", "test_by_module_mark"):
        assert run.outcome(name) == {"PASSED"}, run.output
    # pytest itself handles the unmarked one: it does not run it (skipped or failed).
    assert run.outcome("test_not_claimed") & {"SKIPPED", "FAILED"}, run.output
    assert "not natively supported" in run.output


def test_without_opt_in_the_plugin_runs_nothing(tmp_path: Path) -> None:
    source = """\
    def test_nothing_registered(request):
        manager = request.config.pluginmanager
        assert manager.has_plugin("asynctest")
        assert manager.get_plugin("asynctest-runner") is None
    """
    run = run_pytest(tmp_path, {"test_plain.py": source})
    assert run.returncode == 0, run.output


def test_coexists_with_pytest_asyncio_in_strict_mode(tmp_path: Path) -> None:
    source = """\
    import asyncio
    import pytest
    import pytest_asyncio

    LOOPS = {}


    @pytest_asyncio.fixture
    async def theirs():
        return asyncio.get_running_loop()


    @pytest.fixture
    async def ours():
        return asyncio.get_running_loop()


    @pytest.mark.asyncio
    async def test_pytest_asyncio_runs_its_own(theirs):
        assert theirs is asyncio.get_running_loop()
        LOOPS["asyncio"] = theirs


    async def test_asynctest_runs_the_others(ours, asynctest_loop):
        assert ours is asynctest_loop is asyncio.get_running_loop()
        LOOPS["asynctest"] = ours


    def test_each_on_its_own_loop():
        assert LOOPS["asyncio"] is not LOOPS["asynctest"]
    """
    run = run_pytest(tmp_path, {"test_both.py": source},
                     ini="asynctest_mode = auto\nasyncio_mode = strict\n")
    assert run.returncode == 0, run.output
    assert len(run.outcomes) == 3, run.output


def test_asynctest_testcase_runs_without_the_plugin(tmp_path: Path) -> None:
    source = """\
    import asyncio
    import asynctest


    class Test(asynctest.TestCase):
        async def test_on_its_loop(self):
            assert asyncio.get_running_loop() is self.loop

        @asynctest.fail_on(pending_tasks=True)
        async def test_leaves_a_task(self):
            asyncio.ensure_future(asyncio.sleep(3600))
    """
    run = run_pytest(tmp_path, {"test_case.py": source}, "-p", "no:asynctest")
    assert run.outcome("Test::test_on_its_loop") == {"PASSED"}, run.output
    assert "FAILED" in run.outcome("Test::test_leaves_a_task"), run.output
    assert "test_leaves_a_task left 1 task pending" in run.output


# -- failures read as under unittest ---------------------------------------------------

FAILURES = """\
import asyncio
import pytest


async def test_sleeps_too_long():
    await asyncio.sleep(10)


async def test_waits_forever():
    await asyncio.Future()


@pytest.fixture
async def slow():
    await asyncio.sleep(10)


async def test_slow_fixture(slow):
    pass


@pytest.mark.asynctest(fail_on={"pending_tasks": True})
async def test_leaves_a_task():
    asyncio.ensure_future(asyncio.sleep(3600))


@pytest.fixture
async def broken():
    yield 1
    raise ValueError("teardown went wrong")


async def test_broken_teardown(broken):
    pass
"""


def _section(output: str, name: str) -> str:
    match = re.search(rf"^_+ (?:ERROR at \w+ of )?{name} _+$(.*?)(?=^_{{3,}} |^=+ )", output,
                      re.MULTILINE | re.DOTALL)
    assert match, output
    return match.group(1)


def test_timeouts_deadlocks_and_checks_are_readable_failures(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, {"test_failures.py": FAILURES},
                     ini="asynctest_mode = auto\nasynctest_timeout = 0.3\n")
    assert run.returncode == 1, run.output
    assert run.outcome("test_sleeps_too_long") == {"FAILED"}, run.output
    timeout = _section(run.output, "test_sleeps_too_long")
    assert "test_sleeps_too_long timed out after 0.3 s in the test" in timeout
    assert "test_failures.py:6 in test_sleeps_too_long: `await asyncio.sleep(10)`" in timeout

    assert run.outcome("test_waits_forever") == {"FAILED"}, run.output
    deadlock = _section(run.output, "test_waits_forever")
    assert "deadlock: test_waits_forever waits forever in the test" in deadlock
    assert "test_failures.py:10 in test_waits_forever: `await asyncio.Future()`" in deadlock

    assert run.outcome("test_slow_fixture") == {"ERROR"}, run.output
    assert "test_slow_fixture timed out after 0.3 s in the fixture 'slow'" in run.output

    assert run.outcome("test_leaves_a_task") == {"PASSED", "ERROR"}, run.output
    leak = _section(run.output, "test_leaves_a_task")
    assert "test_leaves_a_task left 1 task pending" in leak

    teardown = _section(run.output, "test_broken_teardown")
    assert 'raise ValueError("teardown went wrong")' in teardown

    # The reports, not the engine's frames.
    for section in (timeout, deadlock, leak, teardown):
        assert "_engine" not in section and "pytest_plugin.py" not in section, section
        assert len(section.strip().splitlines()) < 20, section


# -- options and their precedence ---------------------------------------------------------

SLOW = """\
import asyncio
import pytest
import asynctest


async def test_default():
    await asyncio.sleep(0.5)


@asynctest.timeout(5)
async def test_decorator_wins():
    await asyncio.sleep(0.5)


@pytest.mark.asynctest(timeout=5)
async def test_marker_wins():
    await asyncio.sleep(0.5)
"""


@pytest.mark.parametrize(("ini", "args", "env", "default_passes"), [
    ("asynctest_timeout = 0.2\n", (), {}, False),
    ("asynctest_timeout = 0.2\n", ("--asynctest-timeout", "5"), {}, True),
    ("asynctest_timeout = 5\n", (), {"ASYNCTEST_TIMEOUT": "0.2"}, True),
    ("", (), {"ASYNCTEST_TIMEOUT": "0.2"}, False),
], ids=["ini", "command-line-over-ini", "ini-over-environment", "environment"])
def test_timeout_precedence(tmp_path: Path, ini: str, args: tuple[str, ...],
                            env: dict[str, str], default_passes: bool) -> None:
    run = run_pytest(tmp_path, {"test_slow.py": SLOW}, *args, env=env,
                     ini="asynctest_mode = auto\n" + ini)
    assert run.outcome("test_default") == ({"PASSED"} if default_passes else {"FAILED"}), (
        run.output
    )
    assert run.outcome("test_marker_wins") == {"PASSED"}, run.output
    assert run.outcome("test_decorator_wins") == {"PASSED"}, run.output


LEAKY = """\
import asyncio
import pytest
import asynctest


async def test_leaks():
    asyncio.ensure_future(asyncio.sleep(3600))


@pytest.mark.asynctest(lenient=True)
async def test_leaks_leniently():
    asyncio.ensure_future(asyncio.sleep(3600))


@pytest.mark.asynctest(fail_on={"pending_tasks": True})
async def test_leaks_under_fail_on():
    asyncio.ensure_future(asyncio.sleep(3600))


@asynctest.fail_on(pending_tasks=True)
async def test_leaks_under_the_decorator():
    asyncio.ensure_future(asyncio.sleep(3600))
"""


@pytest.mark.parametrize(("ini", "args", "env", "strict"), [
    ("", ("--asynctest-strict",), {}, True),
    ("asynctest_strict = 1\n", (), {}, True),
    ("", (), {"ASYNCTEST_STRICT": "1"}, True),
    ("asynctest_strict = 0\n", (), {"ASYNCTEST_STRICT": "1"}, False),
], ids=["command-line", "ini", "environment", "ini-over-environment"])
def test_strictness_precedence(tmp_path: Path, ini: str, args: tuple[str, ...],
                               env: dict[str, str], strict: bool) -> None:
    run = run_pytest(tmp_path, {"test_leaky.py": LEAKY}, *args, env=env,
                     ini="asynctest_mode = auto\n" + ini)
    assert ("ERROR" in run.outcome("test_leaks")) is strict, run.output
    assert run.outcome("test_leaks_leniently") == {"PASSED"}, run.output
    assert "ERROR" in run.outcome("test_leaks_under_fail_on"), run.output
    assert "ERROR" in run.outcome("test_leaks_under_the_decorator"), run.output


def test_loop_and_debug_options(tmp_path: Path) -> None:
    loops = """\
    import asyncio


    class RunLoop(asyncio.SelectorEventLoop):
        pass


    class MarkerLoop(asyncio.SelectorEventLoop):
        pass
    """
    source = """\
    import asyncio
    import pytest
    from loops import MarkerLoop


    async def test_run_wide_loop():
        assert type(asyncio.get_running_loop()).__name__ == "RunLoop"
        assert not asyncio.get_running_loop().get_debug()


    @pytest.mark.asynctest(loop_factory=MarkerLoop, debug=True)
    async def test_marker_loop():
        assert type(asyncio.get_running_loop()) is MarkerLoop
        assert asyncio.get_running_loop().get_debug()
    """
    files = {"loops.py": loops, "test_loops.py": source}
    run = run_pytest(tmp_path, files, "--asynctest-loop", "loops:RunLoop",
                     ini="asynctest_mode = auto\nasynctest_loop = asyncio\n")
    assert run.returncode == 0, run.output
    run = run_pytest(tmp_path, files, ini="asynctest_mode = auto\nasynctest_loop = loops:RunLoop\n")
    assert run.returncode == 0, run.output


# -- the clock that runs itself ----------------------------------------------------------

AUTOJUMP = """\
import asyncio
import time

import pytest


@pytest.mark.asynctest(autojump_threshold=0)
async def test_a_day_passes_at_once_without_the_fixture():
    started = time.monotonic()
    await asyncio.sleep(86400)
    assert asyncio.get_running_loop().time() == 86400
    assert time.monotonic() - started < 5


@pytest.mark.asynctest(autojump_threshold=0)
async def test_the_fixture_sees_the_threshold(asynctest_clock):
    assert asynctest_clock.autojump_threshold == 0
    await asyncio.wait_for(asyncio.sleep(10), 3600)
    assert asynctest_clock.time() == 10


@pytest.mark.asynctest
async def test_the_threshold_set_through_the_fixture(asynctest_clock):
    assert asynctest_clock.autojump_threshold is None
    asynctest_clock.autojump_threshold = 0
    await asyncio.sleep(3600)
    assert asynctest_clock.time() == 3600
    with pytest.raises(ValueError, match="autojump_threshold = -1"):
        asynctest_clock.autojump_threshold = -1


@pytest.mark.asynctest(autojump_threshold=0, timeout=5)
async def test_a_wait_with_no_timer_is_a_deadlock():
    await asyncio.Event().wait()
"""


def test_autojump_threshold_in_the_marker_and_the_clock_fixture(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, {"test_jump.py": AUTOJUMP})
    for name in ("test_a_day_passes_at_once_without_the_fixture",
                 "test_the_fixture_sees_the_threshold",
                 "test_the_threshold_set_through_the_fixture"):
        assert run.outcome(name) == {"PASSED"}, run.output
    assert run.outcome("test_a_wait_with_no_timer_is_a_deadlock") == {"FAILED"}, run.output
    assert "deadlock: test_a_wait_with_no_timer_is_a_deadlock waits forever" in run.output


# -- bad input ----------------------------------------------------------------------

MARKED_WITH = """\
import pytest


@pytest.mark.asynctest{arguments}
async def test_x():
    pass
"""


@pytest.mark.parametrize(("arguments", "ini", "args", "env", "expected"), [
    ("(timeot=3)", "", (), {},
     "@pytest.mark.asynctest(timeot=3): unknown argument 'timeot'; accepted: timeout="),
    ("(3)", "", (), {}, "the marker takes keyword arguments only"),
    ("(timeout=-1)", "", (), {}, "timeout=-1"),
    ("(fail_on={'pending': True})", "", (), {}, "unknown check 'pending'; known checks are"),
    ("(strict=False)", "", (), {}, "strict=False): the only accepted value is True"),
    ("(autojump_threshold=-1)", "", (), {}, "autojump_threshold=-1"),
    ("", "asynctest_mode = sometimes\n", (), {},
     "asynctest_mode = 'sometimes' is not a mode of asynctest; use 'strict'"),
    ("", "asynctest_timeout = soon\n", (), {},
     "asynctest_timeout='soon' is not a number of seconds"),
    ("", "", ("--asynctest-timeout", "x"), {}, "--asynctest-timeout='x' is not a number"),
    ("", "", ("--asynctest-loop", "tokio"), {},
     "--asynctest-loop 'tokio': unknown loop; use 'asyncio', 'uvloop' or 'MODULE:CALLABLE'"),
    ("", "", (), {"ASYNCTEST_TIMEOUT": "x"}, "ASYNCTEST_TIMEOUT='x' is not a number"),
    ("", "asynctest_mode = auto\nasyncio_mode = auto\n", (), {},
     "asynctest_mode = auto and pytest-asyncio's asyncio_mode = auto both claim"),
], ids=["unknown-argument", "positional", "negative-timeout", "unknown-check", "strict-false",
        "negative-threshold",
        "mode", "ini-timeout", "cli-timeout", "cli-loop", "environment", "two-auto-modes"])
def test_bad_input_is_a_usage_error_naming_it(
    tmp_path: Path, arguments: str, ini: str, args: tuple[str, ...], env: dict[str, str],
    expected: str,
) -> None:
    run = run_pytest(tmp_path, {"test_x.py": MARKED_WITH.format(arguments=arguments)}, *args,
                     env=env, ini=ini)
    assert run.returncode == 4, run.output  # pytest's USAGE_ERROR
    assert expected in run.output, run.output
    assert "Traceback" not in run.output, run.output


def test_misused_fixtures_get_clear_errors(tmp_path: Path) -> None:
    source = """\
    import asyncio
    import pytest


    @pytest.fixture(scope="module")
    async def shared():
        return 1


    async def test_module_scoped(shared):
        pass


    @pytest.fixture
    async def later():
        return 1


    async def test_requested_inside(request):
        request.getfixturevalue("later")


    async def test_clock_too_late(request):
        request.getfixturevalue("asynctest_clock")
    """
    run = run_pytest(tmp_path, {"test_misuse.py": source}, ini="asynctest_mode = auto\n")
    assert run.outcome("test_module_scoped") == {"ERROR"}, run.output
    assert ("the async fixture 'shared' (" in run.output
            and "has scope 'module'; asynctest runs async fixtures of function scope only"
            in run.output), run.output
    assert run.outcome("test_requested_inside") == {"FAILED"}, run.output
    assert "the async fixture 'later' was requested while the test's loop runs" in run.output
    assert run.outcome("test_clock_too_late") == {"FAILED"}, run.output
    assert "asynctest_clock was requested after the test's loop started" in run.output


def test_two_plugins_on_one_test_is_a_usage_error(tmp_path: Path) -> None:
    source = """\
    import pytest


    @pytest.mark.asyncio
    @pytest.mark.asynctest
    async def test_x():
        pass
    """
    run = run_pytest(tmp_path, {"test_x.py": source})
    assert run.returncode == 4, run.output
    assert "test_x.py::test_x is marked both @pytest.mark.asynctest and by asyncio" in run.output


def test_tutorial_examples_run_under_pytest_as_under_unittest(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "tutorial" / "test_cases.py"
    run = run_pytest(tmp_path, {"test_tutorial.py": examples.read_text()},
                     ini="asynctest_mode = auto\n")
    failed = {name for name, kinds in run.outcomes.items() if kinds & {"FAILED", "ERROR"}}
    assert failed == {"AnExempleWhichDetectsPendingCallbacks::test_missing_a_callback"}, (
        run.output
    )
    assert len(run.outcomes) >= 8, run.output


def test_coexists_with_anyio(tmp_path: Path) -> None:
    source = """\
    import asyncio
    import anyio
    import pytest

    LOOPS = {}


    @pytest.fixture
    def anyio_backend():
        return "asyncio"


    @pytest.fixture
    async def theirs(anyio_backend):
        yield asyncio.get_running_loop()


    @pytest.mark.anyio
    async def test_anyio_runs_its_own(theirs):
        assert anyio.get_current_task() is not None
        assert theirs is asyncio.get_running_loop()
        LOOPS["anyio"] = theirs


    @pytest.fixture
    async def ours():
        return asyncio.get_running_loop()


    async def test_asynctest_runs_the_others(ours, asynctest_loop):
        assert ours is asynctest_loop is asyncio.get_running_loop()
        LOOPS["asynctest"] = ours


    def test_each_on_its_own_loop():
        assert LOOPS["anyio"] is not LOOPS["asynctest"]
    """
    run = run_pytest(tmp_path, {"test_both.py": source}, ini="asynctest_mode = auto\n")
    assert run.returncode == 0, run.output
    assert len(run.outcomes) == 3, run.output
