"""The asynctest mock classes: unittest.mock's, kept in one family.

Each class subclasses its unittest.mock namesake and changes one thing: every
mock it makes (children, return values, autospecced attributes, async magic
methods) is an asynctest mock too, so ``isinstance(m.method, CoroutineMock)``
holds wherever unittest.mock would have made an ``AsyncMock``. Mocks that
unittest.mock makes itself (in ``create_autospec``, ``patch``, ``mock_open``)
are moved into the family in place by :func:`adopt`.
"""

from __future__ import annotations

import functools
import inspect
import sys
import types
from typing import Any, Optional
from unittest import mock as _um

from .. import _compat
from .awaited import Awaited

__all__ = [
    "CoroutineMock",
    "MagicMock",
    "Mock",
    "NonCallableMagicMock",
    "NonCallableMock",
    "PropertyMock",
    "adopt",
    "class_replacing",
    "create_autospec",
    "mock_open",
]


class _Family:
    """What every asynctest mock class adds to its unittest.mock base."""

    def _get_child_mock(self, /, **kw: Any) -> Any:
        # unittest.mock's choice of class (AsyncMock for async methods and
        # async magics, the callable variant for non-callables, ...), made in
        # our family up front: cheaper than making one of its mocks (an
        # AsyncMock's code mock) and moving it.
        klass = _compat.child_mock_class(self, kw.get("_new_name"))
        if klass is None:  # sealed: unittest.mock raises
            child = super()._get_child_mock(**kw)  # type: ignore[misc]
            _compat.rebase_instance_class(child, _FAMILY)
            return child
        return _FAMILY.get(klass, klass)(**kw)

    def _mock_add_spec(self, spec: Any, spec_set: Any, *args: Any, **kwargs: Any) -> None:
        if spec is None:
            # unittest.mock (3.9-3.11) looks for coroutine functions among the
            # attributes of None for every mock made without a spec.
            _compat.add_no_spec(self, spec_set)
        else:
            super()._mock_add_spec(spec, spec_set, *args, **kwargs)  # type: ignore[misc]

    def __getattr__(self, name: str) -> Any:
        # Autospecced attributes are made lazily by unittest.mock's own
        # create_autospec, in its own classes.
        result = super().__getattr__(name)  # type: ignore[misc]
        if type(result).__bases__[-1] in _FAMILY:
            adopt(result)
        return result


def _plain_function() -> None:
    pass


async def _coroutine_function() -> None:
    pass


# Real code objects, shared by every mock: a mock's ``__code__`` is what
# inspect.iscoroutinefunction reads when the mock passes for a function.
_PLAIN_CODE = _plain_function.__code__
_COROUTINE_CODE = _coroutine_function.__code__
_COROUTINE_MARKS = _compat.coroutine_function_marks()


def _set_is_coroutine(mock: Any, value: Any) -> None:
    flag = bool(value)
    found = mock.__dict__
    found["_asynctest_is_coroutine"] = flag
    found["__code__"] = _COROUTINE_CODE if flag else _PLAIN_CODE
    if flag:
        found.update(_COROUTINE_MARKS)
    else:
        for name in _COROUTINE_MARKS:
            found.pop(name, None)


