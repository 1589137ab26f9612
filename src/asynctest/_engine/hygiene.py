"""The checks of what a test leaves behind besides its loop's work.

- ``loop_exceptions``: what reached the loop's default exception handler
  (an exception in a callback, "Task exception was never retrieved"...).
- ``unawaited_coroutines``: coroutines that were never awaited.
- ``unclosed_resources``: ResourceWarnings (unclosed sockets, files, loops...).
- ``leaked_threads``: threads started during the test and still running.

The first three install a hook in ``before`` (the loop's default exception
handler, a hook of the ``warnings`` module) and take it off in ``teardown``,
which always runs. What they catch is reported as the test's failure *instead
of* being logged or shown; what is not theirs goes where it went before.

Their finalizers (a coroutine's, a socket's, a task's) run when the object is
freed. Objects in reference cycles are freed only by a garbage collection: the
checks run one, once per test, of the young generations only (a full one
would cost milliseconds per test). It finds every cycle made of objects the
test created, unless the test allocated so much that Python already moved them
to the oldest generation (tens of thousands of objects): those are freed later,
when Python collects that generation, and warned about as without the checks.
Objects still referenced when the test ends (e.g. from ``self``) are not garbage
and are not reported.
"""

from __future__ import annotations

import asyncio
import gc
import linecache
import os
import reprlib
import sys
import threading
import time
import traceback
import warnings
from typing import Any, Optional

from .. import _compat
from .checks import Check, CheckContext, register

# How many frames of a coroutine's creation are kept (sys.set_coroutine_origin_tracking_depth);
# each costs a little at every coroutine created while the check is on.
_ORIGIN_DEPTH = 5
# A thread found alive at the end of the test gets this long (in all) to end.
_THREAD_GRACE_SECONDS = 0.1
# Put first in warnings.filters while unclosed_resources is on: every
# ResourceWarning (ignored by default) reaches the check's hook.
_RESOURCE_FILTER = ("always", None, ResourceWarning, None, 0)

_short_repr = reprlib.Repr()
_short_repr.maxstring = 80
_short_repr.maxother = 120


def _collect_garbage(ctx: CheckContext, counts: tuple[int, int, int]) -> None:
    """Collect the test's cyclic garbage, once per test (see the module's docstring).

    ``counts`` is ``gc.get_count()`` when the test started. While no collection
    ran during the test, everything it made is in generation 0; after a
    collection of generation 0 (not yet of 1), some of it is in generation 1.
    """
    shared = ctx.shared
    if shared is None:
        shared = ctx.shared = {}
    elif "collected" in shared:
        return
    shared["collected"] = True
    now = gc.get_count()
    gc.collect(0 if now[1] == counts[1] and now[2] == counts[2] else 1)


def _where(filename: str, lineno: int, name: Optional[str] = None) -> str:
    text = f"{filename}:{lineno}"
    if name:
        text += f" in {name}"
    source = linecache.getline(filename, lineno).strip()
    return f"{text} `{source}`" if source else text


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.rstrip("\n").splitlines())


# -- loop_exceptions ------------------------------------------------------------------


class _LoopErrors:
    __slots__ = ("found", "handler", "counts", "fallback")

    def __init__(self) -> None:
        self.found: list[dict[str, Any]] = []
        # A bound method made once, so that teardown can tell it is still in place.
        self.handler = self.found.append
        self.counts = gc.get_count()
        self.fallback = False  # set_exception_handler was used (a loop without instance attributes)

    def handle(self, loop: Any, context: dict[str, Any]) -> None:
        self.found.append(context)


# Keys of an exception handler's context that name the object concerned, in the
# order they are shown.
_CONTEXT_OBJECTS = ("handle", "task", "future", "transport", "protocol", "socket", "asyncgen")


def _describe_context(context: dict[str, Any]) -> str:
    message = context.get("message") or "Unhandled exception in event loop"
    lines = [f"  {message}"]
    for key in _CONTEXT_OBJECTS:
        if key in context:
            lines.append(f"    {key}: {_short_repr.repr(context[key])}")
    created = context.get("source_traceback") or context.get("handle_traceback")
    if created:
        frame = created[-1]
        lines.append(f"    created at {_where(frame.filename, frame.lineno, frame.name)}")
    exception = context.get("exception")
    if isinstance(exception, BaseException):
        formatted = "".join(
            traceback.format_exception(type(exception), exception, exception.__traceback__)
        )
        lines.append(_indent(formatted, "    | "))
    return "\n".join(lines)


def _loop_exceptions_before(ctx: CheckContext) -> _LoopErrors:
    state = _LoopErrors()
    loop = ctx.loop
    if not _compat.divert_default_exception_handler(loop, state.handler):
        # A loop without instance attributes (uvloop): take the handler's place
        # when nobody holds it; a handler the test sets then gets everything.
        if loop.get_exception_handler() is None:
            loop.set_exception_handler(state.handle)
            state.fallback = True
    return state


