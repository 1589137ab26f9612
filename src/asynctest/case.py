"""asynctest 0.13's ``asynctest.case`` module path (re-exports only)."""

from ._unittest.case import FunctionTestCase, TestCase
from ._unittest.clocked import ClockedTestCase

__all__ = ["TestCase", "FunctionTestCase", "ClockedTestCase"]
