"""Leak soak: many asynctest tests in one process leave nothing behind.

Runs N trivial ``asynctest.TestCase`` tests of six kinds, in turn: an async
test, a sync test, a test leaving a task pending, one leaving a timer pending,
one using the default thread-pool executor through ``run_in_executor``, and
one leaving an async generator suspended. Then it compares, before and after
(after a garbage collection, and after a warm-up run of every kind so that
one-time imports and caches are not counted):

- open file descriptors (``/proc/self/fd``): must not grow;
- live event loops (``gc.get_objects()``): must not grow;
- live threads: must not grow;
- resident memory (``/proc/self/statm``): must grow by less than 5 MB.

Every test must pass, and no warning (e.g. "coroutine was never awaited",
unclosed resources) nor asyncio error log may be emitted. Prints the figures
and PASS/FAIL for each; exit status 0 when all pass, 1 otherwise.

    python bench/soak.py                 # 10,000 tests
    python bench/soak.py --tests 60      # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
import threading
import time
import unittest
import warnings
from typing import Any

import asynctest

RSS_LIMIT_MB = 5.0


async def _forever() -> None:
    await asyncio.sleep(3600)


async def _ticker() -> Any:
    while True:
        yield 1
        await asyncio.sleep(0)


def _blocking_work() -> int:
    return sum(range(100))


class Soak(asynctest.TestCase):
    """One trivial test of each kind; the soak runs them in turn."""

    async def test_async(self) -> None:
        await asyncio.sleep(0)

    def test_sync(self) -> None:
        self.assertFalse(self.loop.is_closed())

    async def test_task_left_pending(self) -> None:
        self.loop.create_task(_forever())
        await asyncio.sleep(0)

    async def test_timer_left_pending(self) -> None:
        self.loop.call_later(3600, _blocking_work)
        await asyncio.sleep(0)

    async def test_executor(self) -> None:
        self.assertEqual(await self.loop.run_in_executor(None, _blocking_work), 4950)

    async def test_async_generator_left_open(self) -> None:
        self.generator = _ticker()
        self.assertEqual(await self.generator.__anext__(), 1)


KINDS = [name for name in dir(Soak) if name.startswith("test_")]


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def live_loops() -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, asyncio.AbstractEventLoop))


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def measure() -> dict[str, float]:
    gc.collect()
    gc.collect()
    return {
        "fds": open_fds(),
        "loops": live_loops(),
        "threads": threading.active_count(),
        "rss": rss_bytes(),
    }


class _CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def run_tests(n: int, batch: int = 500) -> unittest.TestResult:
    """Run n tests, kinds in turn, in suites of ``batch`` tests (as a runner would)."""
    result = unittest.TestResult()
    done = 0
    while done < n:
        size = min(batch, n - done)
        suite = unittest.TestSuite(Soak(KINDS[(done + i) % len(KINDS)]) for i in range(size))
        suite.run(result)
        done += size
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=10_000, help="tests to run (10000)")
    args = parser.parse_args(argv)
    if args.tests < 1:
        parser.error("--tests must be at least 1")

    handler = _CountingHandler()
    logging.getLogger("asyncio").addHandler(handler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warm = run_tests(len(KINDS) * 10)
        before = measure()
        start = time.perf_counter()
        result = run_tests(args.tests)
        elapsed = time.perf_counter() - start
        after = measure()
    logging.getLogger("asyncio").removeHandler(handler)

    problems = [text for _, text in warm.errors + warm.failures + result.errors + result.failures]
    grown_mb = (after["rss"] - before["rss"]) / 1e6
    print(f"Python {sys.version.split()[0]}: {result.testsRun} tests "
          f"({len(KINDS)} kinds in turn) in {elapsed:.2f} s")
    print(f"  {'':28} {'before':>10} {'after':>10}")
    print(f"  {'open file descriptors':28} {before['fds']:>10} {after['fds']:>10}")
    print(f"  {'live event loops':28} {before['loops']:>10} {after['loops']:>10}")
    print(f"  {'live threads':28} {before['threads']:>10} {after['threads']:>10}")
    print(f"  {'resident memory (MB)':28} {before['rss'] / 1e6:>10.1f} {after['rss'] / 1e6:>10.1f}")
    verdicts = [
        ("tests passed", not problems and result.testsRun == args.tests,
         f"{result.testsRun - len(problems)}/{args.tests}"),
        ("no file descriptor left", after["fds"] <= before["fds"],
         f"{after['fds'] - before['fds']:+d}"),
        ("no event loop left", after["loops"] <= before["loops"],
         f"{after['loops'] - before['loops']:+d}"),
        ("no thread left", after["threads"] <= before["threads"],
         f"{after['threads'] - before['threads']:+d}"),
        (f"memory grew < {RSS_LIMIT_MB:g} MB", grown_mb < RSS_LIMIT_MB, f"{grown_mb:+.2f} MB"),
        ("no warning", not caught, f"{len(caught)}"),
        ("no asyncio error logged", not handler.records, f"{len(handler.records)}"),
    ]
    for label, ok, figure in verdicts:
        print(f"{'PASS' if ok else 'FAIL'} {label}: {figure}")
    for text in problems[:1]:
        print(f"first test problem:\n{text}")
    for warning in caught[:3]:
        print(f"warning: {warning.category.__name__}: {warning.message} "
              f"({warning.filename}:{warning.lineno})")
    for record in handler.records[:3]:
        print(f"asyncio log: {record.getMessage()}")
    return 0 if all(ok for _, ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
