"""Mocks of objects doing I/O: files, sockets and SSL sockets.

Each mock's ``fileno()`` returns a :class:`FileDescriptor`, a fake descriptor
that a :class:`~asynctest.selector.TestSelector` watches virtually; the real
selector never sees it.
"""

from __future__ import annotations

import itertools
import socket
import ssl
import unittest.mock
import weakref
from collections.abc import Iterable
from typing import Any, Optional

from .. import mock as _mock

__all__ = [
    "FileDescriptor",
    "FileMock",
    "SSLSocketMock",
    "SocketMock",
    "fd",
    "isfilemock",
]

# Being non-callable, their attributes are asynctest MagicMocks (unittest.mock's
# rule for NonCallableMagicMock subclasses), not file mocks with descriptors.
_BaseMock = _mock.NonCallableMagicMock
_ChildMock = _mock.MagicMock

# Far above any descriptor a process can open (Linux caps RLIMIT_NOFILE with
# fs.nr_open, 2**20 by default), so a fake descriptor passed by mistake to a
# system call fails with EBADF instead of touching a real file.
_FIRST_FAKE_FD = 1 << 30
_next_fd = itertools.count(_FIRST_FAKE_FD)


class FileDescriptor(int):
    """The fake descriptor of a file mock: an int that equals no real descriptor.

    ``FileDescriptor()`` takes the next unused value (from 2**30 up);
    ``FileDescriptor(n)`` has the value ``n``. Either way it compares equal only to
    a FileDescriptor of the same value and hashes differently from the plain int,
    so it never collides with a real descriptor in a dict keyed by descriptors
    (a selector's map, the loop's transports): ``FileDescriptor(3) != 3``.
    Arithmetic and ordering are those of int.
    """

    _owner: Optional[weakref.ReferenceType[Any]] = None

    def __new__(cls, value: Optional[int] = None) -> FileDescriptor:
        return super().__new__(cls, next(_next_fd) if value is None else value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileDescriptor) and int(self) == int(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((FileDescriptor, int(self)))

    def __repr__(self) -> str:
        return f"FileDescriptor({int(self)})"

    @property
    def owner(self) -> Optional[Any]:
        """The mock whose ``fileno()`` returns this descriptor, if it is still alive."""
        return None if self._owner is None else self._owner()


def fd(obj: Any) -> int:
    """The descriptor of ``obj``: a FileDescriptor for a mock, else ``obj.fileno()``.

    ``obj`` may be a file mock, a :class:`FileDescriptor`, an int (returned as is)
    or any object with a ``fileno()`` method (a socket, a file). Anything else
    raises ValueError (as in asynctest 0.13).
    """
    if isinstance(obj, int):
        return obj
    fileno = getattr(obj, "fileno", None)
    if fileno is None:
        raise ValueError(
            f"fd({obj!r}): expected a file mock, a FileDescriptor, an int or an object "
            f"with a fileno() method, got a {type(obj).__name__}"
        )
    value = fileno()
    if not isinstance(value, int):
        raise ValueError(f"fd({obj!r}): its fileno() returned {value!r}, which is not an int")
    return value


def isfilemock(obj: Any) -> bool:
    """Whether ``obj`` is a file mock or the :class:`FileDescriptor` of one.

    A file mock is a :class:`FileMock` (sockets included), or any
    ``unittest.mock`` mock whose ``fileno()`` returns a FileDescriptor. Real
    files' ``fileno()`` is never called.
    """
    if isinstance(obj, (FileDescriptor, FileMock)):
        return True
    if isinstance(obj, unittest.mock.NonCallableMock):
        fileno = getattr(obj, "fileno", None)
        return fileno is not None and isinstance(fileno(), FileDescriptor)
    return False


class FileMock(_BaseMock):
    """A mock of a file object whose ``fileno()`` returns a new :class:`FileDescriptor`.

    It takes the arguments of ``NonCallableMagicMock``; without ``spec`` any
    attribute can be configured (as in asynctest 0.13), ``FileMock(spec=io.FileIO)``
    restricts them to a file's. Its attributes are ordinary mocks, not file mocks.
    A :class:`~asynctest.selector.TestSelector` watches it virtually: make it
    ready with :func:`~asynctest.selector.set_read_ready` or
    :func:`~asynctest.selector.set_write_ready`.
    """

    def __init__(self, spec: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(spec, *args, **kwargs)
        descriptor = FileDescriptor()
        descriptor._owner = weakref.ref(self)
        self.fileno.return_value = descriptor


class SocketMock(FileMock):
    """A mock of a connected non-blocking TCP socket (spec ``socket.socket``).

    ``isinstance(mock, socket.socket)`` is true and asyncio accepts it where it
    takes a socket (``asyncio.open_connection(sock=mock)``,
    ``loop.create_connection(..., sock=mock)``, ``loop.sock_recv(mock, n)``),
    on a loop that uses a :class:`~asynctest.selector.TestSelector`.

    Until a test configures them, its methods behave as a socket with nothing
    to read and room to write:

    - ``recv()`` raises BlockingIOError ("not ready");
    - ``send(data)`` returns ``len(data)`` (everything sent);
    - ``recv_into()`` and ``sendmsg()`` are answered by ``recv()`` and ``send()``,
      so a test that configures ``recv``/``send`` works whichever of them the
      running Python's transport calls;
    - ``gettimeout()`` returns 0.0; ``type``, ``family`` and ``proto`` are those
      of a TCP socket.

    Set ``return_value`` or ``side_effect`` to change a behaviour, e.g.
    ``mock.recv.side_effect = [b"hel", BlockingIOError(), b"lo\\n", b""]``
    (some data, not ready, the rest, then end of file); each chunk is read after
    :func:`~asynctest.selector.set_read_ready`. An item ``unittest.mock.DEFAULT``
    in a ``side_effect`` list stands for the default behaviour:
    ``mock.send.side_effect = [2, DEFAULT]`` sends 2 bytes, then everything.
    """

    _spec_class_default: Any = socket.socket

    def __init__(self, spec: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(self._spec_class_default if spec is None else spec, *args, **kwargs)
        self.type = socket.SOCK_STREAM
        self.family = socket.AF_INET
        self.proto = socket.IPPROTO_TCP
        self.gettimeout.return_value = 0.0
        # A mock made with wraps= calls it only when the test configured neither
        # side_effect nor return_value (a side_effect item DEFAULT included).
        self.recv = _ChildMock(wraps=_not_ready)
        self.send = _ChildMock(wraps=_send_all)
        self.recv_into = _ChildMock(wraps=self._recv_into_by_recv)
        self.sendmsg = _ChildMock(wraps=self._sendmsg_by_send)

    def _recv_into_by_recv(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        view = memoryview(buffer).cast("B")
        size = nbytes or len(view)
        data = self.recv(size, flags) if flags else self.recv(size)
        if len(data) > size:
            raise ValueError(
                f"{self!r}.recv({size}) returned {len(data)} bytes, more than were asked for"
            )
        view[: len(data)] = data
        return len(data)

    def _sendmsg_by_send(self, buffers: Iterable[Any], *args: Any) -> Any:
        data = b"".join(bytes(b) for b in buffers)
        sent = self.send(data)
        if isinstance(sent, int) and sent > len(data):
            raise ValueError(
                f"{self!r}.send() returned {sent} for {len(data)} bytes: "
                f"a socket never sends more than it is given"
            )
        return sent


def _not_ready(*args: Any, **kwargs: Any) -> bytes:
    raise BlockingIOError("SocketMock: no data configured (set recv.side_effect)")


def _send_all(data: Any, *args: Any) -> int:
    return len(memoryview(data).cast("B"))


class SSLSocketMock(SocketMock):
    """A :class:`SocketMock` with the spec of ``ssl.SSLSocket``.

    ``isinstance(mock, ssl.SSLSocket)`` is true. asyncio refuses SSL sockets as
    ``sock=`` of ``create_connection`` (as it refuses real ones); use it where
    code under test handles an ``ssl.SSLSocket`` itself.
    """

    _spec_class_default = ssl.SSLSocket