def _loop_exceptions_after(ctx: CheckContext, state: _LoopErrors) -> Optional[str]:
    _collect_garbage(ctx, state.counts)  # "Task exception was never retrieved" comes from __del__
    found = state.found
    if not found:
        return None
    listing = "\n".join(_describe_context(context) for context in found)
    state.found = []  # the contexts hold the tasks and tracebacks: let them go
    return (
        f"{ctx.test_name}: {len(found)} error(s) reached the event loop's exception handler "
        f"during the test:\n{listing}\n"
        f"handle them (await the task or call its exception(), catch the error in the "
        f"callback), or use @fail_on(loop_exceptions=False)"
    )


def _loop_exceptions_teardown(ctx: CheckContext, state: _LoopErrors) -> None:
    loop = ctx.loop
    if state.fallback:
        if loop.get_exception_handler() == state.handle:
            loop.set_exception_handler(None)
    else:
        _compat.restore_default_exception_handler(loop, state.handler)
    state.found = []


register(Check(
    name="loop_exceptions",
    default=False,
    before=_loop_exceptions_before,
    after=_loop_exceptions_after,
    teardown=_loop_exceptions_teardown,
    description="errors passed to the loop's exception handler during the test",
))


# -- unawaited_coroutines -------------------------------------------------------------


class _Unawaited:
    """The hook the interpreter calls with a coroutine finalized without having started."""

    __slots__ = ("found", "original", "filters", "depth", "counts")

    def __init__(self, original: Any) -> None:
        self.found: list[str] = []
        self.original = original
        self.filters = warnings.filters
        self.depth = sys.get_coroutine_origin_tracking_depth()
        self.counts = gc.get_count()

    def __call__(self, coro: Any) -> None:
        # Inside a catch_warnings block the test opened (assertWarns...), the
        # warning is the test's: `warnings.filters` is then another list.
        if warnings.filters is self.filters:
            try:
                origin = coro.cr_origin
                if origin:  # None: made before the check began, or in another thread
                    self.found.append(_describe_coroutine(coro, origin))
                    return
            except Exception:  # never lose the warning
                pass
        self.original(coro)


# Frames of the event loop and of asynctest say nothing about the test.
_PLUMBING = (
    os.path.dirname(asyncio.__file__) + os.sep,
    os.path.dirname(os.path.dirname(__file__)) + os.sep,
)


def _describe_coroutine(coro: Any, origin: Any) -> str:
    code = coro.cr_code
    text = (
        f"  coroutine {coro.__qualname__!r} (defined at {code.co_filename}:"
        f"{code.co_firstlineno}) created at {_where(*origin[0])}"
    )
    callers = [frame for frame in origin[1:] if not frame[0].startswith(_PLUMBING)]
    for frame in callers[:2]:
        text += f"\n    called from {_where(*frame)}"
    return text


def _unawaited_before(ctx: CheckContext) -> Optional[_Unawaited]:
    original = _compat.unawaited_coroutine_hook()
    if original is None:
        return None  # nothing to hook: the warnings stay as they are
    state = _Unawaited(original)
    if state.depth < _ORIGIN_DEPTH:
        sys.set_coroutine_origin_tracking_depth(_ORIGIN_DEPTH)
    _compat.set_unawaited_coroutine_hook(state)
    return state


def _unawaited_after(ctx: CheckContext, state: Optional[_Unawaited]) -> Optional[str]:
    if state is None:
        return None
    _collect_garbage(ctx, state.counts)
    found = state.found
    if not found:
        return None
    listing = "\n".join(found)
    return (
        f"{ctx.test_name} created {len(found)} coroutine(s) that were never awaited:\n"
        f"{listing}\n"
        f"await them (or run them with asyncio.create_task() and await the task), or use "
        f"@fail_on(unawaited_coroutines=False)"
    )


def _unawaited_teardown(ctx: CheckContext, state: Optional[_Unawaited]) -> None:
    if state is not None:
        _compat.set_unawaited_coroutine_hook(state.original)
        sys.set_coroutine_origin_tracking_depth(state.depth)


register(Check(
    name="unawaited_coroutines",
    default=False,
    before=_unawaited_before,
    after=_unawaited_after,
    teardown=_unawaited_teardown,
    description="coroutines created during the test and never awaited",
))


# -- unclosed_resources ---------------------------------------------------------------


