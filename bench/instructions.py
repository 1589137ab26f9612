"""What a trivial async test costs, in CPU instructions: deterministic figures.

The variants of ``overhead.py`` (the floor, ``asynctest.TestCase``, and
``asynctest.TestCase`` under ``@strict``), each run in a child process under
``valgrind --tool=callgrind``, which counts the instructions executed. Each
variant runs twice, with ``--tests`` tests and with ``--baseline`` tests, so
that the difference divided by the difference in tests is the cost of one test,
without Python's start-up and imports. Prints the instructions per test and the
ratio to the floor, and a verdict against the targets of ``overhead.py``.

Wall time on a shared machine varies by ±5 % from one run to the next, as much
as the margins being measured; instruction counts repeat to within about 0.3 %,
so a change of 1 % shows. They are not time: cache misses and system calls are
left out, so keep ``overhead.py`` as the measure of record.
``IsolatedAsyncioTestCase`` is left out (13 times the floor, it would take
minutes under valgrind).

    python bench/instructions.py                 # 1,000 tests (baseline 50)
    python bench/instructions.py --tests 200     # quicker

Exit status: 0 when the targets are met, 1 when one is missed, 2 when it could
not measure (valgrind missing, or a benchmark test did not pass).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import overhead

VARIANTS = ("floor", "asynctest", "strict")


def child(variant: str, tests: int, size: int) -> int:
    """Run ``tests`` tests of ``variant`` after a warm-up; the process valgrind counts.

    The classes have ``size`` tests whatever ``tests`` is, so that the two runs
    of a variant differ only by the tests they run.
    """
    classes = {key: cls for key, _, cls in overhead.build_variants(size)}
    cases = list(unittest.defaultTestLoader.loadTestsFromTestCase(classes[variant]))
    result = unittest.TestResult()
    unittest.TestSuite(cases[:5]).run(result)  # warm-up: imports, first-use caches
    unittest.TestSuite(cases[:tests]).run(result)
    problems = [text for _, text in result.errors + result.failures]
    if problems:
        print(f"ERROR: {variant}: {len(problems)} problem(s); first:\n{problems[0]}")
        return 2
    return 0


def count(valgrind: str, variant: str, tests: int, size: int) -> int:
    """Instructions executed by a child process running ``tests`` tests of ``variant``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        done = subprocess.run(
            [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}",
             sys.executable, os.path.abspath(__file__), "--child", variant, str(tests), str(size)],
            capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{variant} with {tests} tests exited with {done.returncode}:\n"
                f"{done.stdout}{done.stderr}"
            )
        found = re.search(r"Collected : (\d+)", done.stderr)
        if found is None:
            raise RuntimeError(f"valgrind printed no instruction count:\n{done.stderr}")
        return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=1000, help="tests per variant (1000)")
    parser.add_argument("--baseline", type=int, default=50,
                        help="tests of the run subtracted from it (50)")
    parser.add_argument("--child", nargs=3, metavar=("VARIANT", "TESTS", "SIZE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        variant, tests, size = args.child
        if variant not in VARIANTS:
            parser.error(f"--child: unknown variant {variant!r}; expected one of {VARIANTS}")
        return child(variant, int(tests), max(int(size), 5))
    if args.baseline < 1 or args.tests <= args.baseline:
        parser.error(
            f"--tests ({args.tests}) must be greater than --baseline ({args.baseline}), "
            f"which must be at least 1"
        )
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("ERROR: valgrind not found on PATH; install it (Debian: apt install valgrind) "
              "or measure wall time with bench/overhead.py")
        return 2

    per_test = {}
    try:
        for variant in VARIANTS:
            total = count(valgrind, variant, args.tests, args.tests)
            base = count(valgrind, variant, args.baseline, args.tests)
            per_test[variant] = (total - base) / (args.tests - args.baseline)
    except RuntimeError as exc:
        print(f"ERROR: {exc}")
        return 2

    print(f"Python {sys.version.split()[0]}, {args.tests} tests per variant "
          f"(minus a run of {args.baseline}), instructions counted by callgrind")
    labels = {key: label for key, label, _ in overhead.build_variants(1)}
    floor = per_test["floor"]
    for variant in VARIANTS:
        print(f"ratio {labels[variant]:<44} {per_test[variant] / 1000:9.1f} k/test "
              f"{per_test[variant] / floor:6.3f}x floor")
    failed = False
    for key, limit in overhead.TARGETS.items():
        ratio = per_test[key] / floor
        verdict = "PASS" if ratio <= limit else "FAIL"
        failed |= verdict == "FAIL"
        print(f"{verdict} {labels[key]}: {ratio:.3f}x floor in instructions (target <= {limit}x)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
