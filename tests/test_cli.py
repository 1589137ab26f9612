"""``python -m asynctest``, run in a subprocess (with a timeout) on small test modules."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _support import clean_environment

TIMEOUT_SECONDS = 120
SELECTOR_LOOP = f"{asyncio.SelectorEventLoop.__module__}.{asyncio.SelectorEventLoop.__qualname__}"

PROBE = '''
import asynctest


class Probe(asynctest.TestCase):
    async def test_probe(self):
        loop = self.loop
        kind = f"{type(loop).__module__}.{type(loop).__qualname__}"
        print(f"LOOP={kind} DEBUG={loop.get_debug()}", flush=True)
'''

PINNED = '''
import asyncio

import asynctest


class Pinned(asynctest.TestCase):
    loop_factory = asyncio.SelectorEventLoop
    debug = False

    async def test_pinned(self):
        loop = self.loop
        kind = f"{type(loop).__module__}.{type(loop).__qualname__}"
        print(f"LOOP={kind} DEBUG={loop.get_debug()}", flush=True)
'''

LEAKY = '''
import asynctest


def i_must_run(*args):
    pass


class Leaky(asynctest.TestCase):
    async def test_leaky(self):
        self.loop.call_later(3600, i_must_run, 1, "x")
'''

PASSING_AND_FAILING = '''
import asynctest


class Mixed(asynctest.TestCase):
    async def test_passes(self):
        self.assertTrue(True)

    async def test_fails(self):
        self.assertEqual(1, 2)
'''

CUSTOM_LOOP = '''
import asyncio


class MyLoop(asyncio.SelectorEventLoop):
    pass


def factory():
    return MyLoop()


not_callable = 42
'''


def run(args, cwd: Path, module: str = "asynctest", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )


def probed(process: subprocess.CompletedProcess) -> str:
    """The LOOP=... DEBUG=... line printed by the probe test."""
    lines = [line for line in process.stdout.splitlines() if line.startswith("LOOP=")]
    assert len(lines) == 1, process.stdout + process.stderr
    return lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A directory with test modules and a package offering a custom loop factory."""
    (tmp_path / "test_probe.py").write_text(PROBE)
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text("")
    (tmp_path / "mypkg" / "mod.py").write_text(CUSTOM_LOOP)
    return tmp_path


def add_module(project: Path, name: str, source: str) -> None:
    (project / f"{name}.py").write_text(textwrap.dedent(source))


# -- running tests like python -m unittest --------------------------------------------


def test_runs_the_named_module_and_exits_0_when_its_tests_pass(project):
    process = run(["test_probe"], project)
    assert process.returncode == 0, process.stderr
    assert "Ran 1 test" in process.stderr
    assert "OK" in process.stderr


def test_exits_1_and_reports_the_failure_when_a_test_fails(project):
    add_module(project, "test_mixed", PASSING_AND_FAILING)
    process = run(["test_mixed"], project)
    assert process.returncode == 1
    assert "Ran 2 tests" in process.stderr
    assert "FAIL: test_fails" in process.stderr
    assert "FAILED (failures=1)" in process.stderr


def test_runs_a_single_test_by_dotted_name(project):
    add_module(project, "test_mixed", PASSING_AND_FAILING)
    process = run(["test_mixed.Mixed.test_passes"], project)
    assert process.returncode == 0, process.stderr
    assert "Ran 1 test" in process.stderr


def test_discovers_tests_with_discover_s_dir(project):
    suite = project / "suite"
    suite.mkdir()
    (suite / "test_one.py").write_text(PROBE)
    (suite / "test_two.py").write_text(PASSING_AND_FAILING)
    process = run(["discover", "-s", "suite"], project)
    assert process.returncode == 1
    assert "Ran 3 tests" in process.stderr


def test_discovers_tests_when_given_no_arguments(project):
    process = run([], project)
    assert process.returncode == 0, process.stderr
    assert "Ran 1 test" in process.stderr


def test_verbose_lists_each_test(project):
    add_module(project, "test_mixed", PASSING_AND_FAILING)
    process = run(["-v", "test_mixed"], project)
    assert "test_passes (test_mixed.Mixed" in process.stderr
    assert "... ok" in process.stderr
    assert "... FAIL" in process.stderr


def test_help_shows_asynctest_options_and_unittest_options(project):
    process = run(["--help"], project)
    assert process.returncode == 0, process.stderr
    for option in ("--strict", "--loop", "--debug", "MODULE:CALLABLE"):
        assert option in process.stdout
    for option in ("-v", "--verbose", "-k", "discover"):  # unittest's own help
        assert option in process.stdout


# -- --strict ------------------------------------------------------------------------------


def test_a_leaking_test_passes_without_strict(project):
    add_module(project, "test_leaky", LEAKY)
    process = run(["test_leaky"], project)
    assert process.returncode == 0, process.stderr


def test_strict_makes_a_leaking_test_fail(project):
    add_module(project, "test_leaky", LEAKY)
    process = run(["--strict", "test_leaky"], project)
    assert process.returncode == 1
    assert "Loop contained unfinished work" in process.stderr
    assert "i_must_run(1, 'x')" in process.stderr
    assert "FAILED (failures=1)" in process.stderr


