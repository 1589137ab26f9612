"""TestSelector used directly: alone, and wrapping a real selector."""

from __future__ import annotations

import selectors
import socket
from collections.abc import Iterator

import pytest

from asynctest.selector import FileMock, SocketMock, TestSelector

READ, WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE


@pytest.fixture
def wrapped() -> Iterator[TestSelector]:
    selector = TestSelector(selectors.DefaultSelector())
    yield selector
    selector.close()


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    with a, b:
        yield a, b


def ready(selector: TestSelector, timeout: float = 0) -> dict[object, int]:
    return {key.fileobj: mask for key, mask in selector.select(timeout)}


# --- registrations


def test_register_returns_a_key_with_the_mock_and_its_descriptor():
    selector = TestSelector()
    mock = FileMock()
    key = selector.register(mock, READ, "data")
    assert (key.fileobj, key.fd, key.events, key.data) == (mock, mock.fileno(), READ, "data")
    assert selector.get_key(mock) is key
    assert selector.get_key(mock.fileno()) is key


def test_register_twice_is_an_error_naming_the_mock():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ)
    with pytest.raises(KeyError, match="already registered"):
        selector.register(mock, WRITE)


@pytest.mark.parametrize("events", [0, 4, READ | WRITE | 8])
def test_register_with_invalid_events_names_them(events):
    with pytest.raises(ValueError, match=f"invalid events {events}: expected EVENT_READ"):
        TestSelector().register(FileMock(), events)


def test_register_an_object_without_descriptor_is_an_error_naming_it():
    with pytest.raises(ValueError, match="invalid file object 'nope'"):
        TestSelector().register("nope", READ)


def test_unregister_returns_the_key_and_forgets_the_mock():
    selector = TestSelector()
    mock = FileMock()
    key = selector.register(mock, READ)
    assert selector.unregister(mock) is key
    with pytest.raises(KeyError, match="is not registered"):
        selector.get_key(mock)


def test_unregister_an_unknown_mock_is_a_key_error():
    with pytest.raises(KeyError, match="is not registered"):
        TestSelector().unregister(FileMock())


def test_modify_changes_events_and_data():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ, "r")
    key = selector.modify(mock, READ | WRITE, "rw")
    assert (key.events, key.data) == (READ | WRITE, "rw")
    assert selector.get_key(mock) is key


def test_modify_an_unknown_mock_is_a_key_error():
    with pytest.raises(KeyError):
        TestSelector().modify(FileMock(), READ)


def test_get_map_lists_mocks_and_real_files(wrapped, pair):
    mock = FileMock()
    wrapped.register(mock, READ)
    wrapped.register(pair[0], READ)
    mapping = wrapped.get_map()
    assert len(mapping) == 2
    assert {mapping[k].fileobj for k in mapping} == {mock, pair[0]}
    assert mock.fileno() in mapping
    assert pair[0].fileno() in mapping


def test_a_mock_and_a_real_file_with_the_same_number_are_distinct(wrapped, pair):
    real = pair[0]
    mock = FileMock()
    mock.fileno.return_value = type(mock.fileno())(real.fileno())
    wrapped.register(real, READ, "real")
    wrapped.register(mock, READ, "mock")
    assert wrapped.get_key(real).data == "real"
    assert wrapped.get_key(mock).data == "mock"


def test_real_files_go_to_the_wrapped_selector(wrapped, pair):
    mock = FileMock()
    wrapped.register(pair[0], READ)
    wrapped.register(mock, READ)
    assert list(wrapped.wrapped.get_map()) == [pair[0].fileno()]


# --- select


def test_mock_is_not_ready_until_set_ready():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ)
    assert ready(selector) == {}
    selector.set_ready(mock, READ)
    assert ready(selector) == {mock: READ}


def test_set_ready_is_reported_once_per_call():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ)
    selector.set_ready(mock, READ)
    selector.set_ready(mock, READ)
    assert ready(selector) == {mock: READ}
    assert ready(selector) == {mock: READ}
    assert ready(selector) == {}


