"""The source distribution is a complete release: its test suite runs from the unpacked sdist.

Built with ``python -m build --sdist`` (the ``dev`` extra installs build and
setuptools: newest Python only; skipped elsewhere).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from _support import clean_environment

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300
# What must ship besides the package: every committed file under these, and these files.
SHIPPED_TREES = ["tests", "docs", "examples", "bench", "scripts", ".ci", "src"]
SHIPPED_FILES = ["CHANGELOG.md", "README.md", "LICENSE", "pyproject.toml", "MANIFEST.in"]


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unpacked sdist of this checkout."""
    pytest.importorskip("build", reason="build is installed with the dev extra (newest Python)")
    # Built from a copy without build leftovers: setuptools adds the files listed
    # by an existing *.egg-info/SOURCES.txt, which would hide a MANIFEST.in gap.
    source = tmp_path_factory.mktemp("source") / "checkout"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", "*.pyc", ".*_cache",
    ))
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(out)],
        cwd=source, capture_output=True, text=True, timeout=TIMEOUT, env=clean_environment(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (archive,) = out.glob("asynctest_ng-*.tar.gz")
    with tarfile.open(archive) as tar:
        if sys.version_info >= (3, 12):
            tar.extractall(out, filter="data")
        else:
            tar.extractall(out)
    (unpacked,) = (path for path in out.iterdir() if path.is_dir())
    return unpacked


def committed_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no list of committed files to compare with")
    done = subprocess.run(
        ["git", "ls-files", "--", *SHIPPED_TREES], cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=True,
    )
    return done.stdout.splitlines()


def test_the_sdist_carries_every_committed_file_of_the_release(sdist: Path) -> None:
    shipped = {str(path.relative_to(sdist)) for path in sdist.rglob("*") if path.is_file()}
    missing = [name for name in committed_files() + SHIPPED_FILES if name not in shipped]
    assert missing == []


def test_the_sdist_carries_no_bytecode_or_environment(sdist: Path) -> None:
    strays = [path for path in sdist.rglob("*")
              if path.name in ("__pycache__", ".venv") or path.suffix == ".pyc"]
    assert strays == []


def test_tests_run_from_the_unpacked_sdist(sdist: Path) -> None:
    env = clean_environment(PYTHONPATH=str(sdist / "src"))
    where = subprocess.run(
        [sys.executable, "-c", "import asynctest; print(asynctest.__file__)"],
        cwd=sdist, capture_output=True, text=True, timeout=60, env=env,
    )
    assert where.stdout.strip() == str(sdist / "src" / "asynctest" / "__init__.py"), where.stderr
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/test_public_api.py", "tests/test_config.py",
         "tests/typed"],
        cwd=sdist, capture_output=True, text=True, timeout=TIMEOUT, env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout.splitlines()[-1]
