"""Each asyncio private that asynctest.selector relies on, checked on this Python.

If one of these fails, asyncio moved something that ``_compat``'s
"selector loops" section reads: fix the accessor there, not the callers.
"""

from __future__ import annotations

import asyncio
import selectors
import socket

import pytest

from asynctest import _compat


@pytest.fixture
def plain_loop():
    loop = asyncio.SelectorEventLoop()
    yield loop
    loop.close()


def test_selector_loops_derive_from_base_selector_event_loop(plain_loop):
    assert _compat.is_selector_loop(plain_loop)
    assert isinstance(plain_loop, asyncio.selector_events.BaseSelectorEventLoop)


def test_loop_keeps_its_selector_in_underscore_selector(plain_loop):
    assert isinstance(plain_loop.__dict__.get("_selector"), selectors.BaseSelector)
    assert _compat.loop_selector(plain_loop) is plain_loop.__dict__["_selector"]


def test_loop_polls_the_selector_set_in_underscore_selector(plain_loop):
    real = _compat.loop_selector(plain_loop)
    polled = []

    class Spy(selectors.BaseSelector):
        register = real.register
        unregister = real.unregister
        modify = real.modify
        get_map = real.get_map

        def select(self, timeout=None):
            polled.append(timeout)
            return real.select(timeout)

        def close(self):
            real.close()

    _compat.set_loop_selector(plain_loop, Spy())
    try:
        plain_loop.run_until_complete(asyncio.sleep(0))
    finally:
        _compat.set_loop_selector(plain_loop, real)
    assert polled


def test_set_loop_selector_refuses_other_loops():
    import uvloop

    loop = uvloop.new_event_loop()
    try:
        with pytest.raises(TypeError, match="is not a selector event loop"):
            _compat.set_loop_selector(loop, None)
    finally:
        loop.close()


def test_closed_loop_has_no_selector():
    loop = asyncio.SelectorEventLoop()
    loop.close()
    assert _compat.loop_selector(loop) is None


def test_selector_key_data_is_the_reader_and_writer_handles(plain_loop):
    a, b = socket.socketpair()
    with a, b:
        plain_loop.add_reader(a, print, "r")
        plain_loop.add_writer(a, print, "w")
        key = _compat.loop_selector(plain_loop).get_key(a)
        reader, writer = _compat.selector_key_handles(key)
        callbacks = _compat.handle_callback(reader), _compat.handle_callback(writer)
        plain_loop.remove_reader(a)
        plain_loop.remove_writer(a)
    assert isinstance(reader, asyncio.Handle) and isinstance(writer, asyncio.Handle)
    assert callbacks == ((print, ("r",)), (print, ("w",)))


def test_selector_key_of_another_layout_has_no_handles():
    key = selectors.SelectorKey(object(), 3, selectors.EVENT_READ, "not a pair")
    assert _compat.selector_key_handles(key) == (None, None)


def test_handle_keeps_its_callback_and_arguments_in_private_fields(plain_loop):
    handle = plain_loop.call_soon(len, "ab")
    assert (handle._callback, handle._args) == (len, ("ab",))
    assert _compat.handle_callback(handle) == (len, ("ab",))
    handle.cancel()
