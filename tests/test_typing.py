"""Type checkers see asynctest's own classes: a user's test module passes ``mypy --strict``.

mypy runs on the newest Python (the ``dev`` extra installs it); elsewhere these
tests are skipped. scripts/test's mypy step checks tests/typed/ as well.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import unittest
from pathlib import Path

import pytest
from _support import clean_environment

import asynctest

TYPED = Path(__file__).resolve().parent / "typed" / "test_user_project.py"
BASE = Path(asynctest.__file__).resolve().parent / "_unittest" / "base.py"
TIMEOUT = 300

WRONG_USES = '''\
import asynctest


class Wrong(asynctest.ClockedTestCase):
    async def test_loop(self) -> None:
        self.loop.no_such_method()

    @asynctest.fail_on(active_handles="yes")
    async def test_checks(self) -> None:
        self.assertEqual(1)

    async def test_clock(self) -> None:
        self.advance(1)

    async def test_mock(self) -> None:
        mock = asynctest.CoroutineMock()
        await mock.awaited.wait(skip="one")



@asynctest.patch("os.getcwd", new="/")
def patched(times: int) -> str:
    return "x" * times


patched("three")
'''

# (line, error code) of each error mypy must report in WRONG_USES.
EXPECTED_ERRORS = [
    (6, "attr-defined"),
    (8, "arg-type"),
    (10, "call-arg"),
    (13, "unused-coroutine"),
    (17, "arg-type"),
    (26, "arg-type"),
]


PUBLIC_MODULES = ["asynctest", "asynctest.case", "asynctest.helpers", "asynctest.mock",
                  "asynctest.selector", "asynctest.pytest_plugin"]


def every_public_name_module() -> str:
    """A module importing each name of each public module's __all__ (fails if mypy misses one)."""
    lines = []
    for number, module in enumerate(PUBLIC_MODULES):
        names = importlib.import_module(module).__all__
        lines += [f"from {module} import {name} as _{number}_{name}" for name in names]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """mypy --strict's error lines on the user module, the public names and the wrong uses."""
    pytest.importorskip("mypy", reason="mypy is installed with the dev extra (newest Python)")
    folder = tmp_path_factory.mktemp("typing")
    (folder / "public_names.py").write_text(every_public_name_module())
    (folder / "wrong_uses.py").write_text(WRONG_USES)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "", "--cache-dir",
         str(folder / "cache"), "--show-error-codes", "--no-error-summary",
         str(TYPED), "public_names.py", "wrong_uses.py"],
        cwd=folder, capture_output=True, text=True, timeout=TIMEOUT,
        env=clean_environment(),
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 2: mypy itself failed
    found: dict[str, list[str]] = {"user": [], "names": [], "wrong": [], "other": []}
    for line in done.stdout.splitlines():
        if ": error:" not in line:
            continue
        if line.startswith(str(TYPED)):
            found["user"].append(line)
        elif line.startswith("public_names.py"):
            found["names"].append(line)
        elif line.startswith("wrong_uses.py"):
            found["wrong"].append(line)
        else:
            found["other"].append(line)
    return found


def test_a_user_test_module_passes_mypy_strict(mypy_output: dict[str, list[str]]) -> None:
    assert mypy_output["user"] == []
    assert mypy_output["other"] == []


def test_type_checkers_see_every_public_name(mypy_output: dict[str, list[str]]) -> None:
    assert mypy_output["names"] == []


def test_wrong_uses_fail_mypy_strict(mypy_output: dict[str, list[str]]) -> None:
    found = sorted(
        (int(line.split(":")[1]), line.rsplit("[", 1)[1].rstrip("]"))
        for line in mypy_output["wrong"]
    )
    assert found == EXPECTED_ERRORS, "\n".join(mypy_output["wrong"])


def test_the_typed_base_takes_every_public_name_of_unittest_testcase() -> None:
    # base.py lists unittest.TestCase's API for type checkers by name: a name
    # missing there would be untyped (Any) for users.
    listed = {
        node.targets[0].id
        for node in ast.walk(ast.parse(BASE.read_text()))
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    } | {"setUp", "tearDown", "debug"}  # declared, not assigned
    public = {name for name in vars(unittest.TestCase) if not name.startswith("_")}
    assert public - listed == set()
