"""The asynctest mock classes stay in their family and build on unittest.mock."""

from __future__ import annotations

import asyncio
import inspect
import unittest.mock
from typing import Any

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


# -- made cheaply, answering as unittest.mock's AsyncMock does ---------------------------


async def _spec(a: int, b: int = 1, *args: int, c: int = 0) -> None:
    pass


def _outcome(function: Any, *args: Any) -> tuple[str, str]:
    # What function(*args) gives, or the exception it raises.
    try:
        return "returned", str(function(*args))
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return "raised", type(error).__name__


@pytest.mark.parametrize("kwargs", [{}, {"spec": _spec}, {"spec_set": _spec}, {"name": "n"}])
def test_coroutine_mock_answers_inspect_and_asyncio_as_async_mock(kwargs: dict) -> None:
    import types

    ours, stdlib = am.CoroutineMock(**kwargs), unittest.mock.AsyncMock(**kwargs)
    assert "__code__" not in vars(ours)  # made when first read
    assert inspect.iscoroutinefunction(ours) == inspect.iscoroutinefunction(stdlib)
    assert asyncio.iscoroutinefunction(ours) and asyncio.iscoroutinefunction(stdlib)
    assert _outcome(inspect.signature, ours) == _outcome(inspect.signature, stdlib)
    assert isinstance(ours.__code__, types.CodeType)
    assert ours.__code__ is ours.__code__  # made once, then kept
    assert ours.__code__.co_flags == stdlib.__code__.co_flags
    assert ("__code__" in dir(ours)) == ("__code__" in dir(stdlib))
    assert ("__name__" in dir(ours)) == ("__name__" in dir(stdlib))


def test_coroutine_mock_code_can_be_replaced_and_deleted_as_async_mock_s() -> None:
    for make in (am.CoroutineMock, unittest.mock.AsyncMock):
        mock = make()
        mock.__code__ = "replaced"
        assert mock.__code__ == "replaced"
        unread, read = make(), make()
        read.__code__  # noqa: B018 - made, then deleted
        for deleted in (unread, read):
            del deleted.__code__
            with pytest.raises(AttributeError):
                deleted.__code__  # noqa: B018
            assert "__code__" not in dir(deleted)
            assert not inspect.iscoroutinefunction(deleted)


def test_coroutine_mock_pickles_and_reprs_as_async_mock() -> None:
    import pickle

    ours, stdlib = am.CoroutineMock(name="m"), unittest.mock.AsyncMock(name="m")
    with pytest.raises(Exception) as ours_error:
        pickle.dumps(ours)
    with pytest.raises(Exception) as stdlib_error:
        pickle.dumps(stdlib)
    assert type(ours_error.value) is type(stdlib_error.value)
    assert repr(ours).startswith("<CoroutineMock name='m' id=")
    assert repr(stdlib).startswith("<AsyncMock name='m' id=")


def test_coroutine_mock_magic_methods_work_as_async_mock_s() -> None:
    import contextlib

    async def scenario(mock: object) -> object:
        async with contextlib.AsyncExitStack() as stack:  # reads type(mock).__aenter__
            entered = await stack.enter_async_context(mock)
        with contextlib.ExitStack() as stack:  # reads type(mock).__enter__
            stack.enter_context(mock)
        return entered

    for make in (am.CoroutineMock, unittest.mock.AsyncMock):
        mock = make()
        assert run(scenario(mock)) is mock.__aenter__.return_value
        mock.__aexit__.assert_awaited_once()
        # Read off the class, then called with the mock (unittest.mock's doing).
        mock.__enter__.assert_called_once_with(mock)
        assert len(mock) == 0 and list(mock) == [] and 3 not in mock
        mock.__len__.return_value = 2
        assert len(mock) == 2 and len(make()) == 0
        with pytest.raises(TypeError):
            len(make(spec=_spec))  # a function has no __len__


def test_children_are_made_in_the_family_directly() -> None:
    # No unittest.mock child is made then moved: its class is based on ours.
    coroutine_mock, magic_mock = am.CoroutineMock(), am.MagicMock()
    for child, klass in (
        (coroutine_mock.return_value, am.CoroutineMock),
        (coroutine_mock.attribute, am.CoroutineMock),
        (coroutine_mock.__enter__, am.MagicMock),
        (magic_mock.__aenter__, am.CoroutineMock),
        (magic_mock.attribute, am.MagicMock),
        (am.MagicMock(spec=Service).load, am.CoroutineMock),
        (am.NonCallableMagicMock().attribute, am.MagicMock),
        (am.NonCallableMock().attribute, am.Mock),
    ):
        assert type(child).__bases__ == (klass,), child


def test_a_sealed_mock_refuses_new_children_as_unittest_mock_does() -> None:
    for ours, stdlib in ((am.CoroutineMock(name="m"), unittest.mock.AsyncMock(name="m")),
                         (am.MagicMock(name="m"), unittest.mock.MagicMock(name="m"))):
        am.seal(ours)
        unittest.mock.seal(stdlib)
        for read in (lambda m: m.new_attribute, lambda m: m.return_value):
            with pytest.raises(AttributeError) as ours_error:
                read(ours)
            with pytest.raises(AttributeError) as stdlib_error:
                read(stdlib)
            assert str(ours_error.value) == str(stdlib_error.value)


async def _with_attribute(x: int) -> int:
    return x


_with_attribute.marker = "set"  # type: ignore[attr-defined]


@pytest.mark.parametrize("spec", [_spec, _with_attribute])
@pytest.mark.parametrize("spec_set", [False, True])
def test_create_autospec_of_a_coroutine_function_answers_as_unittest_mock_s(
    spec: object, spec_set: bool
) -> None:
    ours = am.create_autospec(spec, spec_set, _name="named")
    stdlib = unittest.mock.create_autospec(spec, spec_set, _name="named")
    assert isinstance(ours.mock, am.CoroutineMock)
    assert inspect.iscoroutinefunction(ours)
    assert asyncio.iscoroutinefunction(ours)
    assert str(inspect.signature(ours)) == str(inspect.signature(stdlib))
    assert ours.__name__ == stdlib.__name__
    assert repr(ours.mock).split(" id=")[0] == repr(stdlib.mock).split(" id=")[0].replace(
        "AsyncMock", "CoroutineMock"
    )
    assert ours.mock._spec_class is stdlib.mock._spec_class
    # An attribute of the function is mocked too (here by unittest.mock itself).
    assert sorted(ours.mock._mock_children) == sorted(stdlib.mock._mock_children)
    with pytest.raises(TypeError):
        run(ours(1, 2, 3, 4, d=5))
    ours.return_value = 7
    assert run(ours(1)) == 7
    ours.assert_awaited_once_with(1)
    assert ours.await_count == 1 and ours.mock.awaited
    with pytest.raises(AssertionError):
        ours.assert_awaited_with(2)
    if spec_set:
        with pytest.raises(AttributeError):
            ours.mock.not_in_spec = 1
