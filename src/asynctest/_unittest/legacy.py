"""Old spellings that suites written for asynctest 0.13 still use.

- :class:`Legacy`, a mixin of ``asynctest.TestCase``: the ``unittest.TestCase``
  method aliases that Python 3.12 removed (``assertEquals``, ``failUnless``,
  ...) and ``assertDictContainsSubset``, on every Python, each warning with a
  DeprecationWarning that names the method to use instead; and 0.13's
  ``loop = None`` outside a test.
- :func:`ignore_loop`: 0.13's deprecated decorator, the same as
  ``fail_on(unused_loop=False)``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Callable, Optional, TypeVar, overload

from .decorators import fail_on

__all__ = ["ALIASES", "Legacy", "ignore_loop"]

T = TypeVar("T")

# Tells unittest to leave this module's frames out of failure tracebacks.
__unittest = True

#: Each removed alias and the method it stands for.
ALIASES: dict[str, str] = {
    "assertEquals": "assertEqual",
    "assertNotEquals": "assertNotEqual",
    "assertAlmostEquals": "assertAlmostEqual",
    "assertNotAlmostEquals": "assertNotAlmostEqual",
    "assertRegexpMatches": "assertRegex",
    "assertNotRegexpMatches": "assertNotRegex",
    "assertRaisesRegexp": "assertRaisesRegex",
    "assert_": "assertTrue",
    "failUnless": "assertTrue",
    "failIf": "assertFalse",
    "failUnlessEqual": "assertEqual",
    "failIfEqual": "assertNotEqual",
    "failUnlessAlmostEqual": "assertAlmostEqual",
    "failIfAlmostEqual": "assertNotAlmostEqual",
    "failUnlessRaises": "assertRaises",
}


def _alias(old: str) -> Callable[..., Any]:
    new = ALIASES[old]

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        warnings.warn(
            f"{old}() is a deprecated alias (removed from unittest in Python 3.12); "
            f"use {new}() instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, new)(*args, **kwargs)

    method.__name__ = old
    method.__qualname__ = f"Legacy.{old}"
    method.__doc__ = (
        f"Deprecated alias of ``{new}`` (removed from unittest in Python 3.12); "
        f"warns, then calls ``{new}``."
    )
    return method


class Legacy:
    """What asynctest 0.13 suites expect of a TestCase besides the current API.

    Mixed into :class:`asynctest.TestCase` ahead of ``unittest.TestCase``, so the
    same methods, with the same warnings, are used on 3.9 to 3.13.
    """

    #: 0.13's value of ``self.loop`` outside a test (before and after it).
    loop: Any = None

    assertEquals = _alias("assertEquals")
    assertNotEquals = _alias("assertNotEquals")
    assertAlmostEquals = _alias("assertAlmostEquals")
    assertNotAlmostEquals = _alias("assertNotAlmostEquals")
    assertRegexpMatches = _alias("assertRegexpMatches")
    assertNotRegexpMatches = _alias("assertNotRegexpMatches")
    assertRaisesRegexp = _alias("assertRaisesRegexp")
    assert_ = _alias("assert_")
    failUnless = _alias("failUnless")
    failIf = _alias("failIf")
    failUnlessEqual = _alias("failUnlessEqual")
    failIfEqual = _alias("failIfEqual")
    failUnlessAlmostEqual = _alias("failUnlessAlmostEqual")
    failIfAlmostEqual = _alias("failIfAlmostEqual")
    failUnlessRaises = _alias("failUnlessRaises")

    def assertDictContainsSubset(
        self, subset: Mapping[Any, Any], dictionary: Mapping[Any, Any], msg: Any = None
    ) -> None:
        """Deprecated: fail unless every key of ``subset`` is in ``dictionary`` with an equal value.

        Removed from unittest in Python 3.12; use
        ``self.assertEqual(dictionary, {**dictionary, **subset})`` instead.
        """
        warnings.warn(
            "assertDictContainsSubset() is deprecated (removed from unittest in Python "
            "3.12); use assertEqual(dictionary, {**dictionary, **subset}) instead",
            DeprecationWarning,
            stacklevel=2,
        )
        missing = [key for key in subset if key not in dictionary]
        different = [
            key for key in subset if key in dictionary and subset[key] != dictionary[key]
        ]
        if not missing and not different:
            return
        problems = []
        if missing:
            problems.append("missing keys: " + ", ".join(map(repr, missing)))
        for key in different:
            problems.append(
                f"key {key!r}: expected {subset[key]!r}, got {dictionary[key]!r}"
            )
        standard = "dictionary does not contain the subset; " + "; ".join(problems)
        self.fail(self._formatMessage(msg, standard))  # type: ignore[attr-defined]


@overload
def ignore_loop(func: None = None) -> Callable[[T], T]: ...


@overload
def ignore_loop(func: T) -> T: ...


def ignore_loop(func: Optional[Any] = None) -> Any:
    """Deprecated (as in asynctest 0.13): the same as ``@fail_on(unused_loop=False)``.

    Works bare (``@ignore_loop``) or called (``@ignore_loop()``), on a test
    method or a TestCase class; warns with a DeprecationWarning.
    """
    warnings.warn(
        "ignore_loop() is deprecated; use @fail_on(unused_loop=False) instead",
        DeprecationWarning,
        stacklevel=2,
    )
    decorate = fail_on(unused_loop=False)
    return decorate if func is None else decorate(func)
