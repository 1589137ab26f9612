"""Mocks for asyncio code: unittest.mock, with coroutine mocks and scoped patches.

The asynctest 0.13 import path; the code lives in ``asynctest._mock``.
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
from ._mock.switching import PatchScope
from ._publish import publish as _publish

#: ``unittest.mock.AsyncMock``'s name for :class:`CoroutineMock`.
AsyncMock = CoroutineMock
#: The scope of a patch that stays on from the start of the decorated call until
#: it finishes, whatever other tasks run meanwhile (the default).
GLOBAL = PatchScope.GLOBAL
#: The scope of a patch that is on only while the decorated coroutine or
#: generator runs: off while it is suspended (other tasks see the original),
#: back on when it resumes.
LIMITED = PatchScope.LIMITED

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
