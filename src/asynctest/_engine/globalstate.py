"""Asyncio's process-wide state around one test.

What a test may change and must not leak: the event loop policy, the current
loop of this thread and the running-loop marker. The session reads them
without side effects (no policy is created, no loop is made) when it opens and
puts them back when it closes, through ``_compat.read_global_state`` and
``_compat.restore_global_state`` (they touch the policy's private slots);
this module holds what changes them on a test's request.
"""

from __future__ import annotations

from typing import Callable

from .. import _compat


def forbid_get_event_loop(on_call: Callable[[], BaseException]) -> None:
    """Make ``asyncio.get_event_loop()`` without a running loop raise ``on_call()``.

    Installs a policy that delegates everything else to the current one; the
    session restores the original when it closes. Calls from coroutines
    and callbacks never reach the policy, so they are not affected.
    """
    original = _compat.policy_for_wrapping()
    _compat.install_policy(_compat.forbidding_policy(original, on_call))
