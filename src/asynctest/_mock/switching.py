"""Fresh patches for one call of a decorated function, switched on and off.

A :class:`CallPatches` holds the patches of one call. ``start`` makes the mocks
(through unittest.mock's own ``patch.object`` and ``patch.dict``) and applies
every patch; ``suspend`` and ``resume`` take the LIMITED ones off and put them
back while the call is suspended; ``finish`` takes everything off. Taking a
patch off restores what is there *now* underneath (unittest.mock reads the
original again each time it patches), so tasks interleaving with their own
mocks of the same attribute never see each other's mock.

:class:`Switched` drives a coroutine, generator or awaitable step by step with
the LIMITED patches on only during each step.
"""

from __future__ import annotations

import enum
import pkgutil
from typing import Any, Callable, Optional
from unittest import mock as _um

from .mocks import adopt, class_replacing

__all__ = ["GLOBAL", "LIMITED", "CallPatches", "PatchScope", "Switched", "check_scope"]


class PatchScope(enum.Enum):
    """How long a patch decorating a coroutine or generator function is active."""

    #: Only while the decorated coroutine or generator is running: off while it
    #: is suspended (other tasks see the original), back on when it resumes.
    LIMITED = "LIMITED"
    #: From the start of the call until it finishes, whatever runs meanwhile.
    GLOBAL = "GLOBAL"

    def __repr__(self) -> str:
        return f"asynctest.{self.value}"


GLOBAL = PatchScope.GLOBAL
LIMITED = PatchScope.LIMITED


def check_scope(scope: Any) -> PatchScope:
    """Return ``scope`` if it is GLOBAL or LIMITED, else raise ValueError naming it."""
    if scope is GLOBAL or scope is LIMITED:
        return scope  # type: ignore[no-any-return]
    raise ValueError(
        f"scope must be asynctest.GLOBAL or asynctest.LIMITED, got {scope!r}"
    )


class AttributeUnit:
    """One attribute to patch, as ``patch``/``patch.object``/``patch.multiple`` describe it."""

    __slots__ = ("target", "attribute", "new", "options", "keyword", "positional")

    def __init__(
        self, target: Any, attribute: str, new: Any, options: dict[str, Any], keyword: bool
    ) -> None:
        #: The object to patch, or a dotted name imported at each call.
        self.target = target
        self.attribute = attribute
        self.new = new
        #: spec, create, spec_set, autospec, new_callable and the mock's kwargs.
        self.options = options
        #: Passed to the decorated function by keyword (patch.multiple) ...
        self.keyword = keyword and new is _um.DEFAULT
        #: ... or as an extra positional argument (patch, patch.object).
        self.positional = not keyword and new is _um.DEFAULT

    def begin(self) -> _LiveAttribute:
        return _LiveAttribute(self)


class DictUnit:
    """One mapping to patch, as ``patch.dict`` describes it."""

    __slots__ = ("in_dict", "values", "clear", "kwargs")

    keyword = False
    positional = False

    def __init__(self, in_dict: Any, values: Any, clear: bool, kwargs: dict[str, Any]) -> None:
        self.in_dict = in_dict
        self.values = values
        self.clear = clear
        self.kwargs = kwargs

    def begin(self) -> _LiveDict:
        return _LiveDict(self)


class _LiveAttribute:
    """An attribute patch of one call: its mock is made once, then put on and off."""

    __slots__ = ("_unit", "_patcher", "_target", "_switching", "made")

    def __init__(self, unit: AttributeUnit) -> None:
        self._unit = unit
        self._patcher: Optional[Any] = None
        self._target: Any = None
        self._switching = False
        self.made: Any = None

    def on(self) -> None:
        if self._patcher is not None:
            self._patcher.__enter__()
            return
        unit = self._unit
        target = unit.target
        if isinstance(target, str):
            target = pkgutil.resolve_name(target)
        self._target = target
        options = unit.options
        made_by_unittest = unit.new is _um.DEFAULT and options["new_callable"] is None
        if made_by_unittest and _no_spec(options):
            # The common case: choose our class up front rather than move the mock.
            options = dict(options, new_callable=class_replacing(target, unit.attribute))
            made_by_unittest = False
        patcher = _um.patch.object(target, unit.attribute, unit.new, **options)
        made = patcher.__enter__()
        if made_by_unittest:
            adopt(made)
        self.made = made
        self._patcher = patcher

    def off(self, keep: bool) -> None:
        patcher = self._patcher
        assert patcher is not None
        patcher.__exit__(None, None, None)
        if keep and not self._switching:
            # From now on, put back the very object the first switch made.
            unit = self._unit
            create = unit.options.get("create", False)
            self._patcher = _um.patch.object(self._target, unit.attribute, self.made, create=create)
            self._switching = True


