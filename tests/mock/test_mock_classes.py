"""The asynctest mock classes stay in their family and build on unittest.mock."""

from __future__ import annotations

import asyncio
import inspect
import unittest.mock

import pytest
from mock_targets import Service, fetch

import asynctest.mock as am


def run(coro):  # type: ignore[no-untyped-def]
    async def bounded():  # type: ignore[no-untyped-def]
        return await asyncio.wait_for(coro, timeout=5)

    return asyncio.run(bounded())


@pytest.mark.parametrize(
    ("ours", "stdlib"),
    [
        (am.Mock, unittest.mock.Mock),
        (am.MagicMock, unittest.mock.MagicMock),
        (am.NonCallableMock, unittest.mock.NonCallableMock),
        (am.NonCallableMagicMock, unittest.mock.NonCallableMagicMock),
        (am.CoroutineMock, unittest.mock.AsyncMock),
        (am.PropertyMock, unittest.mock.PropertyMock),
    ],
)
def test_each_class_subclasses_its_unittest_mock_namesake(ours: type, stdlib: type) -> None:
    assert issubclass(ours, stdlib)
    assert isinstance(ours(), ours)


def test_async_mock_is_an_alias_of_coroutine_mock() -> None:
    assert am.AsyncMock is am.CoroutineMock


def test_shared_helpers_are_unittest_mock_objects() -> None:
    assert am.ANY is unittest.mock.ANY
    assert am.DEFAULT is unittest.mock.DEFAULT
    assert am.sentinel is unittest.mock.sentinel
    assert am.call is unittest.mock.call
    assert am.seal is unittest.mock.seal


def test_every_name_of_all_is_importable() -> None:
    for name in am.__all__:
        assert getattr(am, name) is not None, name


@pytest.mark.parametrize("klass", [am.Mock, am.MagicMock])
def test_attribute_and_return_value_children_stay_in_the_family(klass: type) -> None:
    mock = klass()
    assert isinstance(mock.child, klass)
    assert isinstance(mock.child.grandchild(), klass)
    assert isinstance(mock(), klass)


def test_non_callable_mocks_make_callable_children_of_the_family() -> None:
    assert isinstance(am.NonCallableMock().child, am.Mock)
    assert isinstance(am.NonCallableMagicMock().child, am.MagicMock)


@pytest.mark.parametrize("klass", [am.Mock, am.MagicMock, am.NonCallableMagicMock])
def test_spec_coroutine_method_becomes_a_coroutine_mock(klass: type) -> None:
    mock = klass(spec=Service)
    assert isinstance(mock.load, am.CoroutineMock)
    called = mock.load("key")
    assert inspect.iscoroutine(called)
    called.close()
    assert not isinstance(mock.name, am.CoroutineMock)
    assert isinstance(mock.name, am.MagicMock if klass is not am.Mock else am.Mock)


def test_coroutine_mock_children_are_coroutine_mocks_and_sync_magics_magic_mocks() -> None:
    mock = am.CoroutineMock()
    assert isinstance(mock.method, am.CoroutineMock)
    assert isinstance(mock.__enter__, am.MagicMock)


def test_calling_and_awaiting_a_coroutine_mock_gives_its_return_value() -> None:
    mock = am.CoroutineMock(return_value=42)
    result = mock(1, key="v")
    assert inspect.iscoroutine(result)
    assert run(result) == 42
    mock.assert_awaited_once_with(1, key="v")


def test_coroutine_mock_side_effect_exception_is_raised_when_awaited() -> None:
    mock = am.CoroutineMock(side_effect=KeyError("gone"))
    with pytest.raises(KeyError, match="gone"):
        run(mock())
    assert mock.await_count == 1


def test_autospec_coroutine_method_is_a_coroutine_mock() -> None:
    mock = am.create_autospec(Service)
    instance = mock()
    assert isinstance(mock, am.MagicMock)
    assert isinstance(instance, am.NonCallableMagicMock)
    assert isinstance(instance.load, am.CoroutineMock)
    assert isinstance(instance.name, am.MagicMock)
    assert run(instance.load("k")) is instance.load.return_value


def test_autospec_checks_the_signature() -> None:
    instance = am.create_autospec(Service, instance=True)
    with pytest.raises(TypeError):
        instance.load("a", "too many")


def test_autospec_of_a_coroutine_function_is_async_and_its_mock_a_coroutine_mock() -> None:
    spec = am.create_autospec(fetch)
    assert isinstance(spec.mock, am.CoroutineMock)
    called = spec()
    assert inspect.iscoroutine(called)
    run(called)
    spec.assert_awaited_once_with()


def test_autospec_lazy_attributes_join_the_family() -> None:
    class Outer:
        inner = Service

    mock = am.create_autospec(Outer)
    assert isinstance(mock.inner, am.MagicMock)
    assert isinstance(mock.inner().load, am.CoroutineMock)


def test_magic_mock_supports_async_with() -> None:
    mock = am.MagicMock()

    async def use() -> object:
        async with mock as entered:
            return entered

    assert run(use()) is mock.__aenter__.return_value
    assert isinstance(mock.__aenter__, am.CoroutineMock)
    mock.__aexit__.assert_awaited_once()


def test_magic_mock_supports_async_for() -> None:
    mock = am.MagicMock()
    mock.__aiter__.return_value = [1, 2, 3]

    async def use() -> list[int]:
        return [item async for item in mock]

    assert run(use()) == [1, 2, 3]


def test_mock_open_returns_an_asynctest_magic_mock_with_its_data() -> None:
    opener = am.mock_open(read_data="line 1\nline 2\n")
    assert isinstance(opener, am.MagicMock)
    with opener("path") as handle:
        assert isinstance(handle, am.MagicMock)
        assert handle.readline() == "line 1\n"
        assert handle.read() == "line 2\n"
    opener.assert_called_once_with("path")


def test_mock_open_keeps_a_given_mock() -> None:
    given = am.MagicMock()
    assert am.mock_open(given) is given


def test_property_mock_children_are_asynctest_magic_mocks() -> None:
    prop = am.PropertyMock(return_value=3)
    assert isinstance(prop.child, am.MagicMock)
    assert prop() == 3


def test_seal_works_on_asynctest_mocks() -> None:
    mock = am.MagicMock()
    mock.known.return_value = 1
    am.seal(mock)
    assert mock.known() == 1
    with pytest.raises(AttributeError):
        mock.unknown  # noqa: B018


def test_adopt_moves_a_unittest_mock_tree_in_place() -> None:
    from asynctest._mock.mocks import adopt

    stdlib = unittest.mock.MagicMock()
    child = stdlib.child
    coroutine_child = unittest.mock.MagicMock(spec=Service).load
    assert adopt(stdlib) is stdlib
    assert isinstance(stdlib, am.MagicMock)
    assert isinstance(child, am.MagicMock)
    assert isinstance(adopt(coroutine_child), am.CoroutineMock)


def test_adopt_leaves_other_mock_classes_alone() -> None:
    from asynctest._mock.mocks import adopt

    class Custom(unittest.mock.MagicMock):
        pass

    custom = Custom()
    adopt(custom)
    assert type(custom).__mro__[1] is Custom
    assert not isinstance(custom, am.MagicMock)
