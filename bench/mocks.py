"""What asynctest.mock costs against unittest.mock, side by side in one run.

Prints the median time per operation over several rounds, and the ratios:

- awaiting a mock: ``await mock()`` with ``asynctest.CoroutineMock`` against
  ``unittest.mock.AsyncMock`` (target: ≤ 1.15×);
- calling a patch-decorated coroutine (fresh mock per call, a coroutine that
  awaits nothing): ``asynctest.patch`` with GLOBAL scope against
  ``unittest.mock.patch`` (target: ≤ 1.2×), and with LIMITED scope (reported);
- the cost of one suspension under LIMITED scope: a decorated coroutine that
  suspends ``--suspensions`` times (``await asyncio.sleep(0)``), LIMITED minus
  GLOBAL, divided by the number of suspensions.

Variants run in turn within each round, in an order that rotates from round to
round, so that machine noise falls on all of them alike.

Then the cost of making and using mocks (the operations of a mock-heavy
suite): ``CoroutineMock()``, ``create_autospec(coroutine_function)``,
``MagicMock()``, ``MagicMock(sync_function)``, ``Mock(spec=cls)``, ``patch``
entered and left, and ``await mock()``, each timed in child processes (one per
round, fresh interpreter) and kept at its best round. Targets:
``CoroutineMock()`` and ``create_autospec(coroutine_function)`` ≤ 1.0× what
``unittest.mock.AsyncMock()`` and ``unittest.mock.create_autospec`` cost
(3.11+). With ``--baseline PYTHON``, the Python of a virtual environment where
asynctest 0.13 is installed (``pip install asynctest==0.13.0``, Python 3.9 or
3.10), the same operations run there too, in turn with ours in every round,
and each must cost ≤ 1.0× 0.13's.

Exit status: 0 when every target is met, 1 otherwise, 2 when a child failed.

    python bench/mocks.py                     # default sizes
    python bench/mocks.py --baseline /tmp/venv013/bin/python
    python bench/mocks.py --calls 200 --rounds 1 --table-calls 50 --table-rounds 1  # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import unittest.mock
from typing import Any, Awaitable, Callable, Optional

import asynctest.mock

TARGETS = {"await CoroutineMock": 1.15, "patch GLOBAL": 1.2}


async def target() -> None:
    """The coroutine function every benchmark patches."""


def sync_target() -> None:
    """The function the table's ``patch`` replaces (by a MagicMock)."""


async def coroutine_function(a: Any, b: Any = 1, *args: Any, c: Any = None) -> None:
    """The spec of ``create_autospec(coroutine_function)``."""


def sync_function(a: Any, b: Any = 1) -> None:
    """The spec of ``MagicMock(sync_function)``."""


class Spec:
    """The class of ``Mock(spec=cls)``: sync and async methods, a class attribute."""

    attribute = 1

    def method(self, x: Any) -> None:
        pass

    def other(self) -> None:
        pass

    async def coroutine(self, y: Any) -> None:
        pass


# -- the table: operations timed in child processes ------------------------------------

#: Operation label -> (target, what it is compared with); see TABLE_TARGETS.
OURS = "ours"
STDLIB = "stdlib"
TABLE = [
    "CoroutineMock()",
    "create_autospec(coroutine_function)",
    "MagicMock()",
    "MagicMock(sync_fn)",
    "Mock(spec=cls)",
    "patch(...) enter + exit",
    "await CoroutineMock()",
]
#: Ours against the standard library's (3.11+): (our operation, the stdlib's).
STDLIB_PAIRS = {
    "CoroutineMock()": "AsyncMock()",
    "create_autospec(coroutine_function)": "unittest.mock.create_autospec(coroutine_function)",
}
TABLE_TARGET = 1.0


