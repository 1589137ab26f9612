"""Each unittest.mock internal that asynctest.mock relies on, checked on this Python.

If one of these fails on a new Python, the accessor of the same name in
src/asynctest/_compat.py (section "unittest.mock internals") needs updating.
"""

from __future__ import annotations

import asyncio
import inspect
import unittest.mock

import pytest

from asynctest import _compat


def test_mock_children_is_the_dict_of_children_made_so_far() -> None:
    mock = unittest.mock.MagicMock()
    child = mock.child
    assert _compat.mock_children(mock) == {"child": child}


def test_mock_return_value_if_made_does_not_make_one() -> None:
    mock = unittest.mock.MagicMock()
    assert _compat.mock_return_value_if_made(mock) is unittest.mock.DEFAULT
    assert _compat.mock_children(mock) == {}
    made = mock.return_value
    assert _compat.mock_return_value_if_made(mock) is made


def test_every_mock_instance_has_a_class_of_its_own() -> None:
    for klass in (
        unittest.mock.Mock,
        unittest.mock.MagicMock,
        unittest.mock.NonCallableMock,
        unittest.mock.NonCallableMagicMock,
        unittest.mock.AsyncMock,
        unittest.mock.PropertyMock,
    ):
        first, second = klass(), klass()
        assert type(first) is not type(second)
        assert type(first).__bases__ == (klass,)


def test_a_mock_with_an_async_spec_is_based_on_async_mock_mixin() -> None:
    async def spec() -> None:
        pass

    assert type(unittest.mock.Mock(spec=spec)).__bases__ == (
        unittest.mock.AsyncMockMixin,
        unittest.mock.Mock,
    )


def test_rebase_instance_class_moves_a_mock_in_place_and_only_once() -> None:
    class Ours(unittest.mock.MagicMock):
        pass

    mapping: dict[type, type] = {unittest.mock.MagicMock: Ours}
    mock = unittest.mock.MagicMock()
    mock.configured.return_value = 1
    assert _compat.rebase_instance_class(mock, mapping)
    assert isinstance(mock, Ours)
    assert type(mock).__name__ == "Ours"
    assert mock.configured() == 1
    assert mock.__len__() == 0  # magic methods set on its own class survive
    assert not _compat.rebase_instance_class(mock, mapping)


def test_rebase_instance_class_never_mutates_a_shared_class() -> None:
    class Plain:
        pass

    class Shared(unittest.mock.MagicMock):
        pass

    with pytest.raises(TypeError, match="no class of its own"):
        _compat.rebase_instance_class(Plain(), {object: Shared})


def test_async_mock_runs_each_await_in_execute_mock_call() -> None:
    method = unittest.mock.AsyncMockMixin._execute_mock_call
    assert inspect.iscoroutinefunction(method)
    mock = unittest.mock.AsyncMock(return_value=5)
    coroutine = mock()
    assert coroutine.cr_code is method.__code__
    assert asyncio.run(coroutine) == 5


def test_notify_after_each_await_calls_back_at_the_end_of_each_await() -> None:
    events: list[str] = []

    class Tracked(unittest.mock.AsyncMock):
        pass

    _compat.notify_after_each_await(Tracked, lambda mock: events.append("notified"))

    async def effect() -> str:
        events.append("effect")
        return "result"

    mock = Tracked(side_effect=effect)
    assert asyncio.run(mock()) == "result"
    assert events == ["effect", "notified"]
    assert mock.await_count == 1
