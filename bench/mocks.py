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
Exit status: 0 when both targets are met, 1 otherwise.

    python bench/mocks.py                     # default sizes
    python bench/mocks.py --calls 200 --rounds 1   # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
import unittest.mock
from typing import Any, Awaitable, Callable

import asynctest.mock

TARGETS = {"await CoroutineMock": 1.15, "patch GLOBAL": 1.2}


async def target() -> None:
    """The coroutine function every benchmark patches."""


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
    args = parser.parse_args(argv)
    if args.calls < 1 or args.rounds < 1 or args.suspensions < 1:
        parser.error("--calls, --rounds and --suspensions must be >= 1")

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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