def _operations(lib: Any, with_stdlib: bool) -> dict[str, Callable[[int], float]]:
    """Label -> function timing ``calls`` runs of the operation (seconds per run)."""

    def timed(make: Callable[[], Any]) -> Callable[[int], float]:
        def run(calls: int) -> float:
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                for _ in range(calls):
                    make()
                return (time.perf_counter() - start) / calls
            finally:
                gc.enable()

        return run

    def patching() -> None:
        with lib.patch(f"{__name__}.sync_target"):
            pass

    def awaiting(calls: int) -> float:
        mock = lib.CoroutineMock()

        async def awaits() -> float:
            start = time.perf_counter()
            for _ in range(calls):
                await mock()
            return (time.perf_counter() - start) / calls

        loop = asyncio.new_event_loop()
        try:
            gc.collect()
            return loop.run_until_complete(awaits())
        finally:
            loop.close()

    operations = {
        "CoroutineMock()": timed(lambda: lib.CoroutineMock()),
        "create_autospec(coroutine_function)": timed(
            lambda: lib.create_autospec(coroutine_function)
        ),
        "MagicMock()": timed(lambda: lib.MagicMock()),
        "MagicMock(sync_fn)": timed(lambda: lib.MagicMock(sync_function)),
        "Mock(spec=cls)": timed(lambda: lib.Mock(spec=Spec)),
        "patch(...) enter + exit": timed(patching),
        "await CoroutineMock()": awaiting,
    }
    if with_stdlib:
        operations["AsyncMock()"] = timed(lambda: unittest.mock.AsyncMock())
        operations["unittest.mock.create_autospec(coroutine_function)"] = timed(
            lambda: unittest.mock.create_autospec(coroutine_function)
        )
    return operations


