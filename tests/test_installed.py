"""``import asynctest`` warns once when asynctest 0.13 is installed next to asynctest-ng.

Each test imports asynctest in a fresh interpreter whose ``sys.path`` holds a
fake distribution's metadata, as pip leaves it in site-packages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _support import clean_environment

TIMEOUT = 60


def site(tmp_path: Path, *distributions: str) -> Path:
    """A directory holding the metadata directories of ``distributions`` ('name-version')."""
    tmp_path.mkdir(exist_ok=True)
    for distribution in distributions:
        name, _, version = distribution.partition("-")
        metadata = tmp_path / f"{distribution}.dist-info"
        metadata.mkdir()
        (metadata / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
    return tmp_path


def python(code: str, path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = clean_environment(PYTHONPATH=str(path))
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run(
        [sys.executable, *options, "-c", code],
        capture_output=True, text=True, timeout=TIMEOUT, env=env,
    )


def test_warns_with_the_fix_when_asynctest_0_13_is_installed(tmp_path: Path) -> None:
    done = python("import asynctest", site(tmp_path, "asynctest-0.13.0"))
    assert done.returncode == 0, done.stderr
    assert "InstallConflictWarning: asynctest 0.13.0 is installed next to asynctest-ng" \
        in done.stderr
    assert str(tmp_path / "asynctest-0.13.0.dist-info") in done.stderr
    assert "pip uninstall -y asynctest asynctest-ng" in done.stderr
    assert "pip install asynctest-ng" in done.stderr


def test_warns_once_per_process(tmp_path: Path) -> None:
    code = "import importlib, asynctest; importlib.reload(asynctest); import asynctest.mock"
    done = python(code, site(tmp_path, "asynctest-0.13.0"), "-W", "always")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("InstallConflictWarning") == 1, done.stderr


def test_under_warnings_as_errors_the_import_fails_with_the_fix(tmp_path: Path) -> None:
    done = python("import asynctest", site(tmp_path, "asynctest-0.13.0"), "-W", "error")
    assert done.returncode == 1
    last_line = done.stderr.strip().splitlines()[-1]
    assert last_line.startswith("asynctest.InstallConflictWarning: asynctest 0.13.0 is installed")
    assert "pip uninstall -y asynctest asynctest-ng" in last_line


def test_an_egg_info_install_is_found_too(tmp_path: Path) -> None:
    (tmp_path / "asynctest-0.12.2-py3.8.egg-info").mkdir()
    done = python("import asynctest", tmp_path)
    assert "asynctest 0.12.2 is installed next to asynctest-ng" in done.stderr


@pytest.mark.parametrize("others", [
    (), ("asynctest_ng-1.0.0.dist-info",), ("asynctest_extras-2.0.dist-info",),
    ("pytest_asynctest-1.0.dist-info", "asynctest.py"),
])
def test_no_warning_without_asynctest_0_13(tmp_path: Path, others: tuple[str, ...]) -> None:
    for name in others:
        (tmp_path / name).mkdir()
    done = python("import asynctest", tmp_path, "-W", "error")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_under_pytest_filterwarnings_error_the_run_stops_with_the_fix(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    for name in ("test_one.py", "test_two.py"):
        (project / name).write_text(
            "import asynctest\n\n\nclass T(asynctest.TestCase):\n"
            "    async def test(self):\n        pass\n"
        )
    env = clean_environment(PYTHONPATH=str(site(tmp_path / "site", "asynctest-0.13.0")))
    env.pop("PYTHONWARNINGS", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, capture_output=True, text=True, timeout=TIMEOUT, env=env,
    )
    assert done.returncode != 0
    # pytest loads asynctest's plugin (entry point pytest11) before the tests:
    # the run stops there (stderr) or at the first test module (stdout).
    output = done.stdout + done.stderr
    assert "InstallConflictWarning: asynctest 0.13.0 is installed" in output, output
    assert "pip uninstall -y asynctest asynctest-ng" in output
