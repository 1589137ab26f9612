"""``fail_on``, ``strict`` and ``lenient``: turn post-test checks on and off.

Each decorator records its settings on the decorated function or class and
returns it unchanged. Settings are applied in order: the run-wide default
(``--strict``), then the classes from the most basic to the most derived, then
the method, innermost decorator first; so a method's decorator wins over its
class's.
"""

from __future__ import annotations

import unittest
import warnings
from collections.abc import Mapping
from typing import Any, Callable, Optional, TypeVar, overload

from .. import _config
from .._engine import checks

T = TypeVar("T")

#: Where a decorated function or class keeps its settings: a tuple of
#: ``(check name or "*", on)`` pairs, oldest first.
SETTINGS_ATTR = _ATTR = "__asynctest_fail_on__"
_ALL = checks.ALL


# Bumped by every decorator, so that cached resolutions never go stale.
generation = 0


def _record(target: T, settings: list[tuple[str, bool]], where: str) -> T:
    global generation
    generation += 1
    if not callable(target):
        raise TypeError(f"{where} decorates a test method or a TestCase class, not {target!r}")
    if isinstance(target, type):
        own = tuple(target.__dict__.get(_ATTR, ()))
    else:
        own = tuple(getattr(target, _ATTR, ()))
    setattr(target, _ATTR, own + tuple(settings))
    return target


def fail_on(**kwargs: bool) -> Callable[[T], T]:
    """Turn the named checks on (True) or off (False) for a test method or class.

    ``@fail_on(active_handles=True, unused_loop=False)``. An unknown name raises
    TypeError naming it and listing the known checks. As in asynctest 0.13, 0
    and 1 are taken as False and True; any other value that is not a bool is
    taken by its truth value, with a DeprecationWarning naming it.
    """
    checks.validate_names(kwargs, "fail_on()")
    settings = []
    for name, value in kwargs.items():  # a loop, not a comprehension: stacklevel
        settings.append((name, _as_bool(name, value)))

    def decorate(target: T) -> T:
        return _record(target, settings, "fail_on()")

    return decorate


def _as_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    warnings.warn(
        f"fail_on({name}={value!r}): the value should be True or False; "
        f"taken as {bool(value)}",
        DeprecationWarning,
        stacklevel=3,
    )
    return bool(value)


class _AllChecks:
    """A decorator turning every check on or off; bare (``@strict``) or called (``@strict()``)."""

    def __init__(self, value: bool, name: str) -> None:
        self._value = value
        self.__name__ = self.__qualname__ = name
        self.__doc__ = f"Turn every check {'on' if value else 'off'} for a test method or class."

    @overload
    def __call__(self, target: None = None) -> Callable[[T], T]: ...

    @overload
    def __call__(self, target: T) -> T: ...

    def __call__(self, target: Any = None) -> Any:
        settings = [(_ALL, self._value)]
        if target is None:
            return lambda t: _record(t, settings, f"{self.__name__}()")
        return _record(target, settings, f"@{self.__name__}")

    def __repr__(self) -> str:
        return f"asynctest.{self.__name__}"


strict = _AllChecks(True, "strict")
lenient = _AllChecks(False, "lenient")


def resolve(cls: type, method: Any, run_strict: bool) -> Mapping[str, bool]:
    """Which checks are on for ``method`` of ``cls``: defaults, classes, then the method."""
    return checks.resolve(settings_of(cls, method), run_strict)


def settings_of(cls: type, method: Any) -> list[tuple[tuple[str, bool], ...]]:
    """The settings of the decorators on ``cls`` (its bases first) and ``method``, in order."""
    layers = [klass.__dict__.get(_ATTR, ()) for klass in reversed(cls.__mro__)]
    layers.append(getattr(method, _ATTR, ()))
    return layers


