"""Mocks for asyncio code: unittest.mock, with coroutine mocks and scoped patches.

The asynctest 0.13 import path; the code lives in :mod:`asynctest._mock`.
"""

from unittest.mock import ANY, DEFAULT, call, seal, sentinel

from ._mock.awaited import Awaited
from ._mock.extras import return_once
from ._mock.mocks import (
    CoroutineMock,
    MagicMock,
    Mock,
    NonCallableMagicMock,
    NonCallableMock,
    PropertyMock,
    create_autospec,
    mock_open,
)
from ._mock.patching import patch
from ._mock.switching import GLOBAL, LIMITED, PatchScope
from ._publish import publish as _publish

#: ``unittest.mock.AsyncMock``'s name for :class:`CoroutineMock`.
AsyncMock = CoroutineMock

__all__ = [
    "ANY",
    "DEFAULT",
    "GLOBAL",
    "LIMITED",
    "AsyncMock",
    "Awaited",
    "CoroutineMock",
    "MagicMock",
    "Mock",
    "NonCallableMagicMock",
    "NonCallableMock",
    "PatchScope",
    "PropertyMock",
    "call",
    "create_autospec",
    "mock_open",
    "patch",
    "return_once",
    "seal",
    "sentinel",
]

_publish(globals())