def child(calls: int, with_stdlib: bool, shift: int) -> int:
    """Time every operation once (in an order rotated by ``shift``); print them as JSON."""
    import asynctest as lib

    operations = _operations(lib, with_stdlib)
    names = list(operations)
    shift %= len(names)
    for name in names:  # warm up: first calls fill caches and import lazily
        operations[name](max(1, calls // 10))
    found = {name: operations[name](calls) for name in names[shift:] + names[:shift]}
    print(json.dumps({"python": sys.version.split()[0], "times": found}))
    return 0


def _run_child(python: str, calls: int, with_stdlib: bool, shift: int) -> dict[str, Any]:
    command = [python, "-W", "ignore", os.path.abspath(__file__), "--child",
               "--table-calls", str(calls), "--shift", str(shift)]
    if with_stdlib:
        command.append("--with-stdlib")
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        raise ChildFailed(f"{python} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class ChildFailed(Exception):
    """A child process timing the operations failed."""


def table(calls: int, rounds: int, baseline: Optional[str]) -> tuple[bool, bool]:
    """Print the table of operations; (every target met, ran at all)."""
    best: dict[str, dict[str, float]] = {OURS: {}, "0.13": {}}
    base_version = ""
    for round_ in range(rounds):
        runs = [(OURS, sys.executable)] + ([("0.13", baseline)] if baseline else [])
        if round_ % 2:
            runs.reverse()
        for who, python in runs:
            found = _run_child(python, calls, who == OURS, round_)
            if who != OURS:
                base_version = found["python"]
            for name, value in found["times"].items():
                best[who][name] = min(value, best[who].get(name, value))
    ours, old = best[OURS], best["0.13"]
    print(f"\nMaking and using mocks: best of {rounds} rounds x {calls} calls, µs per operation"
          + (f"; asynctest 0.13 on Python {base_version}" if baseline else ""))
    failed = False
    header = f"  {'operation':<38} {'ours':>9}"
    if baseline:
        header += f" {'0.13':>9} {'ours/0.13':>10}"
    header += f" {'stdlib':>9} {'ours/stdlib':>12}"
    print(header)
    for name in TABLE:
        line = f"  {name:<38} {ours[name] * 1e6:9.2f}"
        if baseline:
            ratio = ours[name] / old[name]
            ok = ratio <= TABLE_TARGET
            failed |= not ok
            line += f" {old[name] * 1e6:9.2f} {ratio:9.2f}x {'' if ok else 'MISSED'}"
        stdlib = STDLIB_PAIRS.get(name)
        if stdlib is not None:
            ratio = ours[name] / ours[stdlib]
            line += f" {ours[stdlib] * 1e6:9.2f} {ratio:11.2f}x"
            if sys.version_info >= (3, 11):
                ok = ratio <= TABLE_TARGET
                failed |= not ok
                line += "" if ok else " MISSED"
        print(line)
    for name, stdlib in STDLIB_PAIRS.items():
        ratio = ours[name] / ours[stdlib]
        if sys.version_info >= (3, 11):
            verdict = "PASS" if ratio <= TABLE_TARGET else "FAIL"
            print(f"{verdict} {name} / {stdlib}: {ratio:.2f}x (target <= {TABLE_TARGET}x)")
    if baseline:
        for name in TABLE:
            ratio = ours[name] / old[name]
            verdict = "PASS" if ratio <= TABLE_TARGET else "FAIL"
            print(f"{verdict} {name} / asynctest 0.13: {ratio:.2f}x (target <= {TABLE_TARGET}x)")
    return not failed, True


def _patched(patch: Any, suspensions: int, **options: Any) -> Callable[[], Awaitable[Any]]:
    @patch(f"{__name__}.target", **options)
    async def decorated(mock: Any) -> None:
        for _ in range(suspensions):
            await asyncio.sleep(0)

    return decorated


def _awaiting(mock: Any) -> Callable[[], Awaitable[Any]]:
    async def once() -> Any:
        return await mock()

    return once


async def _time(make: Callable[[], Awaitable[Any]], calls: int) -> float:
    gc.collect()
    start = time.perf_counter()
    for _ in range(calls):
        await make()
    return (time.perf_counter() - start) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000, help="operations per round")
    parser.add_argument("--rounds", type=int, default=7, help="rounds (the median is kept)")
    parser.add_argument("--suspensions", type=int, default=20, help="per LIMITED call")
    parser.add_argument("--table-calls", type=int, default=2000,
                        help="operations per round in the table of operations")
    parser.add_argument("--table-rounds", type=int, default=5,
                        help="rounds of the table (the best is kept)")
    parser.add_argument("--baseline", metavar="PYTHON",
                        help="Python of a venv with asynctest 0.13, to compare the table with")
    parser.add_argument("--table-only", action="store_true",
                        help="skip the await and patch ratios")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--with-stdlib", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--shift", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.table_calls, args.with_stdlib, args.shift)
    if min(args.calls, args.rounds, args.suspensions, args.table_calls, args.table_rounds) < 1:
        parser.error("--calls, --rounds, --suspensions, --table-calls and --table-rounds "
                     "must be >= 1")
    if args.baseline is not None and not os.access(args.baseline, os.X_OK):
        parser.error(f"--baseline {args.baseline!r} is not an executable Python")
    failed = False
    if not args.table_only:
        failed = not ratios(args)
    try:
        met, _ = table(args.table_calls, args.table_rounds, args.baseline)
    except ChildFailed as error:
        print(error)
        return 2
    return 1 if failed or not met else 0


def ratios(args: argparse.Namespace) -> bool:
    """Print the await and patch ratios; True if their targets are met."""

    n = args.suspensions
    variants: dict[str, Callable[[], Awaitable[Any]]] = {
        "await AsyncMock": _awaiting(unittest.mock.AsyncMock()),
        "await CoroutineMock": _awaiting(asynctest.mock.CoroutineMock()),
        "unittest.mock patch": _patched(unittest.mock.patch, 0),
        "patch GLOBAL": _patched(asynctest.mock.patch, 0),
        "patch LIMITED": _patched(asynctest.mock.patch, 0, scope=asynctest.mock.LIMITED),
        f"GLOBAL, {n} suspensions": _patched(asynctest.mock.patch, n),
        f"LIMITED, {n} suspensions": _patched(
            asynctest.mock.patch, n, scope=asynctest.mock.LIMITED
        ),
    }
    names = list(variants)
    samples: dict[str, list[float]] = {name: [] for name in names}

    async def rounds() -> None:
        for round_ in range(args.rounds):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                calls = args.calls if "suspensions" not in name else max(1, args.calls // n)
                samples[name].append(await _time(variants[name], calls))

    asyncio.run(rounds())
    median = {name: statistics.median(values) for name, values in samples.items()}

    print(f"Python {sys.version.split()[0]}, {args.calls} calls x {args.rounds} rounds (median)")
    for name in names:
        print(f"  {name:<28} {median[name] * 1e6:9.2f} µs")
    ratios = {
        "await CoroutineMock": median["await CoroutineMock"] / median["await AsyncMock"],
        "patch GLOBAL": median["patch GLOBAL"] / median["unittest.mock patch"],
        "patch LIMITED": median["patch LIMITED"] / median["unittest.mock patch"],
    }
    per_suspension = (
        median[f"LIMITED, {n} suspensions"] - median[f"GLOBAL, {n} suspensions"]
    ) / n
    failed = False
    for name, ratio in ratios.items():
        target_ = TARGETS.get(name)
        verdict = ""
        if target_ is not None:
            ok = ratio <= target_
            failed |= not ok
            verdict = f"(target ≤ {target_}×: {'met' if ok else 'MISSED'})"
        print(f"ratio {name:<24} {ratio:5.2f}× {verdict}")
    print(f"LIMITED cost per suspension: {per_suspension * 1e6:.2f} µs")
    return not failed


if __name__ == "__main__":
    sys.exit(main())