def test_asynctest_strict_variable_makes_a_leaking_test_fail(project):
    add_module(project, "test_leaky", LEAKY)
    process = run(["test_leaky"], project, ASYNCTEST_STRICT="1")
    assert process.returncode == 1
    assert "Loop contained unfinished work" in process.stderr


def test_asynctest_strict_variable_works_under_plain_unittest(project):
    add_module(project, "test_leaky", LEAKY)
    process = run(["test_leaky"], project, module="unittest", ASYNCTEST_STRICT="1")
    assert process.returncode == 1
    assert "Loop contained unfinished work" in process.stderr


# -- --loop ------------------------------------------------------------------------------


def test_loop_uvloop_makes_self_loop_a_uvloop_loop(project):
    process = run(["--loop", "uvloop", "test_probe"], project)
    assert process.returncode == 0, process.stderr
    assert probed(process).startswith("LOOP=uvloop.Loop ")


def test_loop_asyncio_makes_self_loop_an_asyncio_loop(project):
    process = run(["--loop", "asyncio", "test_probe"], project)
    assert process.returncode == 0, process.stderr
    assert probed(process).startswith("LOOP=asyncio.")


def test_the_default_loop_is_an_asyncio_loop(project):
    process = run(["test_probe"], project)
    assert probed(process).startswith("LOOP=asyncio.")


def test_loop_module_callable_uses_that_factory(project):
    process = run(["--loop", "mypkg.mod:factory", "test_probe"], project)
    assert process.returncode == 0, process.stderr
    assert probed(process).startswith("LOOP=mypkg.mod.MyLoop ")


def test_loop_with_an_equals_sign(project):
    process = run(["--loop=uvloop", "test_probe"], project)
    assert process.returncode == 0, process.stderr
    assert probed(process).startswith("LOOP=uvloop.Loop ")


@pytest.mark.parametrize(
    "spec", ["nonsense", "nomodule:x", "mypkg.mod:missing", "mypkg.mod:not_callable"]
)
def test_a_bad_loop_exits_2_naming_the_value_and_what_is_accepted(project, spec):
    process = run(["--loop", spec, "test_probe"], project)
    assert process.returncode == 2
    assert repr(spec) in process.stderr
    for accepted in ("asyncio", "uvloop", "MODULE:CALLABLE"):
        assert accepted in process.stderr
    assert "Ran " not in process.stderr  # no test ran


def test_loop_without_a_value_exits_2(project):
    process = run(["--loop"], project)
    assert process.returncode == 2
    assert "--loop" in process.stderr and "MODULE:CALLABLE" in process.stderr


def test_loop_uvloop_without_uvloop_says_how_to_install_it(project, tmp_path_factory):
    broken = tmp_path_factory.mktemp("no_uvloop")
    (broken / "uvloop.py").write_text("raise ImportError('uvloop is not installed here')\n")
    process = run(["--loop", "uvloop", "test_probe"], project, PYTHONPATH=str(broken))
    assert process.returncode == 2
    assert "pip install asynctest-ng[uvloop]" in process.stderr


def test_asynctest_loop_variable_makes_self_loop_a_uvloop_loop(project):
    process = run(["test_probe"], project, ASYNCTEST_LOOP="uvloop")
    assert process.returncode == 0, process.stderr
    assert probed(process).startswith("LOOP=uvloop.Loop ")


def test_asynctest_loop_variable_works_under_plain_unittest(project):
    process = run(["test_probe"], project, module="unittest", ASYNCTEST_LOOP="uvloop")
    assert process.returncode == 0, process.stderr
    assert probed(process).startswith("LOOP=uvloop.Loop ")


def test_the_command_line_wins_over_asynctest_loop(project):
    process = run(["--loop", "asyncio", "test_probe"], project, ASYNCTEST_LOOP="uvloop")
    assert process.returncode == 0, process.stderr
    assert probed(process).startswith("LOOP=asyncio.")


# -- --debug -------------------------------------------------------------------------------


def test_without_debug_the_loop_is_not_in_debug_mode(project):
    process = run(["test_probe"], project)
    assert probed(process).endswith("DEBUG=False")


def test_debug_runs_the_loops_in_debug_mode(project):
    process = run(["--debug", "test_probe"], project)
    assert process.returncode == 0, process.stderr
    assert probed(process).endswith("DEBUG=True")


def test_asynctest_debug_variable_runs_the_loops_in_debug_mode(project):
    process = run(["test_probe"], project, ASYNCTEST_DEBUG="1")
    assert process.returncode == 0, process.stderr
    assert probed(process).endswith("DEBUG=True")


# -- bad environment -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, value",
    [("ASYNCTEST_STRICT", "maybe"), ("ASYNCTEST_DEBUG", "maybe"), ("ASYNCTEST_LOOP", "nonsense")],
)
def test_a_bad_variable_exits_2_naming_it(project, name, value):
    process = run(["test_probe"], project, **{name: value})
    assert process.returncode == 2
    assert name in process.stderr
    assert repr(value) in process.stderr


