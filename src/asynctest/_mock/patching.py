"""``patch``, ``patch.object``, ``patch.multiple``, ``patch.dict`` with scopes.

Each returns a :class:`Patcher`: a decorator (of functions, coroutine
functions, generator and async generator functions, and classes), a context
manager and a ``start()``/``stop()`` pair, like unittest.mock's. The mocks
themselves are made by unittest.mock (``patch.object``/``patch.dict`` with the
same arguments) and moved into the asynctest family; arguments are checked by
unittest.mock when the patcher is made, so errors read the same.
"""

from __future__ import annotations

import inspect
from typing import Any, Optional, TypeVar, cast
from unittest import mock as _um

from .decorating import decorate_callable
from .switching import (
    GLOBAL,
    LIMITED,
    AttributeUnit,
    CallPatches,
    DictUnit,
    PatchScope,
    check_scope,
)

__all__ = ["Patcher", "patch"]

DEFAULT = _um.DEFAULT

T = TypeVar("T")


class Patcher:
    """One ``patch*`` call: a decorator, a context manager, or started and stopped.

    As a decorator, each call of the decorated function gets fresh mocks, passed
    as extra positional arguments (``patch``, ``patch.object`` with no ``new``)
    or keyword arguments (``patch.multiple`` with ``DEFAULT`` values), after the
    caller's. ``scope`` decides how long they are active in a coroutine or
    generator: :data:`GLOBAL` (the whole call) or :data:`LIMITED` (only while it
    runs, not while it is suspended). As a context manager or with
    ``start()``, the patch is active until exit or ``stop()``, whatever the
    scope (the code in the block runs all along, as in asynctest 0.13).
    """

    def __init__(self, units: list[Any], scope: PatchScope, returns: str) -> None:
        self.units = units
        self.scope = check_scope(scope)
        self._returns = returns
        self._active: list[CallPatches] = []
        # Read by pytest to count the mock arguments of a decorated test.
        first = units[0]
        self.new = getattr(first, "new", None)
        self.attribute_name: Optional[str] = (
            first.attribute if returns == "dict of mocks" else None
        )

    def __repr__(self) -> str:
        return f"<asynctest patcher of {len(self.units)} target(s), scope={self.scope!r}>"

    def copy(self) -> Patcher:
        """A new patcher with the same targets and scope, not started."""
        return Patcher(self.units, self.scope, self._returns)

    def __call__(self, func: T) -> T:
        # Typed as unittest.mock's patch is: the decorated function keeps its
        # signature, mock parameters included.
        if isinstance(func, type):
            return cast(T, self._decorate_class(func))
        if not callable(func):
            raise TypeError(f"patch decorates a function or a class, got {func!r}")
        return cast(T, decorate_callable(func, self))

    def _decorate_class(self, klass: type) -> type:
        """Patch every attribute named ``patch.TEST_PREFIX``... that is callable.

        Coroutine and generator methods get this scope; with LIMITED, plain
        methods (which cannot be suspended) are patched for their whole call.
        """
        for name in dir(klass):
            if not name.startswith(patch.TEST_PREFIX):
                continue
            method = getattr(klass, name)
            if not callable(method):
                continue
            if self.scope is LIMITED and not _suspends(method):
                setattr(klass, name, decorate_callable(method, self._global_copy()))
            else:
                setattr(klass, name, decorate_callable(method, self))
        return klass

    def _global_copy(self) -> Patcher:
        return Patcher(self.units, GLOBAL, self._returns)

    def __enter__(self) -> Any:
        call = CallPatches([self._global_copy()] if self.scope is LIMITED else [self])
        args, kwargs = call.start()
        self._active.append(call)
        if self._returns == "mock":
            return args[0] if args else self.units[0].new
        if self._returns == "dict of mocks":
            return kwargs
        return call.made_values()[0]

    def __exit__(self, *exc_info: Any) -> None:
        if not self._active:
            raise RuntimeError(f"{self!r} is not started; nothing to stop")
        self._active.pop().finish()

    def start(self) -> Any:
        """Apply the patch until :meth:`stop` or ``patch.stopall()``; return what ``with`` gives."""
        result = self.__enter__()
        _started.append(self)
        return result

    def stop(self) -> None:
        """Undo :meth:`start`. Raises RuntimeError if the patcher is not started."""
        self.__exit__(None, None, None)
        if self in _started:
            _started.remove(self)


def _suspends(func: Any) -> bool:
    original = getattr(func, "__wrapped__", func) if hasattr(func, "patchings") else func
    return bool(
        inspect.iscoroutinefunction(original)
        or inspect.isgeneratorfunction(original)
        or inspect.isasyncgenfunction(original)
    )


