"""The active_selector_callbacks check: readers and writers left registered by a test."""

from __future__ import annotations

import asyncio
import socket

import uvloop

from asynctest._engine.checks import CheckContext, all_checks
from asynctest.selector import FileMock, SocketMock


def check():
    return all_checks()["active_selector_callbacks"]


def verdict(loop, during, test_name="test_x"):
    """Run the check around ``during(loop)`` and return its message (None: passed)."""
    ctx = CheckContext(loop=loop, test_name=test_name)
    state = check().before(ctx)
    during(loop)
    return check().after(ctx, state)


def on_reader() -> None:
    """A reader callback."""


def on_writer() -> None:
    """A writer callback."""


def test_check_is_registered_off_by_default_with_a_description():
    assert check().default is False
    assert "readers and writers" in check().description


def test_no_registration_passes(loop):
    assert verdict(loop, lambda loop: None) is None


def test_reader_added_and_removed_during_the_test_passes(loop):
    mock = FileMock()

    def during(loop):
        loop.add_reader(mock, on_reader)
        loop.remove_reader(mock)

    assert verdict(loop, during) is None


def test_leaked_reader_is_named_with_its_file_and_callback(loop):
    mock = FileMock()
    message = verdict(loop, lambda loop: loop.add_reader(mock, on_reader))
    loop.remove_reader(mock)
    assert message.startswith("test_x left 1 reader registered on the loop:")
    assert f"add_reader({mock!r}, {on_reader!r})" in message
    assert "loop.remove_reader()" in message
    assert "@fail_on(active_selector_callbacks=False)" in message


def test_leaked_writer_shows_its_arguments(loop):
    mock = SocketMock()
    message = verdict(loop, lambda loop: loop.add_writer(mock, on_writer, 1, "two"))
    loop.remove_writer(mock)
    assert "left 1 writer registered" in message
    assert f"add_writer({mock!r}, {on_writer!r}, 1, 'two')" in message


def test_leaked_readers_and_writers_are_counted_and_all_listed(loop):
    mocks = [FileMock(), FileMock()]

    def during(loop):
        loop.add_reader(mocks[0], on_reader)
        loop.add_reader(mocks[1], on_reader)
        loop.add_writer(mocks[1], on_writer)

    message = verdict(loop, during, "test_many")
    for mock in mocks:
        loop.remove_reader(mock)
    loop.remove_writer(mocks[1])
    assert message.startswith("test_many left 2 readers and 1 writer registered")
    assert message.count("add_reader(") == 2
    assert message.count("add_writer(") == 1


def test_leaked_real_socket_reader_is_reported(loop):
    a, b = socket.socketpair()
    with a, b:
        message = verdict(loop, lambda loop: loop.add_reader(a, on_reader))
        loop.remove_reader(a)
        assert f"add_reader({a!r}, {on_reader!r})" in message


def test_transport_registered_by_descriptor_is_shown_with_its_mock(loop):
    sock = SocketMock()
    holder = {}

    def during(loop):
        async def connect():
            holder["pair"] = await asyncio.open_connection(sock=sock)

        loop.run_until_complete(asyncio.wait_for(connect(), 5))

    message = verdict(loop, during)
    writer = holder["pair"][1]
    writer.close()
    loop.run_until_complete(asyncio.wait_for(writer.wait_closed(), 5))
    assert f"add_reader({sock!r} ({sock.fileno()!r}), " in message
    assert "_read_ready" in message


def test_registrations_made_before_the_test_are_ignored(loop):
    mock = FileMock()
    loop.add_reader(mock, on_reader)
    try:
        assert verdict(loop, lambda loop: None) is None
    finally:
        loop.remove_reader(mock)


def test_reader_replaced_during_the_test_is_reported(loop):
    mock = FileMock()
    loop.add_reader(mock, on_reader)
    try:
        message = verdict(loop, lambda loop: loop.add_reader(mock, on_writer))
    finally:
        loop.remove_reader(mock)
    assert f"add_reader({mock!r}, {on_writer!r})" in message


def test_check_works_without_test_selector():
    loop = asyncio.SelectorEventLoop()
    a, b = socket.socketpair()
    try:
        with a, b:
            message = verdict(loop, lambda loop: loop.add_reader(a, on_reader))
            loop.remove_reader(a)
    finally:
        loop.close()
    assert "left 1 reader" in message


def test_check_fails_on_a_loop_that_is_not_selector_based_saying_it_is_not_available():
    # Its readers cannot be listed: passing would hide the leak.
    loop = uvloop.new_event_loop()
    a, b = socket.socketpair()
    try:
        with a, b:
            message = verdict(loop, lambda loop: loop.add_reader(a, on_reader))
            loop.remove_reader(a)
    finally:
        loop.close()
    assert message is not None
    assert "active_selector_callbacks check is not available on uvloop.Loop loops" in message
    assert "test_x was not checked" in message
    assert "@fail_on(active_selector_callbacks=False)" in message