# -- class attributes win ----------------------------------------------------------------


def test_class_attributes_win_over_the_command_line(project):
    add_module(project, "test_pinned", PINNED)
    process = run(["--loop", "uvloop", "--debug", "test_pinned"], project)
    assert process.returncode == 0, process.stderr
    assert probed(process) == f"LOOP={SELECTOR_LOOP} DEBUG=False"


def test_class_attributes_win_over_the_environment(project):
    add_module(project, "test_pinned", PINNED)
    process = run(["test_pinned"], project, ASYNCTEST_LOOP="uvloop", ASYNCTEST_DEBUG="1")
    assert process.returncode == 0, process.stderr
    assert probed(process) == f"LOOP={SELECTOR_LOOP} DEBUG=False"


# -- usage errors list asynctest's own options -------------------------------------------

OWN_OPTIONS = (
    "[--strict] [--timeout SECONDS] [--loop asyncio|uvloop|MODULE:CALLABLE] [--debug] "
    "[--autojump THRESHOLD]"
)


@pytest.mark.parametrize(("args", "error"), [
    (["--bogus"], "error: unrecognized arguments: --bogus"),
    (["discover", "--nope"], "error: unrecognized arguments: --nope"),
    (["-k"], "error: argument -k: expected one argument"),
])
def test_a_unittest_usage_error_lists_asynctest_options_too(project, args, error):
    process = run(args, project)
    assert process.returncode == 2
    assert error in process.stderr
    assert "[-v]" in process.stderr  # unittest's usage
    assert f"asynctest options: {OWN_OPTIONS}" in process.stderr
    assert "python -m asynctest -h" in process.stderr
    assert "Ran " not in process.stderr


def test_a_bad_asynctest_option_shows_asynctest_usage(project):
    process = run(["--loop"], project)
    assert process.returncode == 2
    usage = " ".join(line.strip() for line in process.stderr.splitlines()[:4])
    assert usage == f"usage: python -m asynctest {OWN_OPTIONS} [unittest arguments]"


def test_a_missing_uvloop_names_the_option_or_the_variable_that_asked_for_it(
    project, tmp_path_factory
):
    broken = tmp_path_factory.mktemp("no_uvloop")
    (broken / "uvloop.py").write_text("raise ImportError('uvloop is not installed here')\n")
    by_option = run(["--loop", "uvloop", "test_probe"], project, PYTHONPATH=str(broken))
    assert "error: --loop 'uvloop': uvloop is not installed" in by_option.stderr
    by_variable = run(["test_probe"], project, PYTHONPATH=str(broken), ASYNCTEST_LOOP="uvloop")
    assert by_variable.returncode == 2
    assert "error: ASYNCTEST_LOOP='uvloop': uvloop is not installed" in by_variable.stderr
    assert "--loop" not in by_variable.stderr
    assert "usage:" not in by_variable.stderr  # not a command line mistake


def test_a_bad_variable_under_plain_unittest_errors_once_and_skips_the_rest(project):
    add_module(project, "test_mixed", PASSING_AND_FAILING)
    process = run(["-v", "test_mixed", "test_probe"], project, module="unittest",
                  ASYNCTEST_LOOP="nonsense")
    assert process.returncode == 1
    assert process.stderr.count("ASYNCTEST_LOOP='nonsense': unknown loop") == 1, process.stderr
    assert process.stderr.count("not run: ASYNCTEST_LOOP is invalid") == 2, process.stderr
    assert "FAILED (errors=1, skipped=2)" in process.stderr


# -- --autojump ------------------------------------------------------------------------

CLOCKED = '''
import asyncio

import asynctest


class Clocked(asynctest.ClockedTestCase):
    timeout = 30

    async def test_a_day(self):
        task = asyncio.ensure_future(asyncio.sleep(86400))
        await asyncio.wait([task], timeout=90000)
        print(f"TIME={self.loop.time()}", flush=True)
'''


def test_autojump_makes_every_clocked_test_jump_to_its_timers(project):
    add_module(project, "test_clocked_probe", CLOCKED)
    for args, env in ((["--autojump", "0"], {}), (["--autojump=0.01"], {}),
                      ([], {"ASYNCTEST_AUTOJUMP": "0"})):
        process = run([*args, "test_clocked_probe"], project, **env)
        assert process.returncode == 0, process.stderr
        assert "TIME=86400.0" in process.stdout, (args, env, process.stdout)


@pytest.mark.parametrize("value", ["-1", "nan", "fast"])
def test_a_bad_autojump_exits_2_naming_the_value(project, value):
    process = run(["--autojump", value, "test_probe"], project)
    assert process.returncode == 2
    assert f"error: --autojump={value!r} is not a valid autojump threshold" in process.stderr
    assert "usage: python -m asynctest" in process.stderr


def test_autojump_without_a_value_exits_2(project):
    process = run(["--autojump"], project)
    assert process.returncode == 2
    assert "--autojump needs a value" in process.stderr