def test_read_and_write_ready_are_reported_together():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ | WRITE)
    selector.set_ready(mock, READ)
    selector.set_ready(mock, WRITE)
    assert ready(selector) == {mock: READ | WRITE}


def test_events_nothing_watches_are_dropped():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ)
    selector.set_ready(mock, WRITE)
    assert ready(selector) == {}
    selector.modify(mock, READ | WRITE)
    assert ready(selector) == {}
    assert not selector.has_ready()


def test_set_ready_survives_modify():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ | WRITE)
    selector.set_ready(mock, READ)
    selector.modify(mock, READ)
    assert ready(selector) == {mock: READ}


def test_unregister_drops_pending_events():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ)
    selector.set_ready(mock, READ)
    selector.unregister(mock)
    selector.register(mock, READ)
    assert ready(selector) == {}


def test_set_ready_with_invalid_events_is_an_error():
    with pytest.raises(ValueError, match="invalid events 0"):
        TestSelector().set_ready(FileMock(), 0)


def test_select_alone_never_blocks():
    selector = TestSelector()
    selector.register(FileMock(), READ)
    assert selector.select(None) == []


def test_select_returns_real_and_mock_events_side_by_side(wrapped, pair):
    a, b = pair
    mock = SocketMock()
    wrapped.register(a, READ, "real")
    wrapped.register(mock, READ, "mock")
    b.send(b"x")
    wrapped.set_ready(mock, READ)
    events = wrapped.select(1)
    assert sorted((key.data, mask) for key, mask in events) == [("mock", READ), ("real", READ)]


def test_real_file_events_come_from_the_wrapped_selector(wrapped, pair):
    a, b = pair
    wrapped.register(a, READ | WRITE)
    assert ready(wrapped) == {a: WRITE}
    b.send(b"x")
    assert ready(wrapped, 1) == {a: READ | WRITE}


def test_pending_mock_events_make_the_wrapped_select_not_wait(wrapped, pair):
    mock = FileMock()
    wrapped.register(pair[0], READ)
    wrapped.register(mock, READ)
    wrapped.set_ready(mock, READ)
    # Would wait forever for the socket if the mock's event did not cut the wait short.
    assert ready(wrapped, None) == {mock: READ}


def test_a_real_file_can_be_set_ready_too(wrapped, pair):
    wrapped.register(pair[0], READ, "real")
    wrapped.set_ready(pair[0], READ)
    assert [(key.data, mask) for key, mask in wrapped.select(0)] == [("real", READ)]


def test_on_select_sees_the_timeout_before_selecting(wrapped, pair):
    seen = []
    wrapped.on_select = seen.append
    wrapped.select(0.01)
    wrapped.select(0)
    assert seen == [0.01, 0]


def test_on_select_sees_zero_when_mock_events_are_pending():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ)
    selector.set_ready(mock, READ)
    seen = []
    selector.on_select = seen.append
    selector.select(None)
    assert seen == [0]


# --- closing


def test_close_closes_the_wrapped_selector_and_refuses_new_registrations():
    real = selectors.DefaultSelector()
    selector = TestSelector(real)
    selector.close()
    assert real.get_map() is None  # what a closed stdlib selector answers
    with pytest.raises(RuntimeError, match="is closed"):
        selector.register(FileMock(), READ)


def test_detach_returns_the_wrapped_selector_still_open(pair):
    real = selectors.DefaultSelector()
    selector = TestSelector(real)
    selector.register(FileMock(), READ)
    assert selector.detach() is real
    try:
        real.register(pair[0], READ)
    finally:
        real.close()


def test_test_selector_works_as_a_context_manager():
    with TestSelector(selectors.DefaultSelector()) as selector:
        selector.register(FileMock(), READ)
    assert len(selector.get_map()) == 0


def test_on_select_raising_leaves_pending_events_for_the_next_select():
    selector = TestSelector()
    mock = FileMock()
    selector.register(mock, READ)
    selector.set_ready(mock, READ)

    def refuse(timeout):
        raise RuntimeError("watchdog says no")

    selector.on_select = refuse
    with pytest.raises(RuntimeError, match="watchdog says no"):
        selector.select(None)
    selector.on_select = None
    assert ready(selector) == {mock: READ}