_started: list[Patcher] = []


def _split_target(target: Any) -> tuple[str, str]:
    if not isinstance(target, str) or "." not in target:
        raise TypeError(
            f"patch() needs a dotted name 'package.module.attribute' as target, got {target!r}"
        )
    owner, attribute = target.rsplit(".", 1)
    return owner, attribute


def _options(
    spec: Any, create: bool, spec_set: Any, autospec: Any, new_callable: Any, kwargs: Any
) -> dict[str, Any]:
    return dict(
        spec=spec,
        create=create,
        spec_set=spec_set,
        autospec=autospec,
        new_callable=new_callable,
        **kwargs,
    )


def _patch(
    target: str,
    new: Any = DEFAULT,
    spec: Any = None,
    create: bool = False,
    spec_set: Any = None,
    autospec: Any = None,
    new_callable: Any = None,
    scope: PatchScope = GLOBAL,
    **kwargs: Any,
) -> Patcher:
    """Patch the attribute named by ``target`` ('package.module.attribute').

    The arguments are unittest.mock.patch's, plus ``scope`` (GLOBAL or
    LIMITED). ``target`` is imported at each call, as in unittest.mock. The
    mock made when ``new`` is not given is an asynctest mock (a
    :class:`CoroutineMock` for a coroutine function).
    """
    check_scope(scope)
    owner, attribute = _split_target(target)
    _um.patch(target, new, spec, create, spec_set, autospec, new_callable, **kwargs)
    options = _options(spec, create, spec_set, autospec, new_callable, kwargs)
    return Patcher([AttributeUnit(owner, attribute, new, options, False)], scope, "mock")


def _patch_object(
    target: Any,
    attribute: str,
    new: Any = DEFAULT,
    spec: Any = None,
    create: bool = False,
    spec_set: Any = None,
    autospec: Any = None,
    new_callable: Any = None,
    scope: PatchScope = GLOBAL,
    **kwargs: Any,
) -> Patcher:
    """Patch ``attribute`` of the object ``target``; arguments as ``patch``'s."""
    check_scope(scope)
    _um.patch.object(target, attribute, new, spec, create, spec_set, autospec, new_callable,
                     **kwargs)
    options = _options(spec, create, spec_set, autospec, new_callable, kwargs)
    return Patcher([AttributeUnit(target, attribute, new, options, False)], scope, "mock")


def _patch_multiple(
    target: Any,
    spec: Any = None,
    create: bool = False,
    spec_set: Any = None,
    autospec: Any = None,
    new_callable: Any = None,
    scope: PatchScope = GLOBAL,
    **kwargs: Any,
) -> Patcher:
    """Patch several attributes of ``target`` (object or dotted name) at once.

    ``kwargs`` maps attribute names to new values; ``DEFAULT`` values get a
    fresh mock each, passed to a decorated function by keyword (and returned
    in a dict by ``with``/``start()``).
    """
    check_scope(scope)
    _um.patch.multiple(target, spec, create, spec_set, autospec, new_callable, **kwargs)
    options = _options(spec, create, spec_set, autospec, new_callable, {})
    units: list[Any] = [
        AttributeUnit(target, name, value, options, True) for name, value in kwargs.items()
    ]
    return Patcher(units, scope, "dict of mocks")


def _patch_dict(
    in_dict: Any,
    values: Any = (),
    clear: bool = False,
    scope: PatchScope = GLOBAL,
    **kwargs: Any,
) -> Patcher:
    """Patch a mapping (or the dotted name of one) with ``values`` and ``kwargs``.

    Restored on exit. With LIMITED scope, what the decorated coroutine changed
    in the mapping is kept while it is suspended and put back when it resumes.
    """
    check_scope(scope)
    _um.patch.dict(in_dict, values, clear, **kwargs)
    return Patcher([DictUnit(in_dict, values, clear, kwargs)], scope, "mapping")


def _stopall() -> None:
    """Stop every patcher started with ``start()`` (asynctest's and unittest.mock's)."""
    while _started:
        _started[-1].stop()
    _um.patch.stopall()


class _PatchFunction:
    """``patch(target, ...)`` with ``.object``, ``.multiple``, ``.dict``, ``.stopall``."""

    TEST_PREFIX = "test"

    object = staticmethod(_patch_object)
    multiple = staticmethod(_patch_multiple)
    dict = staticmethod(_patch_dict)
    stopall = staticmethod(_stopall)

    __call__ = staticmethod(_patch)
    __doc__ = _patch.__doc__

    def __repr__(self) -> str:
        return "asynctest.mock.patch"


patch = _PatchFunction()
