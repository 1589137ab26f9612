"""The bodies of the built-in post-test checks of asynctest 0.13.

- ``unused_loop``: the loop never ran during the test.
- ``active_handles``: callbacks or timers still scheduled when the test ended.
"""

from __future__ import annotations

import asyncio
import functools
import reprlib
from typing import Any, Optional

from .. import _compat
from .checks import Check, CheckContext, not_available, register

_short_repr = reprlib.Repr()
_short_repr.maxstring = 60
_short_repr.maxother = 60


class _Marker:
    """A callback that records whether the loop ran at least one turn."""

    __slots__ = ("ran",)

    def __init__(self) -> None:
        self.ran = False

    def __call__(self) -> None:
        self.ran = True


def _unused_loop_before(ctx: CheckContext) -> Any:
    # A TestSelector counts the loop's turns (one select() each); other loops
    # get a marker callback, which runs at the loop's first turn.
    selector = _compat.loop_selector(ctx.loop)
    count = getattr(selector, "select_count", None)
    if count is not None:
        return selector, count
    marker = _Marker()
    return marker, ctx.loop.call_soon(marker)


def _unused_loop_after(ctx: CheckContext, state: Any) -> Optional[str]:
    first, second = state
    if isinstance(first, _Marker):
        second.cancel()
        ran = first.ran
    else:
        ran = first.select_count > second
    if ran:
        return None
    return (
        f"Loop did not run during the test: {ctx.test_name} never ran self.loop; "
        f"await something or use @fail_on(unused_loop=False)"
    )


def _callable_name(func: Any) -> str:
    if isinstance(func, functools.partial):
        return f"functools.partial({_callable_name(func.func)}, ...)"
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    return name if isinstance(name, str) else repr(func)


def describe_handle(
    handle: asyncio.Handle, origin: bool = True, now: Optional[float] = None
) -> str:
    """The handle as ``<TimerHandle Class.method(1, 'a') due in 3.0 s>``, with its arguments.

    With ``now`` (the loop's ``time()``), a timer says when it is due relative
    to it (``due now`` once past); without, its absolute ``when=``. Adds where
    the handle was created when that is known (asyncio debug mode) and
    ``origin`` is true.
    """
    callback, args = _compat.handle_callback(handle)
    call = f"{_callable_name(callback)}({', '.join(_short_repr.repr(a) for a in args)})"
    if isinstance(handle, asyncio.TimerHandle):
        when = _compat.timer_when(handle)
        if now is None:
            text = f"<TimerHandle when={when!r} {call}>"
        elif when > now:
            delay = when - now
            text = f"<TimerHandle {call} due in {delay:.{1 if delay >= 1 else 3}f} s>"
        else:
            text = f"<TimerHandle {call} due now>"
    else:
        text = f"<Handle {call}>"
    created = _compat.handle_source_traceback(handle) if origin else None
    if created:
        frame = created[-1]
        text += f" created at {frame.filename}:{frame.lineno}"
    return text


def pending_handles(loop: asyncio.AbstractEventLoop, ignore: Any = ()) -> list[asyncio.Handle]:
    """Callbacks ready to run and timers not yet due, cancelled ones left out."""
    ready = _compat.ready_handles(loop) or ()
    timers = sorted(
        (h for h in _compat.scheduled_timers(loop) or () if not _compat.handle_is_cancelled(h)),
        key=_compat.timer_when,
    )
    return [
        h for h in (*ready, *timers)
        if not _compat.handle_is_cancelled(h) and h not in ignore
    ]


def _active_handles_after(ctx: CheckContext, state: None) -> Optional[str]:
    timers = _compat.scheduled_timers(ctx.loop)
    if timers is None:
        # Not an asyncio loop (uvloop): its handles cannot be listed.
        return not_available(
            "active_handles", ctx, "its callbacks and timers cannot be listed"
        )
    if not timers and not _compat.ready_handles(ctx.loop):
        return None
    handles = pending_handles(ctx.loop)
    if not handles:
        return None
    now = ctx.loop.time()  # the test's clock (virtual in a ClockedTestCase)
    listing = "\n".join(f"  {describe_handle(h, now=now)}" for h in handles)
    count = f"{len(handles)} callback{'' if len(handles) == 1 else 's'}"
    where = (
        "" if ctx.loop.get_debug() else
        "; run the loop in debug mode (debug = True on the class, or --debug) "
        "to see where each was created"
    )
    return (
        f"Loop contained unfinished work: {ctx.test_name} left {count} scheduled on "
        f"the loop:\n{listing}\n"
        f"let them run, cancel them, or use @fail_on(active_handles=False){where}"
    )


register(Check(
    name="unused_loop",
    default=False,
    before=_unused_loop_before,
    after=_unused_loop_after,
    description="the loop did not run during the test",
    before_settle=True,
))
register(Check(
    name="active_handles",
    default=False,
    after=_active_handles_after,
    description="callbacks or timers still scheduled at the end of the test",
))
