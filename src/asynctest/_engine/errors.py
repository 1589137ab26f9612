"""What the engine reports: failures of a test that no assertion of its own raised.

They are ``AssertionError`` subclasses, so that unittest and pytest count them
as failures of the test (not errors of the framework). Their public home is
the ``asynctest`` package.
"""

from __future__ import annotations


class DeadlockError(AssertionError):
    """A phase of the test waited for something nothing could ever bring.

    Raised when the loop was about to wait with no ready callback, no timer,
    no watched file descriptor other than its own wake-up pipe, no signal
    handler and no other thread that could still wake it. The message shows
    where every task was waiting.
    """


class PhaseTimeoutError(AssertionError):
    """A phase of the test (setUp, the test, tearDown, a cleanup) ran past its timeout.

    The message says which phase and shows where every task was waiting when
    the time ran out (taken before the phase was cancelled).
    """


class LeftoverError(AssertionError):
    """What a test left behind did not stop in time at its end.

    A leftover task that did not finish within ``shutdown_timeout`` seconds of
    being cancelled, or a default-executor thread still busy after as long;
    both are abandoned. A failure when the matching check (``pending_tasks``,
    ``leaked_threads``) is on; a :class:`LeftoverWarning` otherwise.
    """


class LeftoverWarning(RuntimeWarning):
    """Like :class:`LeftoverError`, when the matching check is off."""


for _cls in (DeadlockError, PhaseTimeoutError, LeftoverError, LeftoverWarning):
    _cls.__module__ = "asynctest"
