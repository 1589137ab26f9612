"""FileDescriptor, fd(), isfilemock() and the file, socket and SSL socket mocks."""

from __future__ import annotations

import io
import os
import socket
import ssl
import unittest.mock
from unittest.mock import DEFAULT

import pytest

from asynctest.selector import (
    FileDescriptor,
    FileMock,
    SocketMock,
    SSLSocketMock,
    fd,
    isfilemock,
)

# --- FileDescriptor


def test_file_descriptors_are_distinct_ints():
    a, b = FileDescriptor(), FileDescriptor()
    assert isinstance(a, int)
    assert a != b


def test_file_descriptor_values_are_above_any_real_descriptor():
    r, w = os.pipe()
    try:
        assert FileDescriptor() > max(r, w)
        assert FileDescriptor() >= 1 << 30
    finally:
        os.close(r)
        os.close(w)


def test_file_descriptor_never_equals_the_plain_int_of_its_value():
    descriptor = FileDescriptor(3)
    assert descriptor != 3
    assert descriptor == FileDescriptor(3)
    assert int(descriptor) == 3


def test_file_descriptor_and_real_descriptor_of_same_value_are_two_dict_keys():
    table = {3: "real", FileDescriptor(3): "mock"}
    assert table[3] == "real"
    assert table[FileDescriptor(3)] == "mock"


def test_file_descriptor_repr_shows_its_value():
    assert repr(FileDescriptor(42)) == "FileDescriptor(42)"


def test_file_descriptor_knows_the_mock_that_owns_it():
    mock = FileMock()
    assert mock.fileno().owner is mock
    assert FileDescriptor().owner is None


# --- fd()


def test_fd_of_a_mock_is_its_file_descriptor():
    mock = FileMock()
    assert fd(mock) is mock.fileno()


def test_fd_of_a_file_descriptor_is_itself():
    descriptor = FileDescriptor()
    assert fd(descriptor) is descriptor


def test_fd_of_an_int_is_the_int():
    assert fd(7) == 7


def test_fd_of_a_real_socket_is_its_fileno():
    with socket.socket() as sock:
        assert fd(sock) == sock.fileno()


def test_fd_of_an_object_without_fileno_names_it_and_what_is_accepted():
    with pytest.raises(ValueError, match=r"fd\('nope'\): expected a file mock, .*fileno\(\)"):
        fd("nope")


def test_fd_of_an_object_whose_fileno_is_not_an_int_is_an_error():
    weird = unittest.mock.Mock()
    weird.fileno.return_value = "x"
    with pytest.raises(ValueError, match="returned 'x', which is not an int"):
        fd(weird)


# --- isfilemock()


@pytest.mark.parametrize("make", [FileMock, SocketMock, SSLSocketMock])
def test_isfilemock_is_true_for_every_file_mock(make):
    assert isfilemock(make())


def test_isfilemock_is_true_for_a_file_descriptor():
    assert isfilemock(FileDescriptor())


def test_isfilemock_is_true_for_a_plain_mock_whose_fileno_is_a_file_descriptor():
    mock = unittest.mock.Mock()
    mock.fileno.return_value = FileDescriptor()
    assert isfilemock(mock)


def test_isfilemock_is_false_for_real_files_ints_and_other_mocks():
    with socket.socket() as sock:
        assert not isfilemock(sock)
    assert not isfilemock(3)
    assert not isfilemock(unittest.mock.Mock())
    assert not isfilemock(object())


# --- FileMock


def test_each_file_mock_has_its_own_descriptor():
    assert FileMock().fileno() != FileMock().fileno()


def test_file_mock_accepts_any_attribute_without_spec():
    mock = FileMock()
    mock.read.return_value = b"data"
    assert mock.read() == b"data"


def test_file_mock_with_a_spec_rejects_other_attributes():
    mock = FileMock(spec=io.FileIO)
    assert isinstance(mock, io.FileIO)
    with pytest.raises(AttributeError):
        mock.recv  # noqa: B018


def test_file_mock_attributes_are_plain_mocks_not_file_mocks():
    mock = FileMock()
    assert not isfilemock(mock.read)
    assert isinstance(mock.read, unittest.mock.MagicMock)


