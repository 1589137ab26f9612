"""asynctest 0.13's ``asynctest.case`` module path (re-exports only)."""

from unittest import SkipTest, expectedFailure, skip, skipIf, skipUnless

from ._unittest.case import FunctionTestCase, TestCase
from ._unittest.clocked import ClockedTestCase
from ._unittest.decorators import fail_on, lenient, strict
from ._unittest.legacy import ignore_loop

__all__ = [
    "TestCase",
    "FunctionTestCase",
    "ClockedTestCase",
    "fail_on",
    "strict",
    "lenient",
    "ignore_loop",
    # unittest.case's names, which 0.13's asynctest.case re-exported
    "SkipTest",
    "expectedFailure",
    "skip",
    "skipIf",
    "skipUnless",
]