def _no_spec(options: dict[str, Any]) -> bool:
    return options["spec"] is None and options["spec_set"] is None and options["autospec"] is None


class _LiveDict:
    """A mapping patch of one call; what the call changed in it survives a suspension."""

    __slots__ = ("_unit", "_patcher", "_mapping", "made")

    def __init__(self, unit: DictUnit) -> None:
        self._unit = unit
        self._patcher: Optional[Any] = None
        self._mapping: Any = None
        self.made: Any = None

    def on(self) -> None:
        if self._patcher is None:
            unit = self._unit
            self._patcher = _um.patch.dict(unit.in_dict, unit.values, unit.clear, **unit.kwargs)
        self._mapping = self.made = self._patcher.__enter__()

    def off(self, keep: bool) -> None:
        patcher = self._patcher
        assert patcher is not None
        state = dict(self._mapping) if keep else None
        patcher.__exit__(None, None, None)
        if keep:
            self._patcher = _um.patch.dict(self._mapping, state, clear=True)


class CallPatches:
    """The patches of one call, in decorator order (innermost decorator first)."""

    __slots__ = ("_units", "_live", "_on", "has_limited")

    def __init__(self, patchers: list[Any]) -> None:
        self._units = [(unit, p.scope is LIMITED) for p in patchers for unit in p.units]
        self.has_limited = any(limited for _, limited in self._units)
        self._live: list[tuple[Any, bool]] = []
        self._on = False

    def start(self) -> tuple[list[Any], dict[str, Any]]:
        """Make fresh mocks and apply every patch; return the extra args and kwargs."""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        self._on = True
        try:
            for unit, limited in self._units:
                live = unit.begin()
                live.on()
                self._live.append((live, limited))
                if unit.positional:
                    args.append(live.made)
                elif unit.keyword:
                    kwargs[unit.attribute] = live.made
        except BaseException:
            self.finish()
            raise
        return args, kwargs

    def made_values(self) -> list[Any]:
        """What each patch applied (mock, new value or mapping), in order."""
        return [live.made for live, _ in self._live]

    def suspend(self) -> None:
        """Take the LIMITED patches off, last applied first."""
        if not self._on:
            return
        self._on = False
        for live, limited in reversed(self._live):
            if limited:
                live.off(keep=True)

    def resume(self) -> None:
        """Put the LIMITED patches back on, in order."""
        if self._on:
            return
        done = []
        try:
            for live, limited in self._live:
                if limited:
                    live.on()
                    done.append(live)
        except BaseException:
            for live in reversed(done):
                live.off(keep=True)
            raise
        self._on = True

    def finish(self) -> None:
        """Take every patch still on off, last applied first; errors are raised after all ran."""
        live_list, self._live = self._live, []
        error: Optional[BaseException] = None
        for live, limited in reversed(live_list):
            if limited and not self._on:
                continue
            try:
                live.off(keep=False)
            except BaseException as exc:  # restore the others, then report the first failure
                error = error or exc
        self._on = False
        if error is not None:
            raise error


class Switched:
    """Drive ``inner`` (coroutine, generator or awaitable step) with LIMITED patches on only
    while it runs.

    ``make`` builds the inner object lazily, with the extra arguments of freshly
    made mocks, on the first step. With ``owns_call`` the call's patches are
    finished when ``inner`` ends; otherwise (one step of an async generator)
    only suspended.
    """

    __slots__ = ("_call", "_inner", "_make", "_owns_call")

    def __init__(
        self,
        call: CallPatches,
        inner: Any = None,
        make: Optional[Callable[[list[Any], dict[str, Any]], Any]] = None,
        owns_call: bool = True,
    ) -> None:
        self._call = call
        self._inner = inner
        self._make = make
        self._owns_call = owns_call

    def __await__(self) -> Switched:
        return self

    def __iter__(self) -> Switched:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def _begin(self) -> Any:
        inner = self._inner
        if inner is None:
            assert self._make is not None
            args, kwargs = self._call.start()
            inner = self._inner = self._make(args, kwargs)
        else:
            self._call.resume()
        return inner

    def _end(self, failed: bool) -> None:
        if failed and self._owns_call:
            self._call.finish()
        else:
            self._call.suspend()

    def send(self, value: Any) -> Any:
        try:
            result = self._begin().send(value)
        except BaseException:  # includes StopIteration: the inner object is done
            self._end(True)
            raise
        self._end(False)
        return result

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        exc = typ if val is None else val
        if isinstance(exc, type):
            exc = exc()
        if tb is not None:
            exc = exc.with_traceback(tb)
        if self._inner is None:
            raise exc
        try:
            result = self._begin().throw(exc)
        except BaseException:
            self._end(True)
            raise
        self._end(False)
        return result

    def close(self) -> None:
        if self._inner is None:
            return
        try:
            self._begin().close()
        finally:
            self._end(True)
