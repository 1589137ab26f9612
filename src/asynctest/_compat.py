"""The one home of version flags and of every private name of asyncio and unittest.mock.

Nothing else in asynctest reads an underscore attribute of the standard library.
Each accessor says which versions it was checked on; ``tests/test_compat.py``
runs on every supported Python and fails loudly if a private moves.
"""

from __future__ import annotations

import asyncio
import asyncio.events
import contextvars
import sys
from collections.abc import Coroutine, Generator
from typing import Any, Optional

PY310 = sys.version_info >= (3, 10)
PY311 = sys.version_info >= (3, 11)
PY312 = sys.version_info >= (3, 12)
PY313 = sys.version_info >= (3, 13)

# ---------------------------------------------------------------------------
# asyncio: the event loop policy and the current loop (checked on 3.9-3.13)
# ---------------------------------------------------------------------------

#: Returned by :func:`current_loop` when the policy cannot tell without side effects.
UNKNOWN: Any = object()


def installed_policy() -> Optional[asyncio.AbstractEventLoopPolicy]:
    """The policy asyncio holds now, or None if none was created yet (no side effect)."""
    return asyncio.events._event_loop_policy  # type: ignore[attr-defined, no-any-return]


def install_policy(policy: Optional[asyncio.AbstractEventLoopPolicy]) -> None:
    """Put back a policy read by :func:`installed_policy` (None included)."""
    # 3.14 deprecates set_event_loop_policy(); the field is what it sets.
    asyncio.events._event_loop_policy = policy  # type: ignore[attr-defined]


def current_loop() -> Any:
    """The loop set as current for this thread, None, or UNKNOWN.

    Reads the default policy's thread-local slot instead of calling
    ``get_event_loop()``, which may create a loop or warn (3.12+).
    """
    policy = installed_policy()
    if policy is None:
        return None
    local = getattr(policy, "_local", None)
    if local is None:
        return UNKNOWN
    return getattr(local, "_loop", None)


def set_current_loop(loop: Optional[asyncio.AbstractEventLoop]) -> None:
    """Make ``loop`` the current loop of this thread (public API, kept in one place)."""
    asyncio.set_event_loop(loop)


def current_or_new_loop() -> asyncio.AbstractEventLoop:
    """What ``asyncio.get_event_loop()`` gave before 3.12: the current loop, made if missing.

    Used only by ``TestCase.use_default_loop`` (an asynctest 0.13 feature).
    """
    loop = current_loop()
    if loop is None or loop is UNKNOWN or loop.is_closed():
        if loop is UNKNOWN:
            return asyncio.get_event_loop_policy().get_event_loop()
        loop = asyncio.new_event_loop()
        set_current_loop(loop)
    return loop  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------
# asyncio: a loop's internals (BaseEventLoop, checked on 3.9-3.13)
# Each returns None for loops that do not have them (uvloop).
# ---------------------------------------------------------------------------


def scheduled_timers(loop: asyncio.AbstractEventLoop) -> Optional[list[asyncio.TimerHandle]]:
    """The loop's heap of timers (cancelled ones included), or None."""
    return getattr(loop, "_scheduled", None)


def ready_handles(loop: asyncio.AbstractEventLoop) -> Optional[Any]:
    """The loop's deque of callbacks ready to run, or None."""
    return getattr(loop, "_ready", None)


def clock_resolution(loop: asyncio.AbstractEventLoop) -> float:
    """How far ahead of ``loop.time()`` a timer is already considered due."""
    return float(getattr(loop, "_clock_resolution", 0.0))


def has_default_executor(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether the loop created its default executor; True when it cannot tell."""
    return getattr(loop, "_default_executor", True) is not None


def has_async_generators(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether async generators are alive on the loop; True when it cannot tell."""
    gens = getattr(loop, "_asyncgens", None)
    return True if gens is None else bool(gens)


def handle_is_cancelled(handle: asyncio.Handle) -> bool:
    """``Handle.cancelled()`` (public since 3.7), in one place with the other handle reads."""
    return handle.cancelled()


def timer_when(handle: asyncio.TimerHandle) -> float:
    """The time at which a timer is due (public ``when()``, since 3.7)."""
    return handle.when()


# ---------------------------------------------------------------------------
# asyncio: tasks running in a given context
# ---------------------------------------------------------------------------


class _InContext(Coroutine[Any, Any, Any]):
    """Drives a coroutine with every step run in one ``contextvars.Context``.

    Needed on 3.9 and 3.10, whose ``create_task`` has no ``context`` argument
    (added in 3.11, bpo-46994): a task always runs in a copy of the context.
    """

    __slots__ = ("_coro", "_ctx")

    def __init__(self, coro: Coroutine[Any, Any, Any], ctx: contextvars.Context) -> None:
        self._coro = coro
        self._ctx = ctx

    def send(self, value: Any) -> Any:
        return self._ctx.run(self._coro.send, value)

    def throw(self, *args: Any) -> Any:
        return self._ctx.run(self._coro.throw, *args)

    def close(self) -> None:
        self._ctx.run(self._coro.close)

    def __await__(self) -> Generator[Any, None, Any]:
        return self  # type: ignore[return-value]

    def __iter__(self) -> Any:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def __repr__(self) -> str:
        return repr(self._coro)


def create_task_in_context(
    loop: asyncio.AbstractEventLoop,
    coro: Coroutine[Any, Any, Any],
    ctx: contextvars.Context,
) -> asyncio.Task[Any]:
    """A task of ``loop`` running ``coro`` in ``ctx`` itself (not a copy)."""
    if PY311:
        return loop.create_task(coro, context=ctx)  # type: ignore[call-arg]
    return loop.create_task(_InContext(coro, ctx))  # type: ignore[arg-type]
