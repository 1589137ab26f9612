"""asynctest: the unittest extension for testing asyncio code.

``import asynctest`` gives every name of :mod:`unittest` (``asynctest.main``,
``asynctest.skip``, ...) plus asynctest's own: the test cases, the check
decorators, the mocks of :mod:`asynctest.mock` and the I/O mocks of
:mod:`asynctest.selector`. Where a name exists in both, asynctest's wins
(``TestCase``, ``FunctionTestCase``).
"""

import sys

# unittest's public names, each re-exported explicitly (``X as X``): a star
# import would make type checkers see unittest's TestCase as ours.
# tests/test_public_api.py checks that this list follows unittest.__all__.
from unittest import IsolatedAsyncioTestCase as IsolatedAsyncioTestCase
from unittest import SkipTest as SkipTest
from unittest import TestLoader as TestLoader
from unittest import TestResult as TestResult
from unittest import TestSuite as TestSuite
from unittest import TextTestResult as TextTestResult
from unittest import TextTestRunner as TextTestRunner
from unittest import addModuleCleanup as addModuleCleanup
from unittest import defaultTestLoader as defaultTestLoader
from unittest import expectedFailure as expectedFailure
from unittest import installHandler as installHandler
from unittest import main as main
from unittest import registerResult as registerResult
from unittest import removeHandler as removeHandler
from unittest import removeResult as removeResult
from unittest import skip as skip
from unittest import skipIf as skipIf
from unittest import skipUnless as skipUnless

if sys.version_info >= (3, 11):
    from unittest import doModuleCleanups as doModuleCleanups
    from unittest import enterModuleContext as enterModuleContext
if sys.version_info < (3, 13):
    from unittest import findTestCases as findTestCases
    from unittest import getTestCaseNames as getTestCaseNames
    from unittest import makeSuite as makeSuite

from . import case, helpers, mock, selector  # noqa: F401  (0.13's module paths)
from ._engine.errors import DeadlockError, LeftoverError, LeftoverWarning, PhaseTimeoutError
from ._engine.helpers import exhaust_callbacks
from ._engine.session import ShutdownError
from ._installed import InstallConflictWarning, warn_if_old_asynctest_installed
from ._publish import publish as _publish
from ._unittest.case import FunctionTestCase, TestCase
from ._unittest.clocked import ClockedTestCase
from ._unittest.decorators import autojump, fail_on, lenient, strict, timeout
from .mock import (
    ANY,
    DEFAULT,
    GLOBAL,
    LIMITED,
    AsyncMock,
    CoroutineMock,
    MagicMock,
    Mock,
    NonCallableMagicMock,
    NonCallableMock,
    PropertyMock,
    call,
    create_autospec,
    mock_open,
    patch,
    return_once,
    seal,
    sentinel,
)
from .selector import (
    FileDescriptor,
    FileMock,
    SocketMock,
    SSLSocketMock,
    TestSelector,
    fd,
    isfilemock,
    set_read_ready,
    set_write_ready,
)

# isort: split
# --- asynctest 0.13's remaining public names (deprecated or legacy helpers) ---
from ._unittest.legacy import ignore_loop
from .mock import PatchScope
from .selector import (
    fail_on_active_selector_callbacks,
    fail_on_before_test_active_selector_callbacks,
    get_registered_events,
)

__version__ = "1.0.0.dev0"

__all__ = [
    # test cases and checks
    "TestCase",
    "FunctionTestCase",
    "ClockedTestCase",
    "fail_on",
    "strict",
    "lenient",
    "timeout",
    "autojump",
    "exhaust_callbacks",
    # what the engine reports
    "DeadlockError",
    "PhaseTimeoutError",
    "LeftoverError",
    "LeftoverWarning",
    "ShutdownError",
    "InstallConflictWarning",
    # asynctest.mock
    "ANY",
    "DEFAULT",
    "GLOBAL",
    "LIMITED",
    "AsyncMock",
    "CoroutineMock",
    "MagicMock",
    "Mock",
    "NonCallableMagicMock",
    "NonCallableMock",
    "PropertyMock",
    "call",
    "create_autospec",
    "mock_open",
    "patch",
    "return_once",
    "seal",
    "sentinel",
    # asynctest.selector
    "FileDescriptor",
    "FileMock",
    "SocketMock",
    "SSLSocketMock",
    "TestSelector",
    "fd",
    "isfilemock",
    "set_read_ready",
    "set_write_ready",
]
__all__ += [
    # unittest's (TestCase and FunctionTestCase are ours, above)
    "IsolatedAsyncioTestCase",
    "SkipTest",
    "TestLoader",
    "TestResult",
    "TestSuite",
    "TextTestResult",
    "TextTestRunner",
    "addModuleCleanup",
    "defaultTestLoader",
    "expectedFailure",
    "installHandler",
    "main",
    "registerResult",
    "removeHandler",
    "removeResult",
    "skip",
    "skipIf",
    "skipUnless",
]
if sys.version_info >= (3, 11):
    __all__ += ["doModuleCleanups", "enterModuleContext"]
if sys.version_info < (3, 13):
    __all__ += ["findTestCases", "getTestCaseNames", "makeSuite"]
__all__ += [
    # asynctest 0.13's remaining public names
    "ignore_loop",
    "PatchScope",
    "get_registered_events",
    "fail_on_active_selector_callbacks",
    "fail_on_before_test_active_selector_callbacks",
]
del sys  # not a public name

_publish(globals())  # asynctest.TestCase, not asynctest._unittest.case.TestCase
warn_if_old_asynctest_installed()
del warn_if_old_asynctest_installed