def test_file_mock_is_not_callable_and_is_a_context_manager():
    mock = FileMock()
    with pytest.raises(TypeError):
        mock()
    with mock as inside:
        assert inside is mock.__enter__.return_value


# --- SocketMock


def test_socket_mock_is_a_socket_for_isinstance():
    mock = SocketMock()
    assert isinstance(mock, socket.socket)
    assert isinstance(mock, FileMock)


def test_socket_mock_rejects_attributes_sockets_do_not_have():
    with pytest.raises(AttributeError):
        SocketMock().read  # noqa: B018


def test_socket_mock_looks_like_a_non_blocking_tcp_socket():
    mock = SocketMock()
    assert mock.type == socket.SOCK_STREAM
    assert mock.family == socket.AF_INET
    assert mock.proto == socket.IPPROTO_TCP
    assert mock.gettimeout() == 0.0


def test_socket_mock_recv_is_not_ready_by_default():
    with pytest.raises(BlockingIOError):
        SocketMock().recv(10)


def test_socket_mock_send_sends_everything_by_default():
    assert SocketMock().send(b"hello") == 5
    assert SocketMock().send(memoryview(b"hello")[1:]) == 4


def test_socket_mock_return_value_replaces_the_default():
    mock = SocketMock()
    mock.recv.return_value = b"data"
    assert mock.recv(1024) == b"data"


def test_socket_mock_side_effect_replaces_the_default():
    mock = SocketMock()
    mock.recv.side_effect = [b"a", BlockingIOError(), b""]
    assert mock.recv(1) == b"a"
    with pytest.raises(BlockingIOError):
        mock.recv(1)
    assert mock.recv(1) == b""


def test_socket_mock_default_in_a_side_effect_list_is_the_default_behaviour():
    mock = SocketMock()
    mock.send.side_effect = [2, DEFAULT]
    assert mock.send(b"abcdef") == 2
    assert mock.send(b"cdef") == 4


def test_socket_mock_recv_into_is_answered_by_recv():
    mock = SocketMock()
    mock.recv.side_effect = [b"xyz"]
    buffer = bytearray(8)
    assert mock.recv_into(buffer) == 3
    assert buffer[:3] == b"xyz"
    mock.recv.assert_called_once_with(8)


def test_socket_mock_recv_into_honours_nbytes():
    mock = SocketMock()
    mock.recv.return_value = b"ab"
    buffer = bytearray(8)
    assert mock.recv_into(buffer, 2) == 2
    mock.recv.assert_called_once_with(2)


def test_socket_mock_recv_into_rejects_recv_returning_more_than_asked():
    mock = SocketMock()
    mock.recv.return_value = b"toolong"
    with pytest.raises(ValueError, match="returned 7 bytes, more than were asked for"):
        mock.recv_into(bytearray(3))


def test_socket_mock_recv_into_not_ready_when_recv_is_not_ready():
    with pytest.raises(BlockingIOError):
        SocketMock().recv_into(bytearray(3))


def test_socket_mock_sendmsg_is_answered_by_send_with_the_joined_buffers():
    mock = SocketMock()
    mock.send.side_effect = [3]
    assert mock.sendmsg(iter([b"ab", memoryview(b"cd")])) == 3
    mock.send.assert_called_once_with(b"abcd")


def test_socket_mock_sendmsg_rejects_send_returning_more_than_given():
    mock = SocketMock()
    mock.send.return_value = 10
    with pytest.raises(ValueError, match="returned 10 for 4 bytes"):
        mock.sendmsg([b"abcd"])


def test_socket_mock_calls_are_recorded_on_the_mock():
    mock = SocketMock()
    mock.send(b"x")
    mock.close()
    assert mock.mock_calls == [unittest.mock.call.send(b"x"), unittest.mock.call.close()]


# --- SSLSocketMock


def test_ssl_socket_mock_is_an_ssl_socket_and_a_socket_mock():
    mock = SSLSocketMock()
    assert isinstance(mock, ssl.SSLSocket)
    assert isinstance(mock, SocketMock)
    mock.do_handshake()
    mock.do_handshake.assert_called_once_with()


def test_ssl_socket_mock_has_the_socket_mock_defaults():
    mock = SSLSocketMock()
    with pytest.raises(BlockingIOError):
        mock.recv(1)
    assert mock.send(b"ab") == 2
