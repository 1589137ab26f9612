"""``python -m asynctest``: ``python -m unittest`` with asynctest's run-wide defaults.

Usage: ``python -m asynctest [--strict] [--timeout SECONDS]
[--loop asyncio|uvloop|MODULE:CALLABLE] [--debug] [--autojump THRESHOLD]
[unittest arguments]``. The
options set the defaults of every asynctest TestCase of the run, over the
``ASYNCTEST_*`` environment variables; explicit class attributes and
decorators still win. Everything else (test names, discovery, ``-v``, ``-k``
...) is passed to unittest as is.
"""

from __future__ import annotations

import os
import sys
import unittest
from dataclasses import replace
from typing import Any, Callable, Optional, Sequence

from . import _config

# asynctest's own options as usage lines show them, one line of usage each (a
# new option goes here, in USAGE's list below and in parse()).
_OPTION_LINES = (
    "[--strict] [--timeout SECONDS]",
    "[--loop asyncio|uvloop|MODULE:CALLABLE] [--debug]",
    "[--autojump THRESHOLD]",
)
OPTIONS = " ".join(_OPTION_LINES)
_INDENT = "\n" + " " * len("usage: python -m asynctest ")
SHORT_USAGE = (
    f"usage: python -m asynctest {_INDENT.join(_OPTION_LINES)}{_INDENT}[unittest arguments]\n"
)

USAGE = f"""\
{SHORT_USAGE}
asynctest options (defaults for every asynctest TestCase of the run):
  --strict         turn every post-test check on (as @asynctest.strict)
  --timeout S      bound each phase of every test (setUp, the test, tearDown, each
                   cleanup) to S real seconds (as @asynctest.timeout(S))
  --loop LOOP      the event loop of every test: asyncio, uvloop, or MODULE:CALLABLE
                   (a callable returning a new loop)
  --debug          run every test's loop in asyncio debug mode
  --autojump T     the virtual clock of every ClockedTestCase jumps to the next
                   timer once its loop is idle for T real seconds (0: at once;
                   as ClockedTestCase.autojump_threshold = T)

The same defaults can be set with ASYNCTEST_STRICT=1, ASYNCTEST_TIMEOUT=S,
ASYNCTEST_LOOP=..., ASYNCTEST_DEBUG=1, ASYNCTEST_AUTOJUMP=T.
The unittest arguments follow; unittest's own help comes next.
"""


class UsageError(Exception):
    """A bad command line: the message says what was wrong and what is accepted."""


def parse(argv: Sequence[str], base: _config.Defaults) -> tuple[_config.Defaults, list[str], bool]:
    """Split ``argv`` into asynctest's defaults, unittest's arguments and a help flag."""
    defaults = base
    rest: list[str] = []
    wants_help = False
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i + 1:])
            break
        if arg == "--strict":
            defaults = replace(defaults, strict=True)
        elif arg == "--debug":
            defaults = replace(defaults, debug=True)
        elif arg.partition("=")[0] in _VALUED:
            name = arg.partition("=")[0]
            accepted, read = _VALUED[name]
            text, i = _option_value(args, i, accepted)
            try:
                defaults = replace(defaults, **read(text))
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        else:
            if arg in ("-h", "--help"):
                wants_help = True
            rest.append(arg)
        i += 1
    return defaults, rest, wants_help


# The options that take a value: what is accepted (for "needs a value"), and
# the defaults the value sets (ValueError naming it when it is bad).
_VALUED: dict[str, tuple[str, Callable[[str], dict[str, Any]]]] = {
    "--timeout": ("a number of seconds > 0",
                  lambda text: {"timeout": _config.parse_timeout("--timeout", text)}),
    "--autojump": ("a threshold in real seconds >= 0 (e.g. 0)",
                   lambda text: {"autojump": _config.parse_autojump("--autojump", text)}),
    "--loop": ("asyncio, uvloop or MODULE:CALLABLE",
               lambda text: {"loop": text, "loop_factory": _config.resolve_loop(text)}),
}


def _option_value(args: list[str], i: int, accepted: str) -> tuple[str, int]:
    """The value of the option at ``args[i]`` (``--name value`` or ``--name=value``)
    and the index of the option's last argument."""
    name, sep, value = args[i].partition("=")
    if sep:
        return value, i
    if i + 1 >= len(args):
        raise UsageError(f"{name} needs a value: {accepted}")
    return args[i + 1], i + 1


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run ``python -m asynctest`` with ``argv`` (default: ``sys.argv[1:]``)."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        base = _config.from_environment(os.environ)
        defaults, rest, wants_help = parse(args, base)
    except (UsageError, ValueError) as exc:
        if isinstance(exc, UsageError):
            sys.stderr.write(SHORT_USAGE)
        sys.stderr.write(f"python -m asynctest: error: {exc}\n")
        raise SystemExit(2) from None
    if wants_help:
        sys.stdout.write(USAGE + "\n")
    _config.set_current(defaults)
    _Program(module=None, argv=["python -m asynctest", *rest])


class _Program(unittest.TestProgram):
    """``unittest.main`` whose usage errors also list asynctest's own options."""

    def parseArgs(self, argv: list[str]) -> None:
        try:
            super().parseArgs(argv)
        except SystemExit as exc:
            if exc.code == 2:  # argparse's usage error, after its usage and message
                sys.stderr.write(
                    f"asynctest options: {OPTIONS}\n"
                    f"(python -m asynctest -h describes them all)\n"
                )
            raise