class _Unclosed:
    """The ``warnings._showwarnmsg`` of the test: takes ResourceWarnings, passes the rest."""

    __slots__ = ("found", "original", "filters", "counts")

    def __init__(self) -> None:
        self.found: list[str] = []
        self.original = _compat.show_warning_hook()
        self.filters: Any = warnings.filters  # a list (typeshed says Sequence)
        self.counts = gc.get_count()

    def __call__(self, msg: Any) -> None:
        # Inside a catch_warnings block the test opened, the warning is the test's.
        if warnings.filters is self.filters and issubclass(msg.category, ResourceWarning):
            try:
                self.found.append(_describe_resource(msg))
                return
            except Exception:  # never lose the warning
                pass
        self.original(msg)


def _describe_resource(msg: Any) -> str:
    text = f"  {msg.message}"
    source = msg.source
    if source is None:
        return f"{text} (warned at {msg.filename}:{msg.lineno})"
    import tracemalloc

    if not tracemalloc.is_tracing():
        return text
    allocated = tracemalloc.get_object_traceback(source)
    if allocated is None:
        return f"{text} (allocated before tracemalloc started tracing)"
    frames = list(allocated)[-3:]  # oldest first: the last one made the object
    lines = [f"    allocated at {_where(frames[-1].filename, frames[-1].lineno)}"]
    for frame in reversed(frames[:-1]):
        lines.append(f"      called from {_where(frame.filename, frame.lineno)}")
    return "\n".join([text, *lines])


def _unclosed_before(ctx: CheckContext) -> _Unclosed:
    state = _Unclosed()
    state.filters.insert(0, _RESOURCE_FILTER)
    _compat.set_show_warning_hook(state)
    return state


def _unclosed_after(ctx: CheckContext, state: _Unclosed) -> Optional[str]:
    _collect_garbage(ctx, state.counts)
    found = state.found
    if not found:
        return None
    listing = "\n".join(found)
    import tracemalloc

    hint = (
        "" if tracemalloc.is_tracing()
        else "\n(run Python with -X tracemalloc=20 to see where each was allocated)"
    )
    return (
        f"{ctx.test_name} left {len(found)} resource(s) unclosed (ResourceWarning):\n"
        f"{listing}{hint}\n"
        f"close them (or use `with`), or use @fail_on(unclosed_resources=False)"
    )


def _unclosed_teardown(ctx: CheckContext, state: _Unclosed) -> None:
    _compat.set_show_warning_hook(state.original)
    filters = state.filters
    for index, item in enumerate(filters):
        if item is _RESOURCE_FILTER:
            del filters[index]
            break


register(Check(
    name="unclosed_resources",
    default=False,
    before=_unclosed_before,
    after=_unclosed_after,
    teardown=_unclosed_teardown,
    description="ResourceWarnings (unclosed sockets, files, transports) during the test",
))


# -- leaked_threads -------------------------------------------------------------------


def _describe_thread(thread: threading.Thread) -> str:
    text = f"  <Thread {thread.name!r}"
    target = _compat.thread_target(thread)
    if target is not None:
        name = getattr(target, "__qualname__", None) or repr(target)
        module = getattr(target, "__module__", None)
        text += f" target={module}.{name}" if module else f" target={name}"
        code = getattr(target, "__code__", None)
        if code is not None:
            text += f" (defined at {code.co_filename}:{code.co_firstlineno})"
    else:
        text += f" {type(thread).__qualname__}.run()"
    if thread.daemon:
        text += " daemon"
    return text + ">"


def _leaked_threads_after(ctx: CheckContext, before: dict[int, Any]) -> Optional[str]:
    live = _compat.live_threads().copy()  # other threads may start or end meanwhile
    new = [thread for ident, thread in live.items() if before.get(ident) is not thread]
    if not new:
        return None
    # The default executor's workers are the session's: it shuts them down next.
    ignore = _compat.default_executor_threads(ctx.loop)
    deadline = time.monotonic() + _THREAD_GRACE_SECONDS
    leaked = []
    for thread in new:
        if (
            thread in ignore
            or _compat.is_foreign_thread(thread)
            or thread.name.startswith("asynctest-")  # the engine's own
        ):
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            leaked.append(thread)
    if not leaked:
        return None
    listing = "\n".join(_describe_thread(thread) for thread in leaked)
    return (
        f"{ctx.test_name} left {len(leaked)} thread(s) running "
        f"({_THREAD_GRACE_SECONDS} s after the test):\n{listing}\n"
        f"stop and join them before the test ends (e.g. in a cleanup; shut executors "
        f"down), or use @fail_on(leaked_threads=False)"
    )


def _leaked_threads_before(ctx: CheckContext) -> dict[int, Any]:
    return _compat.live_threads().copy()


register(Check(
    name="leaked_threads",
    default=False,
    before=_leaked_threads_before,
    after=_leaked_threads_after,
    description="threads started during the test and still running at its end",
))