def enabled_checks(cls: type, method: Any, run_strict: bool) -> tuple[checks.Check, ...]:
    """The checks that are on for ``method`` of ``cls``, in registration order.

    Callers cache the answer per class under ``generation`` (which every
    decorator bumps), the run's strictness and the method's own settings
    (``getattr(method, SETTINGS_ATTR, None)``): the answer depends on nothing else.
    """
    return checks.enabled(resolve(cls, method, run_strict))


#: Where ``@timeout`` keeps its seconds on a test method.
TIMEOUT_ATTR = "__asynctest_timeout__"


def timeout(seconds: Optional[float]) -> Callable[[T], T]:
    """Bound each phase of a test (setUp, the test, tearDown, each cleanup) to ``seconds``.

    On a test method, or on a TestCase class (as its ``timeout`` attribute).
    The phase that runs past it is cancelled and reported as a failure showing
    where every task was waiting; the other phases still run. ``None`` means
    no limit (e.g. one method of a class whose other tests have one).
    Seconds are real time, also under ClockedTestCase. Zero, negative, NaN,
    infinite or non-number seconds raise an error naming the value.
    """
    value = None if seconds is None else _config.check_seconds(seconds, f"timeout({seconds!r})")

    def decorate(target: T) -> T:
        if isinstance(target, type) and not issubclass(target, unittest.TestCase):
            raise TypeError(
                f"@timeout({seconds!r}) decorates a test method or a TestCase class, "
                f"not the class {target.__qualname__!r}"
            )
        return _set_on(target, f"@timeout({seconds!r})", "TestCase", "timeout", TIMEOUT_ATTR,
                       value)

    return decorate


def _set_on(target: T, decorator: str, kind: str, class_attr: str, method_attr: str,
            value: Any) -> T:
    # A class (already checked) gets the class attribute; a test method, its own.
    if isinstance(target, type):
        type.__setattr__(target, class_attr, value)
        return target
    if not callable(target) or isinstance(target, (staticmethod, classmethod)):
        raise TypeError(
            f"{decorator} decorates a test method or a {kind} class, not {target!r}"
        )
    setattr(target, method_attr, value)
    return target


#: Where ``@autojump`` keeps its threshold on a test method.
AUTOJUMP_ATTR = "__asynctest_autojump__"


_F = TypeVar("_F", bound=Callable[..., Any])


@overload
def autojump(threshold: _F) -> _F: ...


@overload
def autojump(threshold: Optional[float] = 0.0) -> Callable[[T], T]: ...


def autojump(threshold: Any = 0.0) -> Any:
    """Let the virtual clock of a ClockedTestCase run itself, for a test method or class.

    Once the loop has been idle (nothing ready, no I/O event) for ``threshold``
    real seconds, the clock jumps to the next timer's due time: a sleep of a
    day takes a few microseconds, timers still run in order, each at its own
    time. ``0`` (the default): jump as soon as the loop is idle with no I/O
    ready; a small positive threshold (e.g. 0.05) lets real I/O in flight
    (loopback sockets, subprocess pipes, executor threads) complete first.
    ``None``: manual clock (only ``advance()`` moves it), e.g. on one method
    of a class that jumps. Usable bare (``@autojump``) or called
    (``@autojump(0.05)``); on a class, it sets ``autojump_threshold``. A
    negative, NaN, infinite or non-number threshold raises an error naming it.
    """
    if callable(threshold):  # bare @autojump
        return autojump()(threshold)
    value = _config.check_threshold(threshold, f"autojump({threshold!r})")

    def decorate(target: T) -> T:
        if isinstance(target, type) and (
            not issubclass(target, unittest.TestCase)
            or not getattr(target, "_asynctest_virtual_clock", False)
        ):
            raise TypeError(
                f"@autojump({threshold!r}) decorates a ClockedTestCase or one of its "
                f"test methods, not the class {target.__qualname__!r} (only a "
                f"ClockedTestCase has a virtual clock)"
            )
        return _set_on(target, f"@autojump({threshold!r})", "ClockedTestCase",
                       "autojump_threshold", AUTOJUMP_ATTR, value)

    return decorate
