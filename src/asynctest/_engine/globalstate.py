"""Snapshot and restore of asyncio's process-wide state around one test.

What a test may change and must not leak: the event loop policy, the current
loop of this thread and the running-loop marker. Everything is read without
side effects (no policy is created, no loop is made) and put back as it was.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, NamedTuple, Optional

from .. import _compat


class GlobalState(NamedTuple):
    """What asyncio's globals held when the snapshot was taken."""

    policy: Optional[asyncio.AbstractEventLoopPolicy]
    loop: Any  # a loop, None, or _compat.UNKNOWN


def snapshot() -> GlobalState:
    """Read the policy and this thread's current loop, changing nothing."""
    return GlobalState(*_compat.read_global_state())


def restore(state: GlobalState, keep_default_policy: bool = False) -> None:
    """Put the policy and current loop back as ``state`` recorded them.

    ``keep_default_policy``: keep asyncio's default policy if it was made
    during the test where there was none (see ``_compat.restore_global_state``).
    """
    _compat.restore_global_state(state.policy, state.loop, keep_default_policy)


def forbid_get_event_loop(on_call: Callable[[], BaseException]) -> None:
    """Make ``asyncio.get_event_loop()`` without a running loop raise ``on_call()``.

    Installs a policy that delegates everything else to the current one; the
    caller restores the original with :func:`restore`. Calls from coroutines
    and callbacks never reach the policy, so they are not affected.
    """
    original = _compat.policy_for_wrapping()
    _compat.install_policy(_compat.forbidding_policy(original, on_call))
