"""TestSelector in an event loop: install/uninstall, set_read_ready, set_write_ready."""

from __future__ import annotations

import asyncio
import selectors
import socket
import threading

import pytest
import uvloop
from _io_support import run, turns

from asynctest import _compat
from asynctest.selector import (
    FileMock,
    SocketMock,
    TestSelector,
    install_test_selector,
    set_read_ready,
    set_write_ready,
    uninstall_test_selector,
)

# --- install / uninstall


def test_install_wraps_the_loop_selector_and_uninstall_puts_it_back():
    loop = asyncio.SelectorEventLoop()
    try:
        original = _compat.loop_selector(loop)
        selector = install_test_selector(loop)
        assert isinstance(selector, TestSelector)
        assert selector.wrapped is original
        assert _compat.loop_selector(loop) is selector
        uninstall_test_selector(loop)
        assert _compat.loop_selector(loop) is original
    finally:
        loop.close()
    assert original.get_map() is None  # closed by loop.close()


def test_install_twice_returns_the_installed_selector():
    loop = asyncio.SelectorEventLoop()
    try:
        assert install_test_selector(loop) is install_test_selector(loop)
    finally:
        uninstall_test_selector(loop)
        loop.close()


def test_uninstall_without_install_does_nothing():
    loop = asyncio.SelectorEventLoop()
    try:
        original = _compat.loop_selector(loop)
        uninstall_test_selector(loop)
        assert _compat.loop_selector(loop) is original
    finally:
        loop.close()


def test_closing_the_loop_with_the_test_selector_installed_closes_the_real_one():
    loop = asyncio.SelectorEventLoop()
    original = _compat.loop_selector(loop)
    install_test_selector(loop)
    loop.close()
    assert original.get_map() is None


def test_loop_wake_up_pipe_still_works_through_the_test_selector(loop):
    async def main():
        future = loop.create_future()
        threading.Timer(0.01, loop.call_soon_threadsafe, (future.set_result, 42)).start()
        return await future

    assert run(loop, main()) == 42


def test_install_on_uvloop_returns_none_and_changes_nothing():
    loop = uvloop.new_event_loop()
    try:
        assert install_test_selector(loop) is None
        uninstall_test_selector(loop)
        assert loop.run_until_complete(asyncio.sleep(0, "ran")) == "ran"
    finally:
        loop.close()


def test_on_select_sees_each_wait_of_the_loop(loop):
    selector = _compat.loop_selector(loop)
    timeouts = []
    selector.on_select = timeouts.append
    run(loop, asyncio.sleep(0.01))
    assert any(t is not None and 0 < t <= 0.01 for t in timeouts)


# --- set_read_ready / set_write_ready


def test_reader_of_a_mock_runs_only_after_set_read_ready(loop):
    mock = FileMock()
    calls = []

    async def main():
        loop.add_reader(mock, calls.append, "read")
        await turns()
        assert calls == []
        set_read_ready(mock, loop)
        await turns()
        assert calls == ["read"]
        loop.remove_reader(mock)

    run(loop, main())


def test_each_set_read_ready_runs_the_reader_once(loop):
    mock = FileMock()
    calls = []

    async def main():
        loop.add_reader(mock.fileno(), calls.append, "read")
        set_read_ready(mock, loop)
        set_read_ready(mock, loop)
        await turns(10)
        loop.remove_reader(mock.fileno())

    run(loop, main())
    assert calls == ["read", "read"]


def test_writer_of_a_mock_runs_after_set_write_ready(loop):
    mock = SocketMock()
    calls = []

    async def main():
        loop.add_writer(mock, calls.append, "write")
        loop.add_reader(mock, calls.append, "read")
        set_write_ready(mock, loop)
        await turns()
        loop.remove_writer(mock)
        loop.remove_reader(mock)

    run(loop, main())
    assert calls == ["write"]


def test_set_read_ready_without_reader_is_dropped(loop):
    mock = FileMock()
    calls = []

    async def main():
        set_read_ready(mock, loop)
        await turns()
        loop.add_reader(mock, calls.append, "read")
        await turns()
        loop.remove_reader(mock)

    run(loop, main())
    assert calls == []


def test_set_read_ready_from_another_thread_wakes_the_loop(loop):
    mock = FileMock()

    async def main():
        woken = loop.create_future()
        loop.add_reader(mock, woken.set_result, "woken")
        threading.Timer(0.01, set_read_ready, (mock, loop)).start()
        try:
            return await woken
        finally:
            loop.remove_reader(mock)

    assert run(loop, main()) == "woken"


def test_mock_and_real_socket_are_watched_side_by_side(loop):
    mock = SocketMock()
    a, b = socket.socketpair()

    async def main():
        got = {"mock": loop.create_future(), "real": loop.create_future()}
        loop.add_reader(mock, got["mock"].set_result, "mock ready")
        loop.add_reader(a, lambda: got["real"].set_result(a.recv(10)))
        b.send(b"real data")
        set_read_ready(mock, loop)
        try:
            return await asyncio.gather(got["mock"], got["real"])
        finally:
            loop.remove_reader(mock)
            loop.remove_reader(a)

    with a, b:
        assert run(loop, main()) == ["mock ready", b"real data"]


def test_set_read_ready_on_uvloop_says_it_needs_a_selector_loop():
    loop = uvloop.new_event_loop()
    try:
        needs = r"set_read_ready\(.*needs an asyncio selector event loop"
        with pytest.raises(TypeError, match=needs):
            set_read_ready(FileMock(), loop)
    finally:
        loop.close()


def test_set_write_ready_without_test_selector_says_how_to_install_it():
    loop = asyncio.SelectorEventLoop()
    try:
        says = r"set_write_ready\(.*not a TestSelector.*install_test_selector"
        with pytest.raises(TypeError, match=says):
            set_write_ready(FileMock(), loop)
    finally:
        loop.close()


def test_set_read_ready_with_something_else_than_a_loop_is_an_error():
    with pytest.raises(TypeError, match="expected an event loop, got 'loop'"):
        set_read_ready(FileMock(), "loop")


def test_set_read_ready_of_an_object_without_descriptor_fails_at_once(loop):
    with pytest.raises(ValueError, match="'nope'"):
        set_read_ready("nope", loop)


def test_set_read_ready_after_uninstall_is_an_error():
    loop = asyncio.SelectorEventLoop()
    try:
        install_test_selector(loop)
        uninstall_test_selector(loop)
        with pytest.raises(TypeError, match="not a TestSelector"):
            set_read_ready(FileMock(), loop)
    finally:
        loop.close()


def test_selector_loop_is_recognised_and_others_are_not():
    loop = asyncio.SelectorEventLoop()
    other = uvloop.new_event_loop()
    try:
        assert isinstance(_compat.loop_selector(loop), selectors.BaseSelector)
        assert _compat.loop_selector(other) is None
    finally:
        loop.close()
        other.close()
