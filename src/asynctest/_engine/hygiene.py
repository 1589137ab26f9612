"""The checks of what a test leaves behind besides its loop's work.

- ``loop_exceptions``: what reached the loop's default exception handler
  (an exception in a callback, "Task exception was never retrieved"...).
- ``unawaited_coroutines``: coroutines that were never awaited.
- ``unclosed_resources``: ResourceWarnings (unclosed sockets, files, loops...).
- ``leaked_threads``: threads started during the test and still running.

The first three install a hook in ``before`` (the loop's exception handler,
a hook of the ``warnings`` module) and take it off in ``after``, or in
``teardown`` when ``after`` does not run (setUp failed). What they catch is
reported as the test's failure *instead of* being logged or shown; what is
not theirs goes where it went before.

Their finalizers (a coroutine's, a socket's, a task's) run when the object is
freed. Objects in reference cycles are freed only by a garbage collection: the
checks run one, once per test, of the young generations only (a full one
would cost milliseconds per test), and only when generation 0 did not shrink
during the test (see ``_collect_garbage``): a test that leaves nothing costs
no collection. Missed: garbage that a busy test (tens of thousands of
objects) let Python move to the oldest generation, and garbage of fewer
objects than the test freed of those made just before it (a lone object in a
cycle with itself, in an async test that otherwise leaves nothing). What is
missed is freed, and warned about, later, as without the checks. Objects still
referenced when the test ends (e.g. from ``self``) are not garbage and are not
reported.
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

# How many frames of a coroutine's creation are kept (sys.set_coroutine_origin_tracking_depth):
# the line that made it. Each frame costs at every coroutine made while the
# check is on (on 3.11, about 1.5 k instructions per test for one frame, 5 k for two).
_ORIGIN_DEPTH = 1
# A thread found alive at the end of the test gets this long (in all) to end.
_THREAD_GRACE_SECONDS = 0.1
# Put first in warnings.filters while unclosed_resources is on: every
# ResourceWarning (ignored by default) reaches the check's hook.
_RESOURCE_FILTER = ("always", None, ResourceWarning, None, 0)

# Kept: the same dict for the life of the process (see _compat.live_threads).
_LIVE_THREADS = _compat.live_threads()

_short_repr = reprlib.Repr()
_short_repr.maxstring = 80
_short_repr.maxother = 120


# Each `before` of these checks notes gc.get_count() as it ends, in
# ctx.gc_counts (so the last one wins: what they made themselves is left
# out). The first `after` collects, or finds it needless.


def _collect_garbage(ctx: CheckContext) -> None:
    """Collect the test's cyclic garbage, once per test, if it may have made some.

    While no collection ran during the test, everything it made is in
    generation 0, whose count (objects made minus objects freed) is then
    compared with the one noted when the checks started: garbage the test
    left keeps it up. An async test that leaves nothing ends with it two or
    three lower (temporaries of the front-end's setUp freed meanwhile), so a
    count that did not go down means the test left objects, alive or garbage:
    generation 0 is collected. After a collection of generation 0 (not yet of
    1), some of them are in generation 1: generation 1 is collected.
    """
    counts: Any = ctx.gc_counts
    ctx.gc_counts = None
    now = gc.get_count()
    if now[1] != counts[1] or now[2] != counts[2]:
        gc.collect(1)
    elif now[0] >= counts[0]:
        gc.collect(0)


def _where(filename: str, lineno: int, name: Optional[str] = None) -> str:
    text = f"{filename}:{lineno}"
    if name:
        text += f" in {name}"
    source = linecache.getline(filename, lineno).strip()
    return f"{text} `{source}`" if source else text


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.rstrip("\n").splitlines())


# -- loop_exceptions ------------------------------------------------------------------
#
# The check takes the loop's exception handler (loop.set_exception_handler)
# for the test. A handler the test sets replaces it and gets everything from
# then on, as without the check (what it passes on to
# loop.default_exception_handler is logged, not reported). A loop that came
# with a handler (from its factory) keeps it: the check sees nothing there.


def _loop_exceptions_before(ctx: CheckContext) -> Any:
    found: list[dict[str, Any]] = []

    def handler(loop: Any, context: dict[str, Any]) -> None:
        found.append(context)

    if not _compat.take_exception_handler(ctx.loop, handler):
        return None
    state = found, handler
    ctx.gc_counts = gc.get_count()  # last: what these checks made is left out
    return state


def _loop_exceptions_teardown(ctx: CheckContext, state: Any) -> None:
    if state is not None:
        _compat.give_back_exception_handler(ctx.loop, state[1])


def _loop_exceptions_after(ctx: CheckContext, state: Any) -> Optional[str]:
    if state is None:
        return None
    if ctx.gc_counts is not None:  # (not collected yet)
        _collect_garbage(ctx)  # "Task exception was never retrieved" comes from __del__
    found, handler = state
    _compat.give_back_exception_handler(ctx.loop, handler)
    if not found:
        return None
    count = len(found)
    listing = "\n".join(_describe_context(context) for context in found)
    found.clear()  # the contexts hold the tasks and tracebacks: let them go
    return (
        f"{ctx.test_name}: {count} error(s) reached the event loop's exception handler "
        f"during the test:\n{listing}\n"
        f"handle them (await the task or call its exception(), catch the error in the "
        f"callback), or use @fail_on(loop_exceptions=False)"
    )


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


register(Check(
    name="loop_exceptions",
    default=False,
    before=_loop_exceptions_before,
    after=_loop_exceptions_after,
    teardown=_loop_exceptions_teardown,
    description="errors passed to the loop's exception handler during the test",
))


# -- unawaited_coroutines -------------------------------------------------------------


def _unawaited_before(ctx: CheckContext) -> Any:
    found: list[str] = []
    filters = warnings.filters
    original: Any  # what the hook replaces, set below

    def hook(coro: Any) -> None:
        # Inside a catch_warnings block the test opened (assertWarns...), the
        # warning is the test's: `warnings.filters` is then another list.
        if warnings.filters is filters:
            try:
                origin = coro.cr_origin
                if origin:  # None: made before the check began, or in another thread
                    found.append(_describe_coroutine(coro, origin))
                    return
            except Exception:  # never lose the warning
                pass
        original(coro)

    original = _compat.swap_unawaited_coroutine_hook(hook)
    if original is None:
        return None  # nothing to hook on this Python: the warnings stay as they are
    depth = sys.get_coroutine_origin_tracking_depth()
    if depth < _ORIGIN_DEPTH:
        sys.set_coroutine_origin_tracking_depth(_ORIGIN_DEPTH)
    state = found, original, depth
    ctx.gc_counts = gc.get_count()  # last: what these checks made is left out
    return state


def _unawaited_teardown(ctx: CheckContext, state: Any) -> None:
    if state is not None:
        _compat.swap_unawaited_coroutine_hook(state[1])
        sys.set_coroutine_origin_tracking_depth(state[2])


def _unawaited_after(ctx: CheckContext, state: Any) -> Optional[str]:
    if state is None:
        return None
    if ctx.gc_counts is not None:  # (not collected yet)
        _collect_garbage(ctx)
    found, original, depth = state
    _compat.swap_unawaited_coroutine_hook(original)
    sys.set_coroutine_origin_tracking_depth(depth)
    if not found:
        return None
    listing = "\n".join(found)
    return (
        f"{ctx.test_name} created {len(found)} coroutine(s) that were never awaited:\n"
        f"{listing}\n"
        f"await them (or run them with asyncio.create_task() and await the task), or use "
        f"@fail_on(unawaited_coroutines=False)"
    )


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


register(Check(
    name="unawaited_coroutines",
    default=False,
    before=_unawaited_before,
    after=_unawaited_after,
    teardown=_unawaited_teardown,
    description="coroutines created during the test and never awaited",
))


# -- unclosed_resources ---------------------------------------------------------------


def _unclosed_before(ctx: CheckContext) -> Any:
    found: list[str] = []
    filters: Any = warnings.filters  # a list (typeshed says Sequence)
    original: Any  # what the hook replaces, set below

    def hook(msg: Any) -> None:
        # Inside a catch_warnings block the test opened, the warning is the test's.
        if warnings.filters is filters and issubclass(msg.category, ResourceWarning):
            try:
                found.append(_describe_resource(msg))
                return
            except Exception:  # never lose the warning
                pass
        original(msg)

    filters.insert(0, _RESOURCE_FILTER)
    original = _compat.swap_show_warning_hook(hook)
    state = found, original, filters
    ctx.gc_counts = gc.get_count()  # last: what these checks made is left out
    return state


def _unclosed_teardown(ctx: CheckContext, state: Any) -> None:
    _compat.swap_show_warning_hook(state[1])
    try:
        state[2].remove(_RESOURCE_FILTER)
    except ValueError:
        pass  # the test emptied the filters (warnings.resetwarnings())


def _unclosed_after(ctx: CheckContext, state: Any) -> Optional[str]:
    if ctx.gc_counts is not None:  # (not collected yet)
        _collect_garbage(ctx)
    found, original, filters = state
    _compat.swap_show_warning_hook(original)
    try:
        filters.remove(_RESOURCE_FILTER)
    except ValueError:
        pass  # the test emptied the filters (warnings.resetwarnings())
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
    live = _LIVE_THREADS
    if live == before:  # the same threads (compared by identity), the common case
        return None
    live = live.copy()  # other threads may start or end meanwhile
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
    snapshot = _LIVE_THREADS.copy()
    if ctx.gc_counts is not None:
        ctx.gc_counts = gc.get_count()  # leave the snapshot out (see _collect_garbage)
    return snapshot


register(Check(
    name="leaked_threads",
    default=False,
    before=_leaked_threads_before,
    after=_leaked_threads_after,
    description="threads started during the test and still running at its end",
))
