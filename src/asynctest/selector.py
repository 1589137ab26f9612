"""Mocks of files and sockets and a selector that watches them (asynctest 0.13's module).

Re-exports only; the code lives in ``asynctest._io``.
"""

from ._io.legacy import (
    fail_on_active_selector_callbacks,
    fail_on_before_test_active_selector_callbacks,
    get_registered_events,
)
from ._io.mocks import FileDescriptor, FileMock, SocketMock, SSLSocketMock, fd, isfilemock
from ._io.selector import (
    TestSelector,
    install_test_selector,
    set_read_ready,
    set_write_ready,
    uninstall_test_selector,
)
from ._publish import publish as _publish

__all__ = [
    "FileDescriptor",
    "FileMock",
    "SSLSocketMock",
    "SocketMock",
    "TestSelector",
    "fail_on_active_selector_callbacks",
    "fail_on_before_test_active_selector_callbacks",
    "fd",
    "get_registered_events",
    "install_test_selector",
    "isfilemock",
    "set_read_ready",
    "set_write_ready",
    "uninstall_test_selector",
]

_publish(globals())
