"""What the virtual clock costs: autojump and advance() against the loop's own pace.

Three measures, each the median over several rounds (the variants of a round
run in turn, in an order rotated every round, so that noise from the machine
falls on all of them alike):

(a) a day-long sleep: a ``ClockedTestCase`` test ``await asyncio.sleep(86400)``
    under ``autojump_threshold = 0``, against an empty clocked test (both run
    as suites of ``--tests`` tests; the difference per test is reported).
    Target: at most 5 ms more.
(b) ``--timers`` timers (``loop.call_later``, random delays over a simulated
    day, a trivial callback) under autojump, from the first ``call_later`` to
    the end of ``await asyncio.sleep(86400)``; against the floor: a bare
    asyncio loop (``asyncio.new_event_loop``) running the same timers, in the
    same order, all already due (``call_at`` in the past), from the first
    ``call_at`` until the last has run: the loop's own cost to schedule and
    run them. Target: at most 1.5x the floor.
(c) the same timers under one ``await self.advance(86400)`` (manual clock).
    Target: at most 1.5x the floor.
(d) with ``--compare TIMERS``, instead: the same timers (fewer: looptime
    takes minutes for 20,000) on the loops of looptime and async-solipsism
    when they are installed, against the floor and asynctest's autojump.

Times are CPU time of the process (``time.process_time``): nothing measured
waits for anything (the clock jumps at once), and CPU time is steadier than
wall time on a shared machine.

Exit status: 0 when every target is met, 1 when one is missed, 2 when a run
went wrong (a test failed, a timer did not run): its timing would mean nothing.

    python bench/clock.py                                   # 100,000 timers, 5 rounds
    python bench/clock.py --timers 2000 --tests 20 --rounds 1   # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.metadata
import random
import statistics
import sys
import time
import unittest
from typing import Callable

import asynctest

DAY = 86400.0
SLEEP_TARGET_MS = 5.0
TIMERS_TARGET = 1.5


class Broken(Exception):
    """A benchmark run did not do what it measures."""


def _delays(n: int) -> list[float]:
    rng = random.Random(20261130)
    return [rng.uniform(0.0, DAY) for _ in range(n)]


# -- (a) a day-long sleep ------------------------------------------------------------


class _Jumping(asynctest.ClockedTestCase):
    autojump_threshold = 0


async def _sleep_a_day(self: asynctest.ClockedTestCase) -> None:
    await asyncio.sleep(DAY)


async def _empty(self: asynctest.ClockedTestCase) -> None:
    pass


def _suite_seconds(base: type, method: Callable[..., object], n: int) -> float:
    cls = type("Bench", (base,), {f"test_{i:05d}": method for i in range(n)})
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(cls)
    result = unittest.TestResult()
    gc.collect()
    started = time.process_time()
    suite.run(result)
    elapsed = time.process_time() - started
    if not result.wasSuccessful() or result.testsRun != n:
        problems = "\n".join(text for _, text in result.errors + result.failures)
        raise Broken(f"a benchmark test did not pass:\n{problems}")
    return elapsed


def sleep_a_day(n: int) -> float:
    """Seconds per test for a day-long sleep under autojump."""
    return _suite_seconds(_Jumping, _sleep_a_day, n) / n


def empty_clocked(n: int) -> float:
    """Seconds per test for an empty clocked test."""
    return _suite_seconds(_Jumping, _empty, n) / n


# -- (b), (c): many timers -----------------------------------------------------------


def floor(delays: list[float]) -> float:
    """A bare loop scheduling and running the timers, all already due."""
    ran = [0]

    def tick() -> None:
        ran[0] += 1

    async def main() -> float:
        loop = asyncio.get_running_loop()
        past = loop.time() - DAY - 1.0  # every timer due, in the same order
        started = time.process_time()
        for delay in delays:
            loop.call_at(past + delay, tick)
        while ran[0] < len(delays):
            await asyncio.sleep(0)
        return time.process_time() - started

    loop = asyncio.new_event_loop()
    try:
        gc.collect()
        elapsed = loop.run_until_complete(main())
    finally:
        loop.close()
    if ran[0] != len(delays):
        raise Broken(f"floor: {ran[0]} of {len(delays)} timers ran")
    return elapsed


def _clocked_timers(delays: list[float], autojump: bool) -> float:
    ran = [0]
    elapsed: list[float] = []

    def tick() -> None:
        ran[0] += 1

    class Timers(asynctest.ClockedTestCase):
        autojump_threshold = 0 if autojump else None

        async def test(self) -> None:
            loop = self.loop
            started = time.process_time()
            for delay in delays:
                loop.call_later(delay, tick)
            if autojump:
                await asyncio.sleep(DAY)
            else:
                await self.advance(DAY)
            elapsed.append(time.process_time() - started)
            if loop.time() != DAY:
                raise Broken(f"the clock reads {loop.time()} after a day")

    result = unittest.TestResult()
    gc.collect()
    Timers("test").run(result)
    if not result.wasSuccessful():
        problems = "\n".join(text for _, text in result.errors + result.failures)
        raise Broken(f"a benchmark test did not pass:\n{problems}")
    if ran[0] != len(delays):
        raise Broken(f"{ran[0]} of {len(delays)} timers ran")
    return elapsed[0]


def autojump_timers(delays: list[float]) -> float:
    return _clocked_timers(delays, autojump=True)


def advance_timers(delays: list[float]) -> float:
    return _clocked_timers(delays, autojump=False)


# -- (d) side by side with looptime and async-solipsism, where they are installed --------


def _bare_timers(loop: asyncio.AbstractEventLoop, delays: list[float]) -> float:
    ran = [0]

    def tick() -> None:
        ran[0] += 1

    async def main() -> float:
        started = time.process_time()
        for delay in delays:
            loop.call_later(delay, tick)
        await asyncio.sleep(DAY)
        return time.process_time() - started

    try:
        gc.collect()
        elapsed = loop.run_until_complete(main())
        now = loop.time()
    finally:
        loop.close()
    if ran[0] != len(delays) or now < DAY:
        raise Broken(f"{type(loop).__name__}: {ran[0]} of {len(delays)} timers ran")
    return elapsed


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "(version unknown)"


def compare(n: int) -> int:
    """(d): the same timers on the loops of looptime and async-solipsism (one round)."""
    delays = _delays(n)
    rows: list[tuple[str, float]] = [("floor: bare loop, timers due", floor(delays)),
                                     ("asynctest autojump", autojump_timers(delays))]
    try:
        import looptime  # type: ignore[import-not-found]

        rows.append((f"looptime {_version('looptime')}",
                     _bare_timers(looptime.new_event_loop(), delays)))
    except ImportError:
        print("looptime: not installed")
    try:
        import async_solipsism  # type: ignore[import-not-found]

        rows.append((f"async-solipsism {_version('async-solipsism')}",
                     _bare_timers(async_solipsism.EventLoop(), delays)))
    except ImportError:
        print("async-solipsism: not installed")
    print(f"Python {sys.version.split()[0]}, {n:,} timers over a simulated day, one round")
    for label, seconds in rows:
        print(f"compare {label:<30}{seconds * 1e3:11.1f} ms  {seconds / rows[0][1]:7.2f}x floor")
    return 0


# -- the report ------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timers", type=int, default=100_000)
    parser.add_argument("--tests", type=int, default=200, help="tests per suite for (a)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--compare", type=int, metavar="TIMERS", default=0,
                        help="(d) only: TIMERS timers on looptime's and async-solipsism's loops")
    args = parser.parse_args(argv)
    if args.compare:
        try:
            return compare(args.compare)
        except Broken as exc:
            print(f"error: {exc}")
            return 2
    delays = _delays(args.timers)
    variants: list[tuple[str, Callable[[], float]]] = [
        ("empty", lambda: empty_clocked(args.tests)),
        ("sleep", lambda: sleep_a_day(args.tests)),
        ("floor", lambda: floor(delays)),
        ("autojump", lambda: autojump_timers(delays)),
        ("advance", lambda: advance_timers(delays)),
    ]
    times: dict[str, list[float]] = {key: [] for key, _ in variants}
    try:
        for round_ in range(args.rounds):
            shift = round_ % len(variants)
            for key, run in variants[shift:] + variants[:shift]:
                times[key].append(run())
    except Broken as exc:
        print(f"error: {exc}")
        return 2
    med = {key: statistics.median(values) for key, values in times.items()}
    print(f"Python {sys.version.split()[0]}, {args.timers:,} timers, {args.tests} tests "
          f"per suite, median of {args.rounds} round(s)")
    print(f"empty clocked test            {med['empty'] * 1e3:9.3f} ms/test")
    print(f"sleep(86400) under autojump   {med['sleep'] * 1e3:9.3f} ms/test")
    print(f"floor: bare loop, timers due  {med['floor'] * 1e3:9.1f} ms")
    ratios = {}
    for key, label in (("autojump", "autojump"), ("advance", "one advance()")):
        ratios[key] = med[key] / med["floor"]
        print(f"ratio {label:<24}{med[key] * 1e3:9.1f} ms  {ratios[key]:.2f}x floor")
    ok = True
    extra = (med["sleep"] - med["empty"]) * 1e3
    verdict = "PASS" if extra <= SLEEP_TARGET_MS else "FAIL"
    ok &= verdict == "PASS"
    print(f"{verdict} (a) a day-long sleep: {extra:+.3f} ms over an empty clocked test "
          f"(target <= {SLEEP_TARGET_MS:g} ms)")
    for key, label in (("autojump", "(b) timers under autojump"),
                       ("advance", "(c) timers under one advance()")):
        verdict = "PASS" if ratios[key] <= TIMERS_TARGET else "FAIL"
        ok &= verdict == "PASS"
        print(f"{verdict} {label}: {ratios[key]:.2f}x floor (target <= {TIMERS_TARGET:g}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