class _IsCoroutineOption:
    """``is_coroutine``, as in asynctest 0.13: is the mock taken for a coroutine function?

    By default (False) ``inspect.iscoroutinefunction`` and
    ``asyncio.iscoroutinefunction`` answer False, also for a mock whose spec is
    a plain function (unittest.mock's MagicMock answers True there, and its
    Mock raises TypeError). With ``is_coroutine=True`` (argument or attribute),
    ``asyncio.iscoroutinefunction`` answers True, and so does
    ``inspect.iscoroutinefunction`` on Python 3.12+ (and on older ones when
    the spec is a function). A spec that is a coroutine function makes
    unittest.mock's AsyncMock behaviour, which takes precedence.
    """

    def __init__(self, /, *args: Any, is_coroutine: Optional[bool] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "__code__" not in self.__dict__:  # AsyncMock (coroutine spec) sets its own
            _set_is_coroutine(self, is_coroutine)

    @property
    def is_coroutine(self) -> bool:
        """True if ``asyncio.iscoroutinefunction`` takes the mock for a coroutine function."""
        return bool(self.__dict__.get("_asynctest_is_coroutine", False))

    @is_coroutine.setter
    def is_coroutine(self, value: Any) -> None:
        _set_is_coroutine(self, value)

    def __setattr__(self, name: str, value: Any) -> None:
        # unittest.mock's __setattr__ would refuse it on a mock with spec_set.
        if name == "is_coroutine":
            _set_is_coroutine(self, value)
        else:
            super().__setattr__(name, value)


class _Magics:
    """What asynctest's magic mocks add: unittest.mock's magic methods, set cheaper."""

    def _mock_set_magics(self) -> None:
        _compat.set_magics(self)


class NonCallableMock(_IsCoroutineOption, _Family, _um.NonCallableMock):
    """``unittest.mock.NonCallableMock`` whose children are asynctest mocks.

    ``is_coroutine=True`` makes ``asyncio.iscoroutinefunction`` take it for a
    coroutine function (see :class:`Mock`).
    """


class NonCallableMagicMock(_IsCoroutineOption, _Family, _Magics, _um.NonCallableMagicMock):
    """``unittest.mock.NonCallableMagicMock`` whose children are asynctest mocks.

    ``is_coroutine=True`` makes ``asyncio.iscoroutinefunction`` take it for a
    coroutine function (see :class:`Mock`).
    """


class Mock(_IsCoroutineOption, _Family, _um.Mock):
    """``unittest.mock.Mock`` whose children are asynctest mocks.

    An attribute of the spec that is a coroutine function is a
    :class:`CoroutineMock`. As in asynctest 0.13, a Mock is not taken for a
    coroutine function (``inspect.iscoroutinefunction`` and
    ``asyncio.iscoroutinefunction`` answer False, also with a plain function
    as spec) unless made with ``is_coroutine=True`` or given that attribute;
    then ``asyncio.iscoroutinefunction`` answers True, and so does
    ``inspect.iscoroutinefunction`` on Python 3.12+ (before, only when the spec
    is a function). To mock a coroutine function, use :class:`CoroutineMock`.
    """


class MagicMock(_IsCoroutineOption, _Family, _Magics, _um.MagicMock):
    """``unittest.mock.MagicMock`` whose children are asynctest mocks.

    Supports ``async with`` and ``async for`` (``__aenter__``, ``__aexit__``,
    ``__aiter__``, ``__anext__`` are :class:`CoroutineMock` or configurable
    like any magic method). ``is_coroutine`` as for :class:`Mock`.
    """


class PropertyMock(_Family, _um.PropertyMock):
    """``unittest.mock.PropertyMock`` whose children are asynctest mocks."""

    def _get_child_mock(self, /, **kw: Any) -> Any:
        return MagicMock(**kw)


class _LazyCode:
    """``CoroutineMock.__code__``: the mock of a code object AsyncMock has, made on first read.

    unittest.mock makes it in ``AsyncMock.__init__`` for every instance
    (``inspect`` reads it to take the mock for a coroutine function); most
    mocks are never asked. Once made it lives in the instance's ``__dict__``,
    where unittest.mock keeps it, and this non-data descriptor steps aside.
    """

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            raise AttributeError("__code__")
        if "__code__" in _compat.mock_children(instance):
            # Deleted (``del mock.__code__``): unittest.mock raises AttributeError.
            raise AttributeError("__code__")
        code = instance.__dict__["__code__"] = _compat.new_code_mock()
        return code


class CoroutineMock(_Family, _Magics, _um.AsyncMock):
    """``unittest.mock.AsyncMock`` that also tells when it was awaited.

    Calling it returns a coroutine; awaiting it runs ``side_effect`` and gives
    ``return_value`` exactly like ``AsyncMock``. :attr:`awaited` is truthy once
    the mock was awaited and can be awaited on, from any event loop:
    ``await mock.awaited.wait()`` returns once the mock was awaited at least
    once, ``wait_next()`` once it is awaited once more from now on,
    ``wait_for(predicate)`` once ``predicate(mock)`` is true (see :class:`Awaited`).

    Waiters are woken when an await of the mock ends (returns, raises or is
    cancelled), as in asynctest 0.13.
    """

    __code__ = _LazyCode()

    def __new__(cls, /, *args: Any, **kwargs: Any) -> Any:
        return _compat.new_mock_with_magics(cls)

    def __init__(self, /, *args: Any, **kwargs: Any) -> None:
        _compat.init_async_mock_but_code(self, args, kwargs)

    def __dir__(self) -> list[str]:
        names = super().__dir__()
        if (
            _um.FILTER_DIR
            and "__code__" not in names
            and "__code__" not in _compat.mock_children(self)
        ):
            # unittest.mock lists the code mock it keeps in the instance's __dict__.
            names = sorted([*names, "__code__"])
        return names

    @property
    def awaited(self) -> Awaited:
        """The :class:`Awaited` of this mock: truthy once awaited, and awaitable on."""
        found = self.__dict__.get("_asynctest_awaited")
        if found is None:
            found = self.__dict__["_asynctest_awaited"] = Awaited(self)
        return found  # type: ignore[no-any-return]



def _notify_awaited(mock: Any) -> None:
    found = mock.__dict__.get("_asynctest_awaited")
    if found is not None:
        found.notify()


_compat.notify_after_each_await(CoroutineMock, _notify_awaited)


#: unittest.mock classes and the asynctest class that replaces each.
_FAMILY: dict[type, type] = {
    _um.NonCallableMock: NonCallableMock,
    _um.NonCallableMagicMock: NonCallableMagicMock,
    _um.Mock: Mock,
    _um.MagicMock: MagicMock,
    _um.PropertyMock: PropertyMock,
    _um.AsyncMock: CoroutineMock,
}


def adopt(obj: Any) -> Any:
    """Move ``obj`` and the mocks it made so far into the asynctest family, in place.

    ``obj`` is a mock made by unittest.mock (e.g. by its ``create_autospec``) or
    a function made by autospeccing (its ``.mock`` is adopted). Children, return
    values and their own children are adopted too; children made later are
    asynctest mocks anyway. Mocks of other classes (yours, or already ours) are
    left as they are, and so are their children. Returns ``obj``.
    """
    root = obj
    # type(), not isinstance(): a mock with a spec pretends to be of the spec's class.
    if type(obj) is types.FunctionType:
        root = obj.__dict__.get("mock")
    todo = [root]
    seen: set[int] = set()
    while todo:
        item = todo.pop()
        if id(item) in seen or not issubclass(type(item), _um.NonCallableMock):
            continue
        seen.add(id(item))
        # The root's children are walked even when the root is ours already
        # (``mock_open(MagicMock())`` hangs a unittest.mock handle on it).
        if not _compat.rebase_instance_class(item, _FAMILY) and item is not root:
            continue
        todo.extend(_compat.mock_children(item).values())
        todo.append(_compat.mock_return_value_if_made(item))
    return obj


def class_replacing(owner: Any, attribute: str) -> type:
    """The class of the mock that ``patch`` makes, with no spec, to replace ``owner.attribute``.

    :class:`CoroutineMock` for a coroutine function (also behind a
    ``staticmethod``/``classmethod`` or a bound method), an awaitable or an
    AsyncMock; :class:`MagicMock` otherwise (also when the attribute is
    missing). This is unittest.mock's choice, made in our classes up front so
    that the mock is not moved afterwards.
    """
    try:
        original = vars(owner)[attribute]
    except (TypeError, KeyError):
        original = getattr(owner, attribute, None)
    if issubclass(type(original), _um.NonCallableMock):
        return CoroutineMock if isinstance(original, _um.AsyncMock) else MagicMock
    original = getattr(original, "__func__", original)
    if inspect.iscoroutinefunction(original) or inspect.isawaitable(original):
        return CoroutineMock
    return MagicMock


def create_autospec(
    spec: Any,
    spec_set: Any = False,
    instance: bool = False,
    _parent: Optional[Any] = None,
    _name: Optional[str] = None,
    **kwargs: Any,
) -> Any:
    """Make a mock shaped like ``spec`` (``unittest.mock.create_autospec``), in asynctest classes.

    Coroutine functions of the spec become :class:`CoroutineMock`; a coroutine
    function given as ``spec`` gives, like unittest.mock, an ``async def``
    function checking the signature, whose ``.mock`` is a CoroutineMock.
    """
    if not kwargs and not instance and _parent is None and _plain_coroutine_function(spec):
        # What unittest.mock does for a coroutine function, with a CoroutineMock
        # made up front (no AsyncMock made then moved into the family).
        mock = CoroutineMock(
            parent=None, _new_parent=None, _new_name="", name=_name,
            **{"spec_set" if spec_set else "spec": spec},
        )
        made = _compat.autospec_coroutine_function(mock, spec)
    else:
        made = _um.create_autospec(spec, spec_set, instance, _parent, _name, **kwargs)
        adopt(made)
    if type(made) is types.FunctionType and not inspect.iscoroutinefunction(made):
        if isinstance(made.__dict__.get("mock"), _um.AsyncMock):
            return _as_coroutine_function(made)
    return made


def _plain_coroutine_function(spec: Any) -> bool:
    # An ``async def`` function with no attribute that create_autospec would
    # mock too (it mocks every name of dir(spec) but the magic ones).
    if type(spec) is not types.FunctionType or not spec.__code__.co_flags & inspect.CO_COROUTINE:
        return False
    return all(
        len(name) > 4 and name[:2] == name[-2:] == "__" for name in spec.__dict__
    )


def _as_coroutine_function(function: Any) -> Any:
    """``function`` (unittest.mock's autospec of a coroutine function), as a coroutine function.

    unittest.mock returns a plain function that returns the mock's coroutine,
    which inspect.iscoroutinefunction takes for a coroutine function only on
    3.13+. On 3.12 marking it is enough; before, it is put behind an
    ``async def`` that carries its attributes and stands in for it as the
    mock's delegate (where ``called``, ``return_value``... are kept). There the
    arguments are checked against the signature when the call is awaited, not
    when it is made.
    """
    if sys.version_info >= (3, 12):
        return inspect.markcoroutinefunction(function)

    async def autospecced(*args: Any, **kwargs: Any) -> Any:
        return await function(*args, **kwargs)

    functools.update_wrapper(autospecced, function)
    _compat.set_mock_delegate(function.mock, autospecced)
    return autospecced


def mock_open(mock: Optional[Any] = None, read_data: Any = "") -> Any:
    """``unittest.mock.mock_open`` that returns an asynctest :class:`MagicMock`.

    ``mock`` defaults to ``MagicMock(name="open", spec=open)``; the file handle
    it returns is an asynctest MagicMock too.
    """
    if mock is None:
        mock = MagicMock(name="open", spec=open)
    return adopt(_um.mock_open(mock, read_data))
