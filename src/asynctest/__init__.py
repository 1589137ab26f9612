"""asynctest: the unittest extension for testing asyncio code.

``import asynctest`` gives every name of :mod:`unittest` (``asynctest.main``,
``asynctest.skip``, ...) plus the names below; asynctest's own names win where
they coincide (``TestCase``, ``FunctionTestCase``, ``mock``).
"""

import unittest as _stdlib_unittest
from unittest import *  # noqa: F403

from ._engine.helpers import exhaust_callbacks
from ._unittest.case import FunctionTestCase, TestCase
from ._unittest.clocked import ClockedTestCase
from ._unittest.decorators import fail_on, lenient, strict

__version__ = "1.0.0.dev0"

_OWN = [
    "TestCase",
    "FunctionTestCase",
    "ClockedTestCase",
    "fail_on",
    "strict",
    "lenient",
    "exhaust_callbacks",
]

__all__ = sorted(set(_stdlib_unittest.__all__) | set(_OWN))
