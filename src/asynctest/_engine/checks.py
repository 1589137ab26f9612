"""The registry of post-test checks, the one place where a check is declared.

A check has a name (the keyword of ``fail_on``), a default, an optional hook run
before the test and a verdict run after it. Front-ends only resolve which checks
are on and show the messages; the bodies live in their own modules, which
register themselves here (see ``_BUILTIN_MODULES``).
"""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Optional, Sequence


class CheckContext:
    """What a check sees: the test's loop and the test's name (for messages).

    ``gc_counts``: ``gc.get_count()`` as noted by the checks that report what
    finalizers say, until one of them collected the test's garbage (then None
    again): one collection serves them all (see ``asynctest._engine.hygiene``).
    """

    __slots__ = ("loop", "test_name", "gc_counts")

    def __init__(self, loop: asyncio.AbstractEventLoop, test_name: str) -> None:
        self.loop = loop
        self.test_name = test_name
        self.gc_counts: Optional[tuple[int, int, int]] = None


Before = Callable[[CheckContext], Any]
After = Callable[[CheckContext, Any], Optional[str]]
Teardown = Callable[[CheckContext, Any], None]


@dataclass(frozen=True)
class Check:
    """A post-test check.

    ``before(ctx)`` runs when the test starts (before setUp) and returns a state;
    ``after(ctx, state)`` runs when the test and its cleanups are done, before the
    loop is torn down, and returns a failure message or None. ``default`` says
    whether the check is on when no decorator or option says otherwise.

    A check whose ``before`` installs something outside the test (a hook of a
    module, a loop's exception handler) takes it off in ``after``, and gives
    ``teardown(ctx, state)``: it is called, instead, when ``after`` is not
    (setUp failed, or the test was interrupted, as by ``debug()``) or when
    ``after`` raised. (Calling it on the common path too would cost a call
    per check and per test.)

    ``before_settle``: judged before the engine gives the callbacks still
    ready their turn (see ``Session.settle``), as ``unused_loop`` must be.
    ``engine``: not a verdict after the test but a behaviour of the engine
    while it runs (``deadlock``); it has no hooks, the front-end tells the
    engine whether it is on.
    """

    name: str
    default: bool
    after: After
    before: Optional[Before] = None
    description: str = ""
    before_settle: bool = False
    engine: bool = False
    teardown: Optional[Teardown] = None


_REGISTRY: dict[str, Check] = {}


def _no_verdict(ctx: CheckContext, state: Any) -> None:
    return None


#: Deadlock detection (SPEC "Deadlock detection"), on by default: the
#: engine watches each phase (see ``asynctest._engine.guard``).
DEADLOCK = Check(
    name="deadlock",
    default=True,
    after=_no_verdict,
    description="a phase waits for something nothing can ever bring (on by default)",
    engine=True,
)
_REGISTRY[DEADLOCK.name] = DEADLOCK

# Modules whose import registers the built-in checks; loaded on first use.
_BUILTIN_MODULES = (
    "asynctest._engine.leaks",
    "asynctest._engine.tasks_check",
    "asynctest._io.checks",
    "asynctest._engine.hygiene",
)
_loaded = False


def register(check: Check) -> Check:
    """Add ``check`` to the registry; a second check of the same name is an error."""
    if check.name in _REGISTRY and _REGISTRY[check.name] is not check:
        raise ValueError(f"a check named {check.name!r} is already registered")
    _REGISTRY[check.name] = check
    return check


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in _BUILTIN_MODULES:
            importlib.import_module(module)
        _loaded = True


def all_checks() -> Mapping[str, Check]:
    """Every registered check, by name, in registration order."""
    _load()
    return _REGISTRY


def validate_names(names: Iterable[str], where: str) -> None:
    """Raise TypeError naming the first unknown check name and listing the known ones."""
    known = all_checks()
    for name in names:
        if name not in known:
            raise TypeError(
                f"{where}: unknown check {name!r}; known checks are: {', '.join(sorted(known))}"
            )


def tear_down(ctx: CheckContext, started: Iterable[tuple[Check, Any]]) -> None:
    """Call ``teardown(ctx, state)`` of every check in ``started`` that has one.

    For the checks whose ``after`` did not run, or raised (see :class:`Check`).

    Every teardown runs even when one raises; the first error is raised after.
    """
    error: Optional[BaseException] = None
    for check, state in started:
        if check.teardown is not None:
            try:
                check.teardown(ctx, state)
            except BaseException as exc:  # the others must still undo what they did
                if error is None:
                    error = exc
    if error is not None:
        raise error


