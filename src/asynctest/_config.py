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
=====================  ====================  ===================================
"""

from __future__ import annotations

import asyncio
import importlib
import os
from dataclasses import dataclass, replace
from typing import Callable, Mapping, Optional

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


def resolve_loop(spec: str) -> LoopFactory:
    """The loop factory named by ``spec``: ``asyncio``, ``uvloop`` or ``MODULE:CALLABLE``.

    Raises ValueError naming ``spec`` and what is accepted when it names nothing
    importable or callable, and saying how to install uvloop when it is missing.
    """
    if spec == "asyncio":
        return asyncio.new_event_loop
    if spec == "uvloop":
        try:
            uvloop = importlib.import_module("uvloop")
        except ImportError:
            raise ValueError(
                "--loop uvloop: uvloop is not installed; install it with "
                "'pip install asynctest-ng[uvloop]'"
            ) from None
        factory: LoopFactory = uvloop.new_event_loop
        return factory
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"unknown loop {spec!r}; {_ACCEPTED_LOOPS}")
    try:
        target: object = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(
            f"loop {spec!r}: cannot import module {module_name!r} ({exc}); {_ACCEPTED_LOOPS}"
        ) from None
    for part in attr.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ValueError(
                f"loop {spec!r}: {module_name!r} has no attribute {attr!r}; {_ACCEPTED_LOOPS}"
            ) from None
    if not callable(target):
        raise ValueError(f"loop {spec!r}: {target!r} is not callable; {_ACCEPTED_LOOPS}")
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
    spec = environ.get("ASYNCTEST_LOOP", "").strip()
    if spec:
        try:
            factory = resolve_loop(spec)
        except ValueError as exc:
            raise ValueError(f"ASYNCTEST_LOOP: {exc}") from None
        defaults = replace(defaults, loop=spec, loop_factory=factory)
    return defaults


_current: Optional[Defaults] = None


def current() -> Defaults:
    """The defaults in force: the command line's, else the environment's (read once)."""
    global _current
    if _current is None:
        _current = from_environment(os.environ)
    return _current


def set_current(defaults: Optional[Defaults]) -> None:
    """Replace the defaults in force (the command line does); None: read the environment again."""
    global _current
    _current = defaults
