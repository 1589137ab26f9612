"""What asynctest's pytest plugin adds to a test, against pytest-asyncio.

Writes three test files of N trivial tests each (and the same files with one
test), runs each under pytest in a subprocess and times it:

- sync: ``def test_i(): pass``;
- pytest-asyncio: ``@pytest.mark.asyncio async def test_i(): await asyncio.sleep(0)``;
- asynctest: ``@pytest.mark.asynctest async def test_i(): await asyncio.sleep(0)``.

Each runs with its own plugin only (``-p no:asyncio`` / ``-p no:asynctest``;
the sync tests with neither), so that what a plugin adds is all its own.

A fourth variant, for reference, is the floor of any plugin that gives each
test a new asyncio loop: ``@pytest.mark.bareloop async def test_i()`` run by
a ten-line plugin (written next to the tests) that makes a loop with
``asyncio.new_event_loop()``, runs the test on it and closes it, with none of
asynctest's isolation or checks.

The cost per test of a variant is (time of N tests - time of 1 test) / N, so
that start-up, imports and collection of the file's header cancel out; what a
plugin adds is its cost per test minus the sync one. Time is the CPU time
(user + system) of the pytest process: on a shared machine it varies much
less than wall time, and the tests never wait. The variants run in turn
within each round, in an order rotated every round; the median of the rounds
is kept.

Target: what asynctest adds <= 0.25x what pytest-asyncio adds.
Exit status: 0 when met, 1 when missed, 2 when a run did not pass (its timing
would mean nothing).

    python bench/pytest_overhead.py                      # 2,000 tests, median of 5 rounds
    python bench/pytest_overhead.py --tests 50 --rounds 1  # smoke run
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET = 0.25
# Each variant runs with only its own plugin: what a plugin adds is all its own.
PLUGINS_OFF = {
    "sync": ("asyncio", "asynctest"),
    "pytest-asyncio": ("asynctest",),
    "asynctest": ("asyncio",),
    "bare-loop": ("asyncio", "asynctest"),
}
PLUGINS_ON = {"bare-loop": ("bareloop",)}
VARIANTS = {
    "sync": ("", "def test_{i:05d}():\n    pass\n"),
    "pytest-asyncio": (
        "import asyncio\nimport pytest\n",
        "@pytest.mark.asyncio\nasync def test_{i:05d}():\n    await asyncio.sleep(0)\n",
    ),
    "asynctest": (
        "import asyncio\nimport pytest\n",
        "@pytest.mark.asynctest\nasync def test_{i:05d}():\n    await asyncio.sleep(0)\n",
    ),
    "bare-loop": (
        "import asyncio\nimport pytest\n",
        "@pytest.mark.bareloop\nasync def test_{i:05d}():\n    await asyncio.sleep(0)\n",
    ),
}
INI = """\
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
markers =
    bareloop: run on a new asyncio loop by bareloop.py
"""
# The floor of a plugin that gives each test a new loop (the bare-loop variant).
BARE_LOOP_PLUGIN = """\
import asyncio
import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if pyfuncitem.get_closest_marker("bareloop") is None:
        return None
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(pyfuncitem.obj())
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    return True
"""
TIMEOUT = 600


def write(directory: Path, variant: str, n: int) -> Path:
    header, body = VARIANTS[variant]
    path = directory / f"test_{variant.replace('-', '_')}_{n}.py"
    path.write_text(header + "\n" + "\n".join(body.format(i=i) for i in range(n)))
    return path


def environment() -> dict[str, str]:
    env = {
        name: value for name, value in os.environ.items()
        if not name.startswith(("ASYNCTEST_", "PYTEST_")) and name not in (
            "PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONWARNINGS", "PYTHONPATH",
        )
    }
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(directory: Path, variant: str, path: Path, n: int) -> float:
    """CPU seconds one pytest run of ``path`` takes; exits with status 2 unless all N pass."""
    # anyio's plugin (installed with the test extra) inspects every async test at
    # collection: it is neither variant's plugin, so it is off for all.
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
               "-p", "no:anyio"]
    for plugin in PLUGINS_OFF[variant]:
        command += ["-p", f"no:{plugin}"]
    for plugin in PLUGINS_ON.get(variant, ()):
        command += ["-p", plugin]
    command.append(path.name)
    start = _children_cpu()
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True,
                          timeout=TIMEOUT, env=environment())
    elapsed = _children_cpu() - start
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not summary.startswith(f"{n} passed"):
        print(f"{path.name}: not every test passed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        sys.exit(2)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=2000, help="tests per file (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    args = parser.parse_args()
    n, rounds = args.tests, args.rounds
    if n < 1 or rounds < 1:
        parser.error("--tests and --rounds must be at least 1")
    names = list(VARIANTS)
    per_test: dict[str, list[float]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "pytest.ini").write_text(INI)
        (directory / "bareloop.py").write_text(BARE_LOOP_PLUGIN)
        files = {name: (write(directory, name, n), write(directory, name, 1)) for name in names}
        for name in names:  # warm-up: imports and bytecode caches
            run(directory, name, files[name][1], 1)
        for round_ in range(rounds):
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            for name in order:
                many, one = files[name]
                elapsed_many = run(directory, name, many, n)
                elapsed_one = run(directory, name, one, 1)
                per_test[name].append((elapsed_many - elapsed_one) / n)
    cost = {name: statistics.median(values) for name, values in per_test.items()}
    print(f"pytest per-test CPU time, {n} tests, median of {rounds} round(s), "
          f"Python {sys.version.split()[0]}:")
    for name in names:
        added = cost[name] - cost["sync"]
        extra = "" if name == "sync" else f"   adds {added * 1e6:8.1f} µs over sync"
        print(f"cost {name:<15} {cost[name] * 1e6:8.1f} µs/test{extra}")
    asyncio_adds = cost["pytest-asyncio"] - cost["sync"]
    ours_adds = cost["asynctest"] - cost["sync"]
    ratio = ours_adds / asyncio_adds if asyncio_adds > 0 else float("inf")
    bare_adds = cost["bare-loop"] - cost["sync"]
    if asyncio_adds > 0:
        print(f"(for reference: a bare new loop per test adds {bare_adds / asyncio_adds:.2f}x "
              f"what pytest-asyncio adds; asynctest adds {(ours_adds - bare_adds) * 1e6:+.1f} µs "
              f"over it)")
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"{verdict} asynctest adds {ratio:.2f}x what pytest-asyncio adds (target <= {TARGET}x)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
