"""Wrap a function, coroutine function, generator function or async generator
function so that each call runs with fresh patches.

The wrapper is of the same kind as the function (``inspect`` says so), has its
name, docstring and signature (``__wrapped__``), and lists its patchers in
``patchings``, innermost decorator first, as unittest.mock does (pytest reads
that list to tell mock arguments from fixtures). Stacking another asynctest
patch decorator appends to that list instead of wrapping again, so mocks are
passed in the order unittest.mock uses.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from .switching import CallPatches, Switched

__all__ = ["decorate_callable", "is_patched"]

_MARK = "_asynctest_patched"


def is_patched(func: Any) -> bool:
    """Whether ``func`` is a wrapper made by :func:`decorate_callable`."""
    return getattr(func, _MARK, False) is True


def _kind(func: Callable[..., Any]) -> str:
    if inspect.iscoroutinefunction(func):
        return "coroutine function"
    if inspect.isasyncgenfunction(func):
        return "async generator function"
    if inspect.isgeneratorfunction(func):
        return "generator function"
    return "function"


def decorate_callable(func: Callable[..., Any], patcher: Any) -> Callable[..., Any]:
    """Return ``func`` wrapped so that each call is patched by ``patcher`` (fresh mocks).

    With LIMITED scope, a plain function (which cannot be suspended) is
    patched for its whole call, as in asynctest 0.13.
    """
    if is_patched(func):
        original = func.__wrapped__  # type: ignore[attr-defined]
    else:
        original = func
    kind = _kind(original)
    if is_patched(func):
        func.patchings.append(patcher)  # type: ignore[attr-defined]
        return func
    wrapper = _WRAPPERS[kind](original)
    wrapper = functools.wraps(original)(wrapper)
    wrapper.patchings = [patcher]  # type: ignore[attr-defined]
    setattr(wrapper, _MARK, True)
    return wrapper


def _wrap_function(func: Callable[..., Any]) -> Callable[..., Any]:
    def patched(*args: Any, **kwargs: Any) -> Any:
        call = CallPatches(patched.patchings)  # type: ignore[attr-defined]
        extra, extra_kw = call.start()
        try:
            return func(*args, *extra, **{**kwargs, **extra_kw})
        finally:
            call.finish()

    return patched


def _wrap_coroutine_function(func: Callable[..., Any]) -> Callable[..., Any]:
    async def patched(*args: Any, **kwargs: Any) -> Any:
        call = CallPatches(patched.patchings)  # type: ignore[attr-defined]
        if call.has_limited:
            return await Switched(call, make=_maker(func, args, kwargs))
        extra, extra_kw = call.start()
        try:
            return await func(*args, *extra, **{**kwargs, **extra_kw})
        finally:
            call.finish()

    return patched


def _wrap_generator_function(func: Callable[..., Any]) -> Callable[..., Any]:
    def patched(*args: Any, **kwargs: Any) -> Any:
        call = CallPatches(patched.patchings)  # type: ignore[attr-defined]
        if call.has_limited:
            return (yield from Switched(call, make=_maker(func, args, kwargs)))
        extra, extra_kw = call.start()
        try:
            return (yield from func(*args, *extra, **{**kwargs, **extra_kw}))
        finally:
            call.finish()

    return patched


def _wrap_async_generator_function(func: Callable[..., Any]) -> Callable[..., Any]:
    async def patched(*args: Any, **kwargs: Any) -> Any:
        call = CallPatches(patched.patchings)  # type: ignore[attr-defined]
        extra, extra_kw = call.start()
        try:
            agen = func(*args, *extra, **{**kwargs, **extra_kw})
            limited = call.has_limited

            def run(step: Any) -> Any:
                # Each step of the inner generator runs with the patches on.
                return Switched(call, step, owns_call=False) if limited else step

            call.suspend()
            step = agen.asend(None)
            while True:
                try:
                    value = await run(step)
                except StopAsyncIteration:
                    return
                try:
                    sent = yield value
                except GeneratorExit:
                    await run(agen.aclose())
                    raise
                except BaseException as exc:  # forwarded into the inner generator
                    step = agen.athrow(exc)
                else:
                    step = agen.asend(sent)
        finally:
            call.finish()

    return patched


def _maker(
    func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Callable[[list[Any], dict[str, Any]], Any]:
    def make(extra: list[Any], extra_kw: dict[str, Any]) -> Any:
        return func(*args, *extra, **{**kwargs, **extra_kw})

    return make


_WRAPPERS: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    "function": _wrap_function,
    "coroutine function": _wrap_coroutine_function,
    "generator function": _wrap_generator_function,
    "async generator function": _wrap_async_generator_function,
}