def defaults() -> dict[str, bool]:
    """The default on/off state of every check."""
    return {name: check.default for name, check in all_checks().items()}


def not_available(name: str, ctx: CheckContext, why: str) -> str:
    """The failure of check ``name`` on a loop it cannot inspect (``why`` says what it lacks).

    A check that cannot work fails the test rather than passing silently.
    """
    kind = type(ctx.loop)
    return (
        f"The {name} check is not available on {kind.__module__}.{kind.__qualname__} "
        f"loops ({why}), so {ctx.test_name} was not checked; run it on an asyncio "
        f"event loop, or turn the check off with @fail_on({name}=False) on the test "
        f"or its class"
    )


# -- which checks are on, and running them: shared by every front-end ------------

#: A setting: a check's name (or ``ALL``) and whether it is on.
Setting = tuple[str, bool]
#: The name standing for every check in a setting (``@strict``, ``@lenient``).
ALL = "*"


def apply_settings(state: dict[str, bool], settings: Iterable[Setting]) -> None:
    """Apply ``settings`` to ``state`` in order (``(ALL, on)`` sets every check)."""
    for name, value in settings:
        if name == ALL:
            for key in state:
                state[key] = value
        else:
            state[name] = value


def resolve(layers: Iterable[Iterable[Setting]], run_strict: bool) -> dict[str, bool]:
    """The on/off state of every check: defaults, the run's strictness, then ``layers`` in order."""
    state = defaults()
    if run_strict:
        apply_settings(state, [(ALL, True)])
    for settings in layers:
        apply_settings(state, settings)
    return state


def enabled(state: Mapping[str, bool]) -> tuple[Check, ...]:
    """The checks ``state`` turns on, in registration order."""
    return tuple(check for name, check in all_checks().items() if state[name])


class Enabled(NamedTuple):
    """Which checks are on for a test, sorted for the front-end and the engine."""

    checks: tuple[Check, ...]  # the post-test verdicts, before_settle ones first
    settle_at: int  # how many judge before the ready callbacks get their turn
    deadlock: bool
    pending_tasks: bool  # tasks that do not stop when cancelled fail the test
    leaked_threads: bool  # executor threads that stay busy fail the test


def split(on: Iterable[Check]) -> Enabled:
    """Sort the checks that are on into verdicts and what the engine does while it runs."""
    on = tuple(on)
    names = {check.name for check in on}
    first = tuple(check for check in on if check.before_settle and not check.engine)
    rest = tuple(check for check in on if not check.before_settle and not check.engine)
    return Enabled(
        first + rest,
        len(first),
        "deadlock" in names,
        "pending_tasks" in names,
        "leaked_threads" in names,
    )


Started = list[tuple[Check, Any]]


def start(on: Sequence[Check], ctx: CheckContext, started: Started) -> None:
    """Run the ``before`` hook of every check in ``on``, appending to ``started`` as it goes.

    If a ``before`` raises, ``started`` holds those that ran: give them to
    :func:`tear_down`.
    """
    append = started.append
    for check in on:
        before = check.before
        append((check, before(ctx) if before is not None else None))


def judge(started: Started, ctx: CheckContext, settle: Callable[[], None], settle_at: int,
          test_ran: bool = True) -> list[str]:
    """The failure messages of the started checks, once the test and its cleanups are over.

    ``started`` in the order of :attr:`Enabled.checks`: the first ``settle_at``
    judge the test's own turns of the loop; then ``settle()`` gives the
    callbacks still ready their turn (asyncio's own, queued while the test
    closed things), then the others judge. When the test did not run
    (``test_ran`` false: its set-up failed), or an ``after`` raises, the
    checks not judged are torn down (:func:`tear_down`).
    """
    messages: list[str] = []
    done = 0
    try:
        if test_ran:
            for check, state in started:
                if done == settle_at:
                    settle()
                message = check.after(ctx, state)
                done += 1
                if message:
                    messages.append(message)
    finally:
        if done < len(started):
            tear_down(ctx, started[done:])
    return messages
