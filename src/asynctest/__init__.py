"""asynctest: the unittest extension for testing asyncio code.

``import asynctest`` gives every name of :mod:`unittest` (``asynctest.main``,
``asynctest.skip``, ...) plus asynctest's own: the test cases, the check
decorators, the mocks of :mod:`asynctest.mock` and the I/O mocks of
:mod:`asynctest.selector`. Where a name exists in both, asynctest's wins
(``TestCase``, ``FunctionTestCase``).
"""

import unittest as _stdlib_unittest
from unittest import *  # noqa: F403

from . import case, helpers, mock, selector  # noqa: F401  (0.13's module paths)
from ._engine.helpers import exhaust_callbacks
from ._unittest.case import FunctionTestCase, TestCase
from ._unittest.clocked import ClockedTestCase
from ._unittest.decorators import fail_on, lenient, strict
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
    "exhaust_callbacks",
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
    # asynctest 0.13's remaining public names
    "ignore_loop",
    "PatchScope",
    "get_registered_events",
    "fail_on_active_selector_callbacks",
    "fail_on_before_test_active_selector_callbacks",
]
__all__ += [name for name in _stdlib_unittest.__all__ if name not in __all__]
