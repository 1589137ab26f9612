"""The ``active_selector_callbacks`` check: readers and writers a test left registered.

Registrations that existed when the test started (the loop's own wake-up pipe,
servers set up by the fixture) are ignored: a registration is reported when its
reader or writer callback was added during the test and is still there at its end.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from .. import _compat
from .._engine.checks import Check, CheckContext, not_available, register
from .mocks import FileDescriptor
from .selector import TestSelector

__all__ = ["registered_callbacks"]

def registered_callbacks(loop: asyncio.AbstractEventLoop) -> list[tuple[str, Any, asyncio.Handle]]:
    """Every reader and writer of a selector loop, as ``(kind, fileobj, handle)``.

    ``kind`` is ``"add_reader"`` or ``"add_writer"``. Empty for loops that are
    not selector based (their registrations cannot be listed) and closed loops.
    """
    selector = _compat.loop_selector(loop)
    if selector is None:
        return []
    if isinstance(selector, TestSelector):
        keys = selector.registrations()
    else:
        keys = _compat.selector_keys(selector)
    found = []
    for key in keys:
        reader, writer = _compat.selector_key_handles(key)
        if reader is not None:
            found.append(("add_reader", key.fileobj, reader))
        if writer is not None:
            found.append(("add_writer", key.fileobj, writer))
    return found


def _describe_fileobj(fileobj: Any) -> str:
    if isinstance(fileobj, FileDescriptor) and fileobj.owner is not None:
        return f"{fileobj.owner!r} ({fileobj!r})"
    return repr(fileobj)


def describe_registration(kind: str, fileobj: Any, handle: asyncio.Handle) -> str:
    """The registration as the call that made it: ``add_reader(<fileobj>, <callback>)``."""
    callback, args = _compat.handle_callback(handle)
    parts = [_describe_fileobj(fileobj), repr(callback), *map(repr, args)]
    return f"{kind}({', '.join(parts)})"


def _lone_key(loop: asyncio.AbstractEventLoop) -> Any:
    # The common case, answered without listing anything: a TestSelector with
    # no file mock and one real registration (the loop's wake-up pipe). Its
    # key (or None when the case does not apply).
    selector = _compat.loop_selector(loop)
    if type(selector) is TestSelector and not selector.has_virtual_keys():
        by_fd = _compat.selector_fd_map(selector.wrapped)
        if by_fd is not None and len(by_fd) == 1:
            for key in by_fd.values():
                return key
    return None


def _before(ctx: CheckContext) -> Any:
    key = _lone_key(ctx.loop)
    if key is not None:
        return key  # kept: the same key object at the end means nothing was added
    # Handles are kept (not their ids) so that a freed one cannot pass for a new one.
    return [handle for _, _, handle in registered_callbacks(ctx.loop)]


def _after(ctx: CheckContext, state: Any) -> Optional[str]:
    if not isinstance(state, list) and state is not None:
        if _lone_key(ctx.loop) is state:
            return None
        state = [handle for handle in _compat.selector_key_handles(state) if handle is not None]
    if not _compat.is_selector_loop(ctx.loop):
        return not_available(
            "active_selector_callbacks", ctx,
            "it is not a selector loop: its readers and writers cannot be listed",
        )
    before = {id(handle) for handle in state or ()}  # the handles are alive: ids are unique
    leaked = [
        (kind, fileobj, handle)
        for kind, fileobj, handle in registered_callbacks(ctx.loop)
        if id(handle) not in before
    ]
    if not leaked:
        return None
    readers = sum(1 for kind, _, _ in leaked if kind == "add_reader")
    writers = len(leaked) - readers
    counts = " and ".join(
        f"{n} {what}{'' if n == 1 else 's'}"
        for n, what in ((readers, "reader"), (writers, "writer"))
        if n
    )
    listing = "\n".join(f"  {describe_registration(*item)}" for item in leaked)
    return (
        f"{ctx.test_name} left {counts} registered on the loop:\n{listing}\n"
        f"remove them with loop.remove_reader() / loop.remove_writer() (or close the "
        f"transport), or use @fail_on(active_selector_callbacks=False)"
    )


ACTIVE_SELECTOR_CALLBACKS = register(
    Check(
        name="active_selector_callbacks",
        default=False,
        before=_before,
        after=_after,
        description=(
            "readers and writers added to the loop during the test and not removed "
            "(selector loops only)"
        ),
    )
)
