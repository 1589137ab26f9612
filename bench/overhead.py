"""What a trivial async test costs: asynctest against the standard library.

Runs N trivial tests (``async def test(self): await asyncio.sleep(0)``) with
each of four test classes, all in one process, and prints the median time per
test over several rounds and its ratio to the floor:

- floor: a plain ``unittest.TestCase`` whose test makes a new loop with
  ``asyncio.new_event_loop()``, runs the coroutine with ``run_until_complete``
  and closes the loop: the least any per-test loop can cost;
- ``unittest.IsolatedAsyncioTestCase``;
- ``asynctest.TestCase`` with its default checks;
- ``asynctest.TestCase`` under ``@asynctest.strict`` (every check on).

The variants run in turn within each round, in an order that rotates from one
round to the next, so that noise from the machine falls on all of them alike.
Each suite is a ``unittest.TestSuite`` run with a plain ``unittest.TestResult``
(no output stream), as a runner would.

Targets: asynctest ≤ 1.25× the floor, strict ≤ 1.5× the floor.
Exit status: 0 when both are met, 1 when one is missed, 2 when a benchmark test
did not pass (its timing would mean nothing).

    python bench/overhead.py                  # 2,000 tests, median of 5 rounds
    python bench/overhead.py --tests 50 --rounds 1   # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
import unittest
from typing import Callable

import asynctest

TARGETS = {"asynctest": 1.25, "strict": 1.5}


async def _trivial() -> None:
    await asyncio.sleep(0)


def _floor_test(self: unittest.TestCase) -> None:
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_trivial())
    finally:
        loop.close()


async def _async_test(self: unittest.TestCase) -> None:
    await asyncio.sleep(0)


def _make_class(base: type, method: Callable[..., object], n: int, name: str) -> type:
    namespace = {f"test_{i:05d}": method for i in range(n)}
    return type(name, (base,), namespace)


def build_variants(n: int) -> list[tuple[str, str, type]]:
    """(key, label, TestCase class with n trivial tests) for each variant."""
    floor = _make_class(unittest.TestCase, _floor_test, n, "Floor")
    isolated = _make_class(unittest.IsolatedAsyncioTestCase, _async_test, n, "Isolated")
    ours = _make_class(asynctest.TestCase, _async_test, n, "Ours")
    strict = asynctest.strict(_make_class(asynctest.TestCase, _async_test, n, "Strict"))
    return [
        ("floor", "floor: new_event_loop + run_until_complete", floor),
        ("isolated", "unittest.IsolatedAsyncioTestCase", isolated),
        ("asynctest", "asynctest.TestCase", ours),
        ("strict", "asynctest.TestCase @strict", strict),
    ]


def run_once(cls: type) -> tuple[float, unittest.TestResult]:
    """Seconds taken to run every test of ``cls`` as one suite, and the result."""
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(cls)
    result = unittest.TestResult()
    gc.collect()
    start = time.perf_counter()
    suite.run(result)
    elapsed = time.perf_counter() - start
    return elapsed, result


def _problems(result: unittest.TestResult, expected: int) -> list[str]:
    problems = [text for _, text in result.errors + result.failures]
    if result.testsRun != expected:
        problems.append(f"ran {result.testsRun} tests instead of {expected}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=2000, help="tests per variant (2000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the median is kept (5)")
    args = parser.parse_args(argv)
    if args.tests < 1 or args.rounds < 1:
        parser.error("--tests and --rounds must be at least 1")

    variants = build_variants(args.tests)
    times: dict[str, list[float]] = {key: [] for key, _, _ in variants}
    for round_no in range(args.rounds):
        shift = round_no % len(variants)
        for key, label, cls in variants[shift:] + variants[:shift]:
            elapsed, result = run_once(cls)
            problems = _problems(result, args.tests)
            if problems:
                print(f"ERROR: {label}: {len(problems)} problem(s); first:\n{problems[0]}")
                return 2
            times[key].append(elapsed / args.tests * 1e6)

    print(f"Python {sys.version.split()[0]}, {args.tests} tests per variant, "
          f"median of {args.rounds} round(s)")
    floor = statistics.median(times["floor"])
    ratios = {}
    for key, label, _ in variants:
        per_test = statistics.median(times[key])
        ratios[key] = per_test / floor
        print(f"ratio {label:<44} {per_test:9.1f} µs/test {ratios[key]:6.2f}x floor")
    failed = False
    for key, limit in TARGETS.items():
        verdict = "PASS" if ratios[key] <= limit else "FAIL"
        failed |= verdict == "FAIL"
        label = next(label for k, label, _ in variants if k == key)
        print(f"{verdict} {label}: {ratios[key]:.2f}x floor (target <= {limit}x)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
