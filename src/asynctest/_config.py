"""Run-wide defaults of asynctest and where they come from.

Precedence, lowest first: environment variables < command line options
(``python -m asynctest``) < class attributes < decorators. This module holds
the first two; the front-end applies the last two on top.

=====================  ====================  ===================================
environment            command line          meaning
=====================  ====================  ===================================
``ASYNCTEST_STRICT=1``  ``--strict``          every check on (as ``@strict``)
``ASYNCTEST_LOOP=X``    ``--loop X``          loop of every test: ``asyncio``,
                                             ``uvloop`` or ``MODULE:CALLABLE``
``ASYNCTEST_DEBUG=1``   ``--debug``           loops run in asyncio debug mode
``ASYNCTEST_TIMEOUT=S`` ``--timeout S``       each phase of a test bounded to S
                                             real seconds
``ASYNCTEST_AUTOJUMP=T`` ``--autojump T``     the virtual clock of every
                                             ClockedTestCase jumps to the next
                                             timer after T real seconds idle
=====================  ====================  ===================================
"""

from __future__ import annotations

import asyncio
import importlib
import os
import re
import unittest
from dataclasses import dataclass, replace
from typing import Callable, Mapping, Optional

# Tells unittest to leave this module's frames out of tracebacks: a bad
# variable's error is then its message alone.
__unittest = True

LoopFactory = Callable[[], asyncio.AbstractEventLoop]

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class Defaults:
    """The defaults every asynctest TestCase starts from."""

    strict: bool = False
    loop: Optional[str] = None
    loop_factory: Optional[LoopFactory] = None
    debug: bool = False
    timeout: Optional[float] = None
    autojump: Optional[float] = None


def parse_flag(name: str, value: str) -> bool:
    """An environment flag as a bool, or ValueError naming it and what is accepted."""
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{name}={value!r} is not a flag; use 1 or 0 (also true/false, yes/no)")


def check_seconds(value: object, where: str, allow_zero: bool = False) -> float:
    """``value`` as a number of seconds, or a TypeError / ValueError naming it.

    Accepted: an int or float, finite and > 0 (>= 0 with ``allow_zero``).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"{where}: {value!r} is not a number of seconds; use an int or a float "
            f"(or None for no limit)"
        )
    seconds = float(value)
    if seconds != seconds or seconds in (float("inf"), float("-inf")) or seconds < 0 or (
        seconds == 0 and not allow_zero
    ):
        accepted = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"{where}: {value!r} is not a valid number of seconds; use a finite number "
            f"{accepted} (or None for no limit)"
        )
    return seconds


_ACCEPTED_LOOPS = (
    "use 'asyncio', 'uvloop' or 'MODULE:CALLABLE' (a callable returning a new event loop)"
)


def resolve_loop(spec: str, source: str = "--loop") -> LoopFactory:
    """The loop factory named by ``spec``: ``asyncio``, ``uvloop`` or ``MODULE:CALLABLE``.

    Raises ValueError naming ``spec`` as it was set (``source``: the option,
    ``--loop``, or the variable, ``ASYNCTEST_LOOP``) and what is accepted when it
    names nothing importable or callable, and saying how to install uvloop when
    it is missing.
    """
    if spec == "asyncio":
        return asyncio.new_event_loop
    where = f"{source} {spec!r}" if source.startswith("-") else f"{source}={spec!r}"
    if spec == "uvloop":
        try:
            uvloop = importlib.import_module("uvloop")
        except ImportError:
            raise ValueError(
                f"{where}: uvloop is not installed; install it with "
                "'pip install asynctest-ng[uvloop]'"
            ) from None
        factory: LoopFactory = uvloop.new_event_loop
        return factory
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"{where}: unknown loop; {_ACCEPTED_LOOPS}")
    try:
        target: object = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(
            f"{where}: cannot import module {module_name!r} ({exc}); {_ACCEPTED_LOOPS}"
        ) from None
    for part in attr.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ValueError(
                f"{where}: {module_name!r} has no attribute {attr!r}; {_ACCEPTED_LOOPS}"
            ) from None
    if not callable(target):
        raise ValueError(f"{where}: {target!r} is not callable; {_ACCEPTED_LOOPS}")
    return target  # type: ignore[return-value]


def parse_timeout(name: str, text: str) -> float:
    """A timeout given as text (``--timeout``, ``ASYNCTEST_TIMEOUT``): seconds > 0.

    Raises ValueError naming ``name``, the value and what is accepted.
    """
    try:
        value = float(text)
    except ValueError:
        raise ValueError(
            f"{name}={text!r} is not a number of seconds; use a finite number > 0, e.g. 5 or 0.5"
        ) from None
    try:
        return check_seconds(value, f"{name}={text!r}")
    except ValueError:
        raise ValueError(
            f"{name}={text!r} is not a valid timeout; use a finite number of seconds > 0"
        ) from None


def check_threshold(value: object, where: str) -> Optional[float]:
    """``value`` as an autojump threshold: None (manual clock) or real seconds >= 0.

    Raises TypeError / ValueError naming ``where`` and the value otherwise
    (a bool, a string, NaN, infinity, a negative number).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"{where}: {value!r} is not an autojump threshold; use a number of real "
            f"seconds >= 0 (0: jump as soon as the loop is idle) or None (manual clock)"
        )
    seconds = float(value)
    if seconds != seconds or seconds in (float("inf"), float("-inf")) or seconds < 0:
        raise ValueError(
            f"{where}: {value!r} is not a valid autojump threshold; use a finite number "
            f"of real seconds >= 0 (0: jump as soon as the loop is idle) or None "
            f"(manual clock)"
        )
    return seconds


