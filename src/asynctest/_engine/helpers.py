"""Coroutines that help a test wait for the loop."""

from __future__ import annotations

import asyncio

from .. import _compat


async def exhaust_callbacks(loop: asyncio.AbstractEventLoop) -> None:
    """Return once every callback ready on ``loop`` (and those they schedule) has run.

    Timers not yet due are not waited for. A callback that keeps scheduling
    itself makes this wait forever. Needs an asyncio loop: on others (uvloop),
    whose ready queue cannot be seen, it raises TypeError.
    """
    ready = _compat.ready_handles(loop)
    if ready is None:
        raise TypeError(
            f"exhaust_callbacks() needs an asyncio event loop whose ready callbacks can "
            f"be seen (a selector or proactor loop), got {loop!r}"
        )
    while ready:
        await asyncio.sleep(0)
