"""The base of ``TestCase``: unittest's, seen by type checkers with async setUp/tearDown.

At run time ``TestCaseBase`` is ``unittest.TestCase`` itself. Type checkers
check an override against every base class, so a user's
``async def setUp(self) -> None`` would be an error against
``unittest.TestCase.setUp`` (which returns None) whatever our class declares.
For them, ``TestCaseBase`` therefore stands on an unknown base and takes
unittest's public API over by name, attribute by attribute: every call stays
type-checked, and ``setUp``/``tearDown`` may be coroutine functions.
tests/test_typing.py checks that the list follows unittest.TestCase.
"""

from __future__ import annotations

import sys
import unittest as _unittest
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Callable, Optional

if TYPE_CHECKING:
    _Unknown: Any = _unittest.TestCase

    class TestCaseBase(_Unknown):  # type: ignore[misc]
        """unittest.TestCase, with setUp and tearDown that may be coroutine functions."""

        def setUp(self) -> Optional[Awaitable[None]]: ...
        def tearDown(self) -> Optional[Awaitable[None]]: ...

        __init__ = _unittest.TestCase.__init__
        # unittest's method, or a bool when a class sets `debug = True` (asyncio debug mode).
        debug: Any
        addClassCleanup = _unittest.TestCase.addClassCleanup
        addCleanup = _unittest.TestCase.addCleanup
        addTypeEqualityFunc = _unittest.TestCase.addTypeEqualityFunc
        assertAlmostEqual = _unittest.TestCase.assertAlmostEqual
        assertCountEqual = _unittest.TestCase.assertCountEqual
        assertDictEqual = _unittest.TestCase.assertDictEqual
        assertEqual = _unittest.TestCase.assertEqual
        assertFalse = _unittest.TestCase.assertFalse
        assertGreater = _unittest.TestCase.assertGreater
        assertGreaterEqual = _unittest.TestCase.assertGreaterEqual
        assertIn = _unittest.TestCase.assertIn
        assertIs = _unittest.TestCase.assertIs
        assertIsInstance = _unittest.TestCase.assertIsInstance
        assertIsNone = _unittest.TestCase.assertIsNone
        assertIsNot = _unittest.TestCase.assertIsNot
        assertIsNotNone = _unittest.TestCase.assertIsNotNone
        assertLess = _unittest.TestCase.assertLess
        assertLessEqual = _unittest.TestCase.assertLessEqual
        assertListEqual = _unittest.TestCase.assertListEqual
        assertLogs = _unittest.TestCase.assertLogs
        assertMultiLineEqual = _unittest.TestCase.assertMultiLineEqual
        assertNotAlmostEqual = _unittest.TestCase.assertNotAlmostEqual
        assertNotEqual = _unittest.TestCase.assertNotEqual
        assertNotIn = _unittest.TestCase.assertNotIn
        assertNotIsInstance = _unittest.TestCase.assertNotIsInstance
        assertNotRegex = _unittest.TestCase.assertNotRegex
        assertRaises = _unittest.TestCase.assertRaises
        assertRaisesRegex = _unittest.TestCase.assertRaisesRegex
        assertRegex = _unittest.TestCase.assertRegex
        assertSequenceEqual = _unittest.TestCase.assertSequenceEqual
        assertSetEqual = _unittest.TestCase.assertSetEqual
        assertTrue = _unittest.TestCase.assertTrue
        assertTupleEqual = _unittest.TestCase.assertTupleEqual
        assertWarns = _unittest.TestCase.assertWarns
        assertWarnsRegex = _unittest.TestCase.assertWarnsRegex
        countTestCases = _unittest.TestCase.countTestCases
        defaultTestResult = _unittest.TestCase.defaultTestResult
        doClassCleanups = _unittest.TestCase.doClassCleanups
        doCleanups = _unittest.TestCase.doCleanups
        fail = _unittest.TestCase.fail
        failureException = _unittest.TestCase.failureException
        id = _unittest.TestCase.id
        longMessage = _unittest.TestCase.longMessage
        maxDiff = _unittest.TestCase.maxDiff
        run = _unittest.TestCase.run
        setUpClass = _unittest.TestCase.setUpClass
        shortDescription = _unittest.TestCase.shortDescription
        skipTest = _unittest.TestCase.skipTest
        subTest = _unittest.TestCase.subTest
        tearDownClass = _unittest.TestCase.tearDownClass

        if sys.version_info >= (3, 10):
            assertNoLogs = _unittest.TestCase.assertNoLogs
        if sys.version_info >= (3, 11):
            enterClassContext = _unittest.TestCase.enterClassContext
            enterContext = _unittest.TestCase.enterContext
        if sys.version_info < (3, 12):  # deprecated aliases, removed in 3.12
            assertAlmostEquals = _unittest.TestCase.assertAlmostEquals
            assertDictContainsSubset = _unittest.TestCase.assertDictContainsSubset
            assertEquals = _unittest.TestCase.assertEquals
            assertNotAlmostEquals = _unittest.TestCase.assertNotAlmostEquals
            assertNotEquals = _unittest.TestCase.assertNotEquals
            assertNotRegexpMatches = _unittest.TestCase.assertNotRegexpMatches
            assertRaisesRegexp = _unittest.TestCase.assertRaisesRegexp
            assertRegexpMatches = _unittest.TestCase.assertRegexpMatches
            assert_ = _unittest.TestCase.assert_
            failIf = _unittest.TestCase.failIf
            failIfAlmostEqual = _unittest.TestCase.failIfAlmostEqual
            failIfEqual = _unittest.TestCase.failIfEqual
            failUnless = _unittest.TestCase.failUnless
            failUnlessAlmostEqual = _unittest.TestCase.failUnlessAlmostEqual
            failUnlessEqual = _unittest.TestCase.failUnlessEqual
            failUnlessRaises = _unittest.TestCase.failUnlessRaises
else:
    TestCaseBase = _unittest.TestCase


def method_or_flag(method: Callable[..., Any]) -> Any:
    """Return ``method``; type checkers then accept a subclass setting the name to a flag.

    For ``TestCase.debug``: a method, which ``debug = True`` on a class turns
    into asyncio debug mode for its tests.
    """
    return method
