"""What deadlock detection costs a busy test: the same test with the check on and off.

Two tests, each run with ``deadlock`` on (the default) and off
(``@fail_on(deadlock=False)``), in turn within each round, in an order that
rotates from one round to the next; the median of the rounds is kept:

- ``sleep0``: 100,000 ``await asyncio.sleep(0)`` round trips;
- ``echo``: 10,000 request/response round trips over a loopback socket pair
  (asyncio streams on both ends).

Deadlock detection is a hook the TestSelector calls before every ``select()``
of the loop; it looks further only when the loop is about to wait with no
timeout. Target: on/off ≤ 1.05 for both. Exit status 0 when both targets are
met, 1 when one is missed, 2 when a benchmark test did not pass.

    python bench/busy.py                     # 100,000 / 10,000, median of 5 rounds
    python bench/busy.py --scale 0.01 --rounds 1   # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import time
import unittest

import asynctest

TARGET = 1.05


def make_cases(sleeps: int, exchanges: int) -> dict[str, type]:
    """A TestCase class per workload, each with the test on and off."""

    async def sleep0(self: asynctest.TestCase) -> None:
        for _ in range(sleeps):
            await asyncio.sleep(0)

    async def echo(self: asynctest.TestCase) -> None:
        left, right = socket.socketpair()
        server_reader, server_writer = await asyncio.open_connection(sock=left)
        client_reader, client_writer = await asyncio.open_connection(sock=right)

        async def serve() -> None:
            while True:
                line = await server_reader.readline()
                if not line:
                    break
                server_writer.write(line)

        server = asyncio.ensure_future(serve())
        for _ in range(exchanges):
            client_writer.write(b"ping\n")
            await client_reader.readline()
        client_writer.close()
        await server
        server_writer.close()

    cases = {}
    for name, body in (("sleep0", sleep0), ("echo", echo)):
        cases[name] = type(name, (asynctest.TestCase,), {
            "test_on": body,
            "test_off": asynctest.fail_on(deadlock=False)(_copy(body)),
        })
    return cases


def _copy(function: object) -> object:
    async def copy(self: asynctest.TestCase) -> None:
        await function(self)  # type: ignore[operator]

    return copy


def run_one(cls: type, name: str) -> float:
    result = unittest.TestResult()
    case = cls(name)
    started = time.perf_counter()
    case.run(result)
    elapsed = time.perf_counter() - started
    if not result.wasSuccessful():
        for _, text in result.errors + result.failures:
            sys.stderr.write(text)
        raise SystemExit(2)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the workloads (default 1: 100,000 / 10,000)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if args.scale <= 0 or args.rounds < 1:
        parser.error(
            f"--scale must be > 0 and --rounds at least 1 (got {args.scale}, {args.rounds})"
        )
    cases = make_cases(max(1, int(100_000 * args.scale)), max(1, int(10_000 * args.scale)))
    times: dict[tuple[str, str], list[float]] = {
        (workload, mode): [] for workload in cases for mode in ("on", "off")
    }
    for round_number in range(args.rounds):
        for workload, cls in cases.items():
            modes = ["on", "off"] if round_number % 2 == 0 else ["off", "on"]
            for mode in modes:
                times[(workload, mode)].append(run_one(cls, f"test_{mode}"))
    version = ".".join(map(str, sys.version_info[:3]))
    print(f"Python {version}, scale {args.scale}, median of {args.rounds} round(s)")
    status = 0
    for workload in cases:
        on = statistics.median(times[(workload, "on")])
        off = statistics.median(times[(workload, "off")])
        ratio = on / off
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        if verdict == "FAIL":
            status = 1
        print(f"{workload:8} deadlock on {on * 1000:9.1f} ms   off {off * 1000:9.1f} ms   "
              f"on/off {ratio:.3f}   {verdict} (target <= {TARGET})")
    return status


if __name__ == "__main__":
    sys.exit(main())