def parse_autojump(name: str, text: str) -> float:
    """An autojump threshold given as text (``--autojump``, ``ASYNCTEST_AUTOJUMP``).

    Raises ValueError naming ``name``, the value and what is accepted.
    """
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise ValueError(
            f"{name}={text!r} is not a valid autojump threshold; use a finite number of "
            f"real seconds >= 0, e.g. 0 (jump as soon as the loop is idle) or 0.05"
        )
    return value


def from_environment(environ: Mapping[str, str]) -> Defaults:
    """The defaults set by ``ASYNCTEST_*`` variables (errors name the variable)."""
    defaults = Defaults()
    if "ASYNCTEST_STRICT" in environ:
        strict = parse_flag("ASYNCTEST_STRICT", environ["ASYNCTEST_STRICT"])
        defaults = replace(defaults, strict=strict)
    if "ASYNCTEST_DEBUG" in environ:
        debug = parse_flag("ASYNCTEST_DEBUG", environ["ASYNCTEST_DEBUG"])
        defaults = replace(defaults, debug=debug)
    raw_timeout = environ.get("ASYNCTEST_TIMEOUT", "").strip()
    if raw_timeout:
        defaults = replace(defaults, timeout=parse_timeout("ASYNCTEST_TIMEOUT", raw_timeout))
    raw_autojump = environ.get("ASYNCTEST_AUTOJUMP", "").strip()
    if raw_autojump:
        defaults = replace(
            defaults, autojump=parse_autojump("ASYNCTEST_AUTOJUMP", raw_autojump)
        )
    spec = environ.get("ASYNCTEST_LOOP", "").strip()
    if spec:
        factory = resolve_loop(spec, "ASYNCTEST_LOOP")
        defaults = replace(defaults, loop=spec, loop_factory=factory)
    return defaults


_current: Optional[Defaults] = None
# The variable of a bad environment, once reported (by the first test that read it).
_reported_error: Optional[str] = None


def current() -> Defaults:
    """The defaults in force: the command line's, else the environment's (read once).

    A bad ``ASYNCTEST_*`` variable raises its ValueError once, so that the
    first test reports it as an error; every later call raises unittest's
    SkipTest pointing to that error (one report per run, not one per test).
    """
    global _current, _reported_error
    if _current is None:
        if _reported_error is not None:
            raise unittest.SkipTest(
                f"not run: {_reported_error} is invalid (reported once, as the error of "
                f"the first test)"
            )
        try:
            _current = from_environment(os.environ)
        except ValueError as exc:
            named = re.match(r"ASYNCTEST_\w+", str(exc))
            _reported_error = named.group() if named else "an ASYNCTEST_* variable"
            raise
    return _current


def set_current(defaults: Optional[Defaults]) -> None:
    """Replace the defaults in force (the command line does); None: read the environment again."""
    global _current, _reported_error
    _current = defaults
    _reported_error = None
