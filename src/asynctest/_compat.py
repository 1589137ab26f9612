"""The one home of version flags and of every private name of asyncio and unittest.mock.

Nothing else in asynctest reads an underscore attribute of the standard library.
Each accessor says which versions it was checked on; ``tests/test_compat.py``
runs on every supported Python and fails loudly if a private moves.
"""

from __future__ import annotations

import asyncio
import asyncio.events
import contextvars
import functools
import gc
import heapq
import math
import selectors
import sys
import threading
import types
import warnings
from collections.abc import Coroutine, Generator
from typing import Any, Callable, Optional, TypeVar

_T = TypeVar("_T")
_S = TypeVar("_S")

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


# asyncio's default policy class, read once (3.14 deprecates the public name).
_DEFAULT_POLICY: Any = asyncio.DefaultEventLoopPolicy
_WINDOWS = sys.platform == "win32"


def current_loop() -> Any:
    """The loop set as current for this thread, None, or UNKNOWN.

    Reads the default policy's thread-local slot instead of calling
    ``get_event_loop()``, which may create a loop or warn (3.12+).
    """
    policy = asyncio.events._event_loop_policy  # type: ignore[attr-defined]
    if policy is None:
        return None
    local = getattr(policy, "_local", None)
    if local is None:
        return UNKNOWN
    return getattr(local, "_loop", None)


def _plain_default_policy(policy: Any) -> bool:
    # asyncio's own default policy with no child watcher to attach loops to
    # (3.9-3.13; Windows' has none): its set_event_loop() only writes the
    # thread's slot (``policy._local``), which is then written directly.
    return type(policy) is _DEFAULT_POLICY and (_WINDOWS or policy._watcher is None)


def set_current_loop(loop: Optional[asyncio.AbstractEventLoop]) -> None:
    """Make ``loop`` the current loop of this thread (``asyncio.set_event_loop``)."""
    policy = asyncio.events._event_loop_policy  # type: ignore[attr-defined]
    if _plain_default_policy(policy):
        # What BaseDefaultEventLoopPolicy.set_event_loop() does, without its
        # two Python calls (this runs twice per test).
        local = policy._local
        local._set_called = True
        local._loop = loop
    elif policy is None:
        asyncio.set_event_loop(loop)  # creates the default policy
    else:
        policy.set_event_loop(loop)


#: What :func:`read_global_state` returns: the policy (or None), this thread's
#: current loop (or None, or UNKNOWN) and the policy's "set_event_loop() was
#: called" flag (3.9-3.13: ``get_event_loop()`` makes a loop only if it is
#: False; None when the policy has none).
GlobalState = tuple[Optional[asyncio.AbstractEventLoopPolicy], Any, Optional[bool]]


def read_global_state() -> GlobalState:
    """Asyncio's process-wide state that a test may change: read, changing nothing."""
    policy = asyncio.events._event_loop_policy  # type: ignore[attr-defined]
    if policy is None:
        return None, None, None
    local = getattr(policy, "_local", None)
    if local is None:
        return policy, UNKNOWN, None
    return policy, getattr(local, "_loop", None), getattr(local, "_set_called", None)


def restore_global_state(saved: GlobalState, keep_default: bool = False) -> None:
    """Put back what :func:`read_global_state` read, and clear a stale running-loop marker.

    With ``keep_default``, when there was no policy and asyncio's default one
    was made meanwhile (by setting the test's loop as current), that policy
    stays, with no current loop, as if just made: through asyncio's API it
    cannot be told from "no policy yet", which ``get_event_loop_policy()``
    would replace by just such a policy; making a new one for every test
    would cost more than the rest of the restore.
    """
    policy: Any = saved[0]
    loop, set_called = saved[1], saved[2]
    events = asyncio.events
    if events._get_running_loop() is not None:
        # A test left a loop marked as running in this thread (e.g. it called
        # run_forever() from a callback); no other loop could run after it.
        events._set_running_loop(None)
    current: Any = events._event_loop_policy  # type: ignore[attr-defined]
    if current is not policy:
        if keep_default and policy is None and type(current) is _DEFAULT_POLICY:
            policy, loop, set_called = current, None, False
        else:
            events._event_loop_policy = policy  # type: ignore[attr-defined]
    if policy is None or loop is UNKNOWN:
        return
    if _plain_default_policy(policy):
        local = policy._local
        local._loop = loop
        if set_called is not None and local._set_called is not set_called:
            local._set_called = set_called
    else:
        if current_loop() is not loop:
            # Also attaches the policy's child watcher, if any, to ``loop``.
            policy.set_event_loop(loop)
        if set_called is not None:
            # set_event_loop() set the flag (always on a policy with a child
            # watcher, made by any subprocess a test starts, 3.9-3.13 Unix).
            restore_set_event_loop_called(policy, set_called)


def open_selector_loop(
    wrap: Callable[[selectors.BaseSelector], _S],
) -> Optional[tuple[asyncio.AbstractEventLoop, _S, GlobalState]]:
    """``asyncio.new_event_loop()``'s loop, polling ``wrap(its selector)``, made current.

    Returns ``(loop, wrapper, saved)``, ``saved`` being what
    :func:`restore_global_state` puts back; None (doing nothing) when the policy
    in force would not make a plain ``SelectorEventLoop`` (a custom policy,
    Windows). The loop registers its wake-up pipe with the real selector, then
    polls the wrapper: close it with :func:`close_selector_loop`, given the
    real one (a selector and pair a closed loop left are reused here). One
    call for what every test does first.
    """
    policy: Any = asyncio.events._event_loop_policy  # type: ignore[attr-defined]
    if _WINDOWS or not (policy is None or type(policy) is _DEFAULT_POLICY):
        return None
    loop: Any = _new_selector_loop(_take_spare())
    wrapper = wrap(loop._selector)
    loop._selector = wrapper
    if _plain_default_policy(policy):
        # What set_event_loop() does but for its "called" flag, which matters
        # only while no loop is set; restore_global_state() puts it back.
        local = policy._local
        saved: GlobalState = policy, local._loop, local._set_called
        local._loop = loop
    else:
        saved = read_global_state()
        set_current_loop(loop)
    return loop, wrapper, saved


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


def leftovers(loop: asyncio.AbstractEventLoop) -> Optional[list[asyncio.Task[Any]]]:
    """What is left to shut down on ``loop`` at the end of a test.

    Its pending tasks (:func:`pending_tasks`); an empty list if it has none
    but async generators or a default executor to shut down; None if there is
    nothing to do at all. Reads ``loop._asyncgens`` (a WeakSet: its ``data``
    set, to spare a Python ``__len__``) and ``loop._default_executor``; when
    they are missing (loops other than asyncio's), assumes there is.
    """
    if _TASK_REFS or _EAGER_TASKS or _TASK_REFS is None:
        tasks = pending_tasks(loop)
        if tasks:
            return tasks
    else:
        tasks = []  # no task left anywhere: the common case, spared a copy of the registry
    gens = getattr(getattr(loop, "_asyncgens", None), "data", None)
    if gens is None or gens or getattr(loop, "_default_executor", True) is not None:
        return tasks
    return None


def has_default_executor(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether the loop created its default executor; True when it cannot tell."""
    return getattr(loop, "_default_executor", True) is not None


def handle_is_cancelled(handle: asyncio.Handle) -> bool:
    """``Handle.cancelled()`` (public since 3.7), in one place with the other handle reads."""
    return handle.cancelled()


def timer_when(handle: asyncio.TimerHandle) -> float:
    """The time at which a timer is due (public ``when()``, since 3.7)."""
    return handle.when()


def handle_source_traceback(handle: asyncio.Handle) -> Optional[Any]:
    """Where a handle was created (an extracted stack), known in debug mode only."""
    return getattr(handle, "_source_traceback", None)


def _task_registry() -> tuple[Optional[set[Any]], Optional[set[Any]]]:
    # The weak references behind asyncio.all_tasks(), and the eager tasks (3.12+).
    registry = getattr(asyncio.tasks, "_scheduled_tasks" if PY312 else "_all_tasks", None)
    refs = getattr(registry, "data", None)
    eager = getattr(asyncio.tasks, "_eager_tasks", None) if PY312 else None
    return (refs if isinstance(refs, set) else None), (eager if isinstance(eager, set) else None)


_TASK_REFS, _EAGER_TASKS = _task_registry()


def pending_tasks(loop: asyncio.AbstractEventLoop) -> list[asyncio.Task[Any]]:
    """``asyncio.all_tasks(loop)`` as a list, without iterating a WeakSet in Python.

    Reads the registry behind ``all_tasks``: ``_all_tasks`` (3.9-3.11), or
    ``_scheduled_tasks`` plus ``_eager_tasks`` (3.12-3.13), found once at
    import; copying the weak references' set is atomic, so no retry loop is
    needed. Falls back to ``asyncio.all_tasks`` if the registry moved.
    """
    if _TASK_REFS is None:
        return list(asyncio.all_tasks(loop))
    found = []
    for ref in _TASK_REFS.copy():
        task = ref()
        if task is not None and task.get_loop() is loop and not task.done():
            found.append(task)
    if _EAGER_TASKS:
        for task in list(_EAGER_TASKS):
            if task.get_loop() is loop and not task.done():
                found.append(task)
    return found


# ---------------------------------------------------------------------------
# asyncio: tasks running in a given context
# ---------------------------------------------------------------------------


class _InContext(Coroutine[Any, Any, Any]):
    """Drives a coroutine with every step run in one ``contextvars.Context``.

    Needed on 3.9 and 3.10, whose ``create_task`` has no ``context`` argument
    (added in 3.11, bpo-46994): a task always runs in a copy of the context.
    """

    __slots__ = ("_coro", "_ctx", "__dict__")

    def __init__(self, coro: Coroutine[Any, Any, Any], ctx: contextvars.Context) -> None:
        self._coro = coro
        self._ctx = ctx
        # What the task calls (send() on 3.9; on 3.10 too, the class having no
        # __next__), as C callables (instance attributes win over the methods):
        # a Python method would add a frame of this module to every traceback
        # of the test's errors, between asyncio's and the test's.
        run: Any = ctx.run
        self.send = functools.partial(run, coro.send)  # type: ignore[method-assign]
        self.throw = functools.partial(run, coro.throw)  # type: ignore[method-assign]

    def send(self, value: Any) -> Any:
        return self._ctx.run(self._coro.send, value)

    def throw(self, *args: Any) -> Any:
        return self._ctx.run(self._coro.throw, *args)

    def close(self) -> None:
        self._ctx.run(self._coro.close)

    def __await__(self) -> Generator[Any, None, Any]:
        return _Steps(self)  # type: ignore[return-value]

    def __getattr__(self, name: str) -> Any:
        # cr_frame, cr_await, __qualname__...: Task.get_stack() and repr() read them.
        return getattr(self._coro, name)

    def __repr__(self) -> str:
        return repr(self._coro)


class _Steps:
    """The iterator an ``await`` of an ``_InContext`` drives (tasks call send() directly)."""

    __slots__ = ("_target",)

    def __init__(self, target: _InContext) -> None:
        self._target = target

    def __iter__(self) -> _Steps:
        return self

    def __next__(self) -> Any:
        return self._target.send(None)

    def send(self, value: Any) -> Any:
        return self._target.send(value)

    def throw(self, *args: Any) -> Any:
        return self._target.throw(*args)

    def close(self) -> None:
        self._target.close()


def create_task_in_context(
    loop: asyncio.AbstractEventLoop,
    coro: Coroutine[Any, Any, _T],
    ctx: contextvars.Context,
) -> asyncio.Task[_T]:
    """A task of ``loop`` running ``coro`` in ``ctx`` itself (not a copy)."""
    if PY311:
        return loop.create_task(coro, context=ctx)  # type: ignore[call-arg]
    return loop.create_task(_InContext(coro, ctx))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# asyncio: the running-loop marker and policy wrapping (checked on 3.9-3.13)
# ---------------------------------------------------------------------------


def running_loop() -> Optional[asyncio.AbstractEventLoop]:
    """The loop running in this thread, or None (``asyncio._get_running_loop``)."""
    return asyncio.events._get_running_loop()


def set_running_loop(loop: Optional[asyncio.AbstractEventLoop]) -> None:
    """Set the running-loop marker of this thread (``asyncio._set_running_loop``)."""
    asyncio.events._set_running_loop(loop)


def policy_for_wrapping() -> asyncio.AbstractEventLoopPolicy:
    """The policy in force, created if needed (``forbid_get_event_loop``, a 0.13 feature)."""
    return asyncio.get_event_loop_policy()


def forbidding_policy(
    original: asyncio.AbstractEventLoopPolicy, on_call: Any
) -> asyncio.AbstractEventLoopPolicy:
    """A policy like ``original`` whose ``get_event_loop()`` raises ``on_call()``.

    Event loop policies are deprecated from 3.14 on; ``forbid_get_event_loop``
    (asynctest 0.13) is the only feature that needs one, so the class is made
    here, on demand, never at import time.
    """

    class _ForbiddingPolicy(asyncio.AbstractEventLoopPolicy):
        def get_event_loop(self) -> asyncio.AbstractEventLoop:
            raise on_call()

        def set_event_loop(self, loop: Optional[asyncio.AbstractEventLoop]) -> None:
            original.set_event_loop(loop)

        def new_event_loop(self) -> asyncio.AbstractEventLoop:
            return original.new_event_loop()

        # Child watchers (3.9-3.11; deprecated in 3.12, gone in 3.14).
        def get_child_watcher(self) -> Any:
            return original.get_child_watcher()  # type: ignore[attr-defined]

        def set_child_watcher(self, watcher: Any) -> None:
            original.set_child_watcher(watcher)  # type: ignore[attr-defined]

    policy = _ForbiddingPolicy()
    # current_loop() reads the thread-local slot of whichever policy is installed.
    local = getattr(original, "_local", None)
    if local is not None:
        policy._local = local  # type: ignore[attr-defined]
    return policy


async def shutdown_default_executor(loop: asyncio.AbstractEventLoop) -> None:
    """``loop.shutdown_default_executor()``, which uvloop lacks before 0.15."""
    shutdown = getattr(loop, "shutdown_default_executor", None)
    if shutdown is not None:
        await shutdown()


# ---------------------------------------------------------------------------
# unittest: TestCase._cleanups and _testMethodName (checked on 3.9-3.13)
# ---------------------------------------------------------------------------


def pending_cleanups(case: Any) -> bool:
    """Whether ``case`` has cleanups not run yet (``addCleanup`` pushes onto ``_cleanups``)."""
    return bool(getattr(case, "_cleanups", ()))


def test_method(case: Any) -> tuple[str, Any]:
    """The name of the test method a unittest TestCase runs (``_testMethodName``)
    and its function (unbound: reading a missing attribute of a bound method
    makes and drops an AttributeError, of a function not)."""
    name = case._testMethodName
    method = getattr(case, name, None)
    return name, getattr(method, "__func__", method)


# ---------------------------------------------------------------------------
# asyncio: selector loops (checked on 3.9-3.13)
# asyncio.selector_events.BaseSelectorEventLoop keeps its selector in
# ``loop._selector`` and stores ``(reader_handle, writer_handle)`` as the data of
# each selector key; a Handle keeps its callback in ``_callback`` and ``_args``.
# ---------------------------------------------------------------------------


def is_selector_loop(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether ``loop`` is an asyncio selector event loop (uvloop and proactor are not)."""
    return isinstance(loop, asyncio.selector_events.BaseSelectorEventLoop)


def loop_selector(loop: asyncio.AbstractEventLoop) -> Optional[Any]:
    """The selector a selector loop polls, or None (other loops, or closed)."""
    if isinstance(loop, _SELECTOR_LOOP):  # (is_selector_loop(), without the call)
        return loop._selector  # type: ignore[attr-defined]
    return None


_SELECTOR_LOOP = asyncio.selector_events.BaseSelectorEventLoop


def set_loop_selector(loop: asyncio.AbstractEventLoop, selector: Any) -> None:
    """Make the selector loop ``loop`` poll ``selector`` from its next iteration on."""
    if not is_selector_loop(loop):
        raise TypeError(f"{loop!r} is not a selector event loop")
    loop._selector = selector  # type: ignore[attr-defined]


def selector_keys(selector: Any) -> Any:
    """The keys of a ``selectors`` selector: ``get_map().values()`` without the mapping view.

    The stdlib selectors keep them in ``_fd_to_key`` (3.9-3.13); other selectors
    go through the public mapping.
    """
    by_fd = getattr(selector, "_fd_to_key", None)
    if isinstance(by_fd, dict):
        return by_fd.values()
    return selector.get_map().values()


def selector_fd_map(selector: Any) -> Optional[dict[int, Any]]:
    """The live dict of a stdlib selector's keys by descriptor (``_fd_to_key``,
    3.9-3.13): its ``len()`` is the number of registrations, for free. None for
    other selectors."""
    by_fd = getattr(selector, "_fd_to_key", None)
    return by_fd if isinstance(by_fd, dict) else None


def selector_key_handles(key: Any) -> tuple[Optional[asyncio.Handle], Optional[asyncio.Handle]]:
    """The (reader, writer) handles a selector loop stored in a selector key's data.

    Keys registered by someone else than the loop (another data layout) give
    ``(None, None)``.
    """
    data = key.data
    if not (isinstance(data, tuple) and len(data) == 2):
        return None, None
    reader, writer = data
    return (
        reader if isinstance(reader, asyncio.Handle) else None,
        writer if isinstance(writer, asyncio.Handle) else None,
    )


def handle_callback(handle: asyncio.Handle) -> tuple[Any, tuple[Any, ...]]:
    """The callback of a handle and its arguments.

    ``repr(handle)`` hides the arguments outside debug mode since 3.12, so
    check messages format them from here.
    """
    return getattr(handle, "_callback", None), tuple(getattr(handle, "_args", None) or ())


# ---------------------------------------------------------------------------
# unittest.mock internals (checked on 3.9-3.13)
# asynctest.mock builds on unittest.mock's public behaviour; these are the
# only places where it relies on how unittest.mock is made inside.
# tests/mock/test_mock_compat.py checks each of them on every supported Python.
# ---------------------------------------------------------------------------


def mock_children(mock: Any) -> dict[str, Any]:
    """The child mocks a mock made so far, by attribute name (``_mock_children``).

    Values may also be unittest.mock's lazy autospec placeholders or its marker
    for deleted attributes; callers keep only mock instances.
    """
    children: dict[str, Any] = mock._mock_children
    return children


def mock_return_value_if_made(mock: Any) -> Any:
    """The mock's return value if it was set or made already, else ``unittest.mock.DEFAULT``.

    Reading the public ``return_value`` would make a child mock as a side effect.
    """
    return mock.__dict__.get("_mock_return_value", _unittest_mock_default())


def _unittest_mock_default() -> Any:
    from unittest import mock as _um

    return _um.DEFAULT


def rebase_instance_class(instance: Any, mapping: dict[type, type]) -> bool:
    """Move a mock into another class family, in place; True if it moved.

    unittest.mock gives every mock instance a class of its own (made in
    ``NonCallableMock.__new__``, so that magic methods can be set per mock),
    whose bases are the class asked for, e.g. ``(MagicMock,)``, or
    ``(AsyncMockMixin, Mock)`` for a Mock with an async spec. Swapping those
    bases for the subclasses in ``mapping`` keeps the object, its identity, its
    configuration and the magic methods set on its class.
    """
    own = type(instance)
    bases = own.__bases__
    new_bases = tuple(mapping.get(base, base) for base in bases)
    if new_bases == bases:
        return False
    from unittest import mock as _um

    if not issubclass(own, _um.NonCallableMock) or own in mapping or own in mapping.values():
        # Not a per-instance class: never mutate a shared class.
        raise TypeError(f"{instance!r} has no class of its own; cannot move it into asynctest")
    own.__bases__ = new_bases
    family = new_bases[-1]
    own.__name__ = own.__qualname__ = family.__name__
    own.__module__ = family.__module__
    return True


def notify_after_each_await(cls: type, notify: Any) -> None:
    """Make each await of a ``cls`` mock (an AsyncMock subclass) call ``notify(mock)`` at its end.

    ``AsyncMockMixin._execute_mock_call`` is the coroutine that one call of an
    AsyncMock returns (3.8-3.13): it counts the await, then runs side_effect,
    wraps or return_value. Overriding it, rather than wrapping the coroutine
    in ``__call__``, keeps one coroutine per call, so a mock never awaited
    still gives a single "was never awaited" RuntimeWarning.
    """

    async def _execute_mock_call(self: Any, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super(cls, self)._execute_mock_call(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            notify(self)

    _execute_mock_call.__qualname__ = f"{cls.__name__}._execute_mock_call"
    cls._execute_mock_call = _execute_mock_call  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# asyncio and concurrent.futures: what could still wake a loop, and what is
# left of it at the end (deadlock detection, bounded shutdown; checked on 3.9-3.13)
# ---------------------------------------------------------------------------

_worker_code: Any = None


def _find_worker_code() -> Any:
    global _worker_code
    if _worker_code is None:
        import concurrent.futures.thread  # loaded by asyncio on first use only

        worker = getattr(concurrent.futures.thread, "_worker", None)
        _worker_code = getattr(worker, "__code__", False)
    return _worker_code


def self_pipe_fd(loop: asyncio.AbstractEventLoop) -> Optional[int]:
    """The descriptor of a selector loop's wake-up pipe (``loop._ssock``), or None."""
    ssock = getattr(loop, "_ssock", None)
    try:
        return None if ssock is None else int(ssock.fileno())
    except (OSError, ValueError):
        return None


def has_signal_handlers(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether ``loop.add_signal_handler`` is in force (``loop._signal_handlers``, Unix)."""
    return bool(getattr(loop, "_signal_handlers", None))


def thread_frames() -> dict[int, Any]:
    """The innermost Python frame of every thread, by ident (``sys._current_frames``)."""
    return sys._current_frames()


def is_idle_worker(frame: Any) -> bool:
    """Whether a thread whose innermost Python frame is ``frame`` looks like an idle
    ``ThreadPoolExecutor`` worker: in ``concurrent.futures.thread._worker`` (its
    queue's ``get`` is C code, so no Python frame is above it), holding no work
    item (the local ``work_item`` is deleted after each item, 3.9-3.13), its
    queue (the local ``work_queue``) empty.

    A worker that has just taken an item may not have stored it yet: callers
    confirm a "yes" a few milliseconds later.
    """
    code = _worker_code or _find_worker_code()
    if not code or frame is None or frame.f_code is not code:
        return False
    try:
        local = frame.f_locals
        queue = local.get("work_queue")
        return "work_item" not in local and queue is not None and bool(queue.empty())
    except Exception:
        return False


def detach_busy_worker(thread: threading.Thread) -> bool:
    """Keep the work item a ``ThreadPoolExecutor`` worker runs from reporting back.

    Finds the worker's ``_worker`` frame below what it runs, and drops the done
    callbacks of its ``work_item.future`` (``Future._done_callbacks``, under its
    ``_condition``; 3.9-3.13), so that an abandoned thread finishing after its
    loop closed does not log "exception calling callback" (3.9 calls into the
    closed loop). True if it was found.
    """
    code = _worker_code or _find_worker_code()
    frame = sys._current_frames().get(thread.ident or -1)
    while frame is not None and frame.f_code is not code:
        frame = frame.f_back
    if frame is None:
        return False
    try:
        future = frame.f_locals["work_item"].future
        with future._condition:
            future._done_callbacks.clear()
    except Exception:
        return False
    return True


def default_executor(loop: asyncio.AbstractEventLoop) -> Any:
    """The loop's default executor if it made one (``loop._default_executor``), else None.

    ``UNKNOWN`` for loops that do not have the attribute (uvloop).
    """
    return getattr(loop, "_default_executor", UNKNOWN)


def executor_threads(executor: Any) -> list[threading.Thread]:
    """The worker threads of a ``ThreadPoolExecutor`` (its ``_threads`` set)."""
    return list(getattr(executor, "_threads", ()))


def forget_pending_task(task: asyncio.Task[Any]) -> None:
    """Keep an abandoned pending task from logging "Task was destroyed but it is pending"
    when it is collected (``task._log_destroy_pending``, 3.9-3.13)."""
    if hasattr(task, "_log_destroy_pending"):
        task._log_destroy_pending = False  # type: ignore[attr-defined]


def gathered(future: asyncio.Future[Any]) -> list[asyncio.Future[Any]]:
    """The children of an ``asyncio.gather()`` future (``_GatheringFuture._children``),
    or [] for any other future."""
    children = getattr(future, "_children", None)
    return list(children) if isinstance(children, list) else []


# ---------------------------------------------------------------------------
# asyncio: what a task waits for, for the task-stack report (checked on 3.9-3.13)
# A Task keeps the future it is blocked on in ``_fut_waiter`` (None while it
# is scheduled to resume); a Future keeps its done callbacks in ``_callbacks``
# as ``(callback, context)`` pairs (the C Future gives None when it has none),
# its exception in ``_exception`` and, in debug mode, where it was made in
# ``_source_traceback``. The report reads nothing else of asyncio's.
# ---------------------------------------------------------------------------


def task_waiter(task: Any) -> Any:
    """The future ``task`` is blocked on (``Task._fut_waiter``), or None."""
    return getattr(task, "_fut_waiter", None)


def future_callbacks(future: Any) -> list[Any]:
    """The done callbacks of a future (``Future._callbacks``), without their contexts."""
    entries = getattr(future, "_callbacks", None) or ()
    return [entry[0] if isinstance(entry, tuple) else entry for entry in entries]


def future_source_traceback(future: Any) -> Optional[Any]:
    """Where a future or task was created (an extracted stack), known in debug mode only."""
    return getattr(future, "_source_traceback", None)


def future_exception(future: Any) -> Optional[BaseException]:
    """The exception a done future holds, read without marking it retrieved.

    ``Future.exception()`` would mark it retrieved, and asyncio would then no
    longer log "exception was never retrieved" for it.
    """
    exc = getattr(future, "_exception", None)
    return exc if isinstance(exc, BaseException) else None


def callback_referents(callback: Any) -> list[Any]:
    """The objects a done callback refers to, one step deep.

    How asyncio links a future to the futures it completes: a
    ``functools.partial`` argument (``wait_for``'s ``_release_waiter`` on
    3.9-3.11), a closure cell (``shield``, ``gather``, ``wait``), or an
    attribute of the object of a bound method (``TaskGroup._on_task_done``,
    whose group holds ``_on_completed_fut``, 3.11+).
    """
    found: list[Any] = []
    if isinstance(callback, functools.partial):
        found.append(callback.func)
        found.extend(callback.args)
        found.extend((callback.keywords or {}).values())
        callback = callback.func
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            found.append(cell.cell_contents)
        except ValueError:  # an empty cell: a name not bound yet
            continue
    owner = getattr(callback, "__self__", None)
    if owner is not None and not isinstance(owner, (type, types.ModuleType)):
        found.append(owner)
        attributes = getattr(owner, "__dict__", None)
        if isinstance(attributes, dict):
            found.extend(attributes.values())
    return found


def wrapped_generator(awaitable: Any) -> Optional[Any]:
    """The async generator behind ``agen.__anext__()``/``asend``/``athrow``/``aclose``.

    Those awaitables (``async_generator_asend``, ``async_generator_athrow``)
    and ``coroutine_wrapper`` expose nothing; the garbage collector sees the
    generator or coroutine they drive (3.9-3.13).
    """
    if type(awaitable).__name__ not in _GENERATOR_WRAPPERS:
        return None
    for referent in gc.get_referents(awaitable):
        if hasattr(referent, "ag_frame") or hasattr(referent, "cr_frame"):
            return referent
    return None


_GENERATOR_WRAPPERS = frozenset(
    {"async_generator_asend", "async_generator_athrow", "coroutine_wrapper"}
)


# ---------------------------------------------------------------------------
# asyncio: the policy's "set_event_loop() was called" flag (checked on 3.9-3.13)
# BaseDefaultEventLoopPolicy keeps it in ``_local._set_called``: while it is
# False and no loop is set, get_event_loop() in the main thread makes a loop
# (3.12-3.13 with a DeprecationWarning); once True, it raises RuntimeError.
# ---------------------------------------------------------------------------


def restore_set_event_loop_called(policy: Any, called: bool) -> None:
    """Put back the flag :func:`read_global_state` read (policies without one: no-op)."""
    local = getattr(policy, "_local", None)
    if local is not None and getattr(local, "_set_called", None) not in (None, called):
        local._set_called = called


# What makes asyncio and inspect take an object for a coroutine function
# (asynctest 0.13's answers for mocks). Checked on 3.9.18, 3.10.13, 3.11.7,
# 3.12.1 and 3.13.0.
# ---------------------------------------------------------------------------


def coroutine_function_marks() -> dict[str, Any]:
    """Attributes that make ``asyncio.iscoroutinefunction(obj)`` answer True, and ``inspect``'s.

    ``_is_coroutine`` set to ``asyncio.coroutines._is_coroutine`` is what
    asyncio.iscoroutinefunction looks for besides real coroutine functions
    (3.9-3.13). On 3.12+, also what ``inspect.markcoroutinefunction`` sets on a
    function (``_is_coroutine_marker``, whose value differs between 3.12 and
    3.13), read off a function it marked. Set them in an object's ``__dict__``.
    """
    import inspect

    marks: dict[str, Any] = {"_is_coroutine": asyncio.coroutines._is_coroutine}  # type: ignore[attr-defined]
    mark = getattr(inspect, "markcoroutinefunction", None)
    if mark is not None:

        def marked() -> None:
            pass

        before = dict(marked.__dict__)
        mark(marked)
        marks.update((k, v) for k, v in marked.__dict__.items() if k not in before)
    return marks


def set_mock_delegate(mock: Any, delegate: Any) -> None:
    """Make ``mock`` read and write ``called``, ``return_value``... on ``delegate``.

    unittest.mock's autospec of a function keeps them on the function it returns
    (``NonCallableMock._mock_delegate``, 3.9-3.13); asynctest re-points it when
    it puts another function in its place.
    """
    mock._mock_delegate = delegate


# asyncio: the earliest timer of a loop, for the virtual clock's jumps
# (checked on 3.9-3.13). BaseEventLoop keeps its timers in the heap
# ``loop._scheduled`` (rebound, never only mutated, when it drops cancelled
# timers: read it afresh each time); a TimerHandle keeps its due time in
# ``_when`` and its state in ``_cancelled``. Before each select(), the loop
# pops the cancelled timers off the head of the heap, so the first entry is
# then the earliest pending timer.
# ---------------------------------------------------------------------------


def earliest_timer(loop: asyncio.AbstractEventLoop) -> Optional[float]:
    """When the earliest pending (not cancelled) timer of ``loop`` is due, or None.

    O(1) when the head of the heap is pending (always so while the loop
    selects); a scan of the heap otherwise.
    """
    scheduled = loop._scheduled  # type: ignore[attr-defined]
    if not scheduled:
        return None
    head = scheduled[0]
    if not head._cancelled:
        return head._when  # type: ignore[no-any-return]
    due = [timer._when for timer in scheduled if not timer._cancelled]
    return min(due) if due else None


def run_timers_in_order(
    loop: asyncio.AbstractEventLoop,
    until: float,
    limit: int,
    set_time: Callable[[float], None],
    watched: Any,
) -> None:
    """Run ``loop``'s timers one by one, in order, each at its own (virtual) time.

    What the loop does for a timer, for up to ``limit`` timers due at or
    before ``until``: pop it off the heap, ``set_time(its due time)``, run it
    (``Handle._run``: its errors go to the loop's exception handler). Once a
    callback is made ready (``loop._ready``), only the other timers due at
    the same time (within ``loop._clock_resolution``) still run, as the loop
    runs every timer due before the callbacks they make ready. Stops at once
    on ``loop.stop()`` (``loop._stopping``), a cancelled timer at the head
    of the heap (the loop drops it itself), or a new registration in
    ``watched`` (the selector's map: I/O to watch). Called from a callback
    of the loop, never while the loop selects.
    """
    ready = loop._ready  # type: ignore[attr-defined]
    resolution = loop._clock_resolution  # type: ignore[attr-defined]
    watching = len(watched)
    bound = math.inf  # once a callback is ready: the end of the current time
    for _ in range(limit):
        heap = loop._scheduled  # type: ignore[attr-defined]
        if not heap:
            return
        head = heap[0]
        when = head._when
        if head._cancelled or when > until or when >= bound:
            return
        heapq.heappop(heap)
        head._scheduled = False
        set_time(when)
        head._run()
        if loop._stopping or len(watched) != watching:  # type: ignore[attr-defined]
            return
        if ready and bound == math.inf:
            # The loop takes every timer due now before it runs what they made ready.
            bound = when + resolution


# The checks unawaited_coroutines, unclosed_resources and leaked_threads: two
# hooks of the warnings module, the threading module's registry of live
# threads and the default executor's threads (checked on 3.9-3.13)
# ---------------------------------------------------------------------------


def swap_unawaited_coroutine_hook(hook: Callable[[Any], None]) -> Optional[Callable[[Any], None]]:
    """Put ``hook`` in place of ``warnings._warn_unawaited_coroutine``; return the one it replaced.

    The interpreter calls that function (3.8-3.13) with the coroutine object
    when a coroutine that never started is finalized; it issues the
    RuntimeWarning "coroutine ... was never awaited" (with ``cr_origin`` when
    tracked). The interpreter looks it up on the ``warnings`` module at every
    call, so the replacement takes effect at once. Where it does not exist,
    nothing is replaced and None is returned.
    """
    previous = getattr(warnings, "_warn_unawaited_coroutine", None)
    if previous is not None:
        warnings._warn_unawaited_coroutine = hook  # type: ignore[attr-defined]
    return previous


def swap_show_warning_hook(hook: Callable[[Any], None]) -> Callable[[Any], None]:
    """Put ``hook`` in place of ``warnings._showwarnmsg``; return the one it replaced.

    Every warning that passed the filters goes there: the C ``warnings.warn``
    (3.9-3.13) looks it up on the ``warnings`` module and calls it with a
    ``warnings.WarningMessage`` (whose ``source`` is the object a
    ResourceWarning is about); it then calls ``warnings.showwarning`` (or what
    ``catch_warnings(record=True)`` put in its place).
    """
    previous: Callable[[Any], None] = warnings._showwarnmsg  # type: ignore[attr-defined]
    warnings._showwarnmsg = hook  # type: ignore[attr-defined]
    return previous


def live_threads() -> dict[int, Any]:
    """``threading._active``: the live dict of started threads by ident (3.9-3.13).

    A thread is in it from the time its ``start()`` returns until it ends. Read
    it without changing it (copy it to keep a snapshot). It is the same dict
    for the life of the process (after a fork, threading clears and refills
    it), so it can be kept.
    """
    return threading._active  # type: ignore[attr-defined,no-any-return]


def thread_target(thread: Any) -> Any:
    """The callable a ``threading.Thread`` runs (``_target``), or None (a subclass's ``run``)."""
    return getattr(thread, "_target", None)


def default_executor_threads(loop: asyncio.AbstractEventLoop) -> frozenset[Any]:
    """The worker threads of the loop's default executor (empty if it made none).

    ``loop._default_executor`` and ``ThreadPoolExecutor._threads`` (3.9-3.13).
    """
    executor = getattr(loop, "_default_executor", None)
    return frozenset(getattr(executor, "_threads", ()))


def is_foreign_thread(thread: Any) -> bool:
    """Whether ``thread`` is a ``threading._DummyThread``: a thread threading did not start.

    ``threading.current_thread()`` called from a thread started by C code makes
    one (3.9-3.13); it has no target and cannot be joined.
    """
    return isinstance(thread, threading._DummyThread)  # type: ignore[attr-defined]


def take_exception_handler(loop: asyncio.AbstractEventLoop, handler: Any) -> bool:
    """Make ``handler`` the loop's exception handler unless it has one; False if it has.

    ``loop.set_exception_handler`` in one step: ``BaseEventLoop._exception_handler``
    (3.9-3.13) is read and written directly, saving two calls per test. Other
    loops (uvloop) go through the public methods.
    """
    if getattr(loop, "_exception_handler", True) is None:
        loop._exception_handler = handler  # type: ignore[attr-defined]
        return True
    if isinstance(loop, asyncio.BaseEventLoop) or loop.get_exception_handler() is not None:
        return False
    loop.set_exception_handler(handler)
    return True


def give_back_exception_handler(loop: asyncio.AbstractEventLoop, handler: Any) -> None:
    """Undo :func:`take_exception_handler` unless the test set another handler since."""
    if getattr(loop, "_exception_handler", None) is handler:
        loop._exception_handler = None  # type: ignore[attr-defined]
    elif not isinstance(loop, asyncio.BaseEventLoop) and loop.get_exception_handler() is handler:
        loop.set_exception_handler(None)


def set_clock_resolution(loop: asyncio.AbstractEventLoop, seconds: float) -> None:
    """Set how far ahead of ``loop.time()`` a timer is already due (``_clock_resolution``).

    The virtual clock widens it at large virtual times, where the real
    clock's resolution is below the precision of a float.
    """
    loop._clock_resolution = seconds  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# unittest.mock: making mocks cheaply (checked on 3.9.18, 3.10.13, 3.11.7,
# 3.12.1 and 3.13.0). ``AsyncMock.__init__`` (``AsyncMockMixin.__init__``)
# gives every instance a mock of a code object for ``__code__``, spec'd on
# ``types.CodeType`` (the costliest part of making an AsyncMock before 3.12);
# ``_get_child_mock`` picks the class of a child among unittest.mock's own.
# asynctest makes the code mock on first use, and its children in its own
# classes up front. tests/test_compat.py compares each result with what
# unittest.mock makes on the running Python.
# ---------------------------------------------------------------------------


def init_async_mock_but_code(mock: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Run ``AsyncMock.__init__`` on ``mock``, all but the ``__code__`` mock it would make.

    Calls the ``__init__`` that comes after ``AsyncMockMixin`` in the mock's
    MRO (Mock's, with magic methods), then sets in ``mock.__dict__`` what
    ``AsyncMockMixin.__init__`` sets there besides ``__code__`` (the await
    counters, asyncio's ``_is_coroutine`` mark; on 3.10+ also ``__name__``,
    ``__defaults__``, ``__kwdefaults__``, ``__annotations__``, read by
    ``inspect.signature``). Give the class a ``__code__`` made by
    :func:`new_code_mock` on first use.
    """
    from unittest import mock as _um

    super(_um.AsyncMockMixin, mock).__init__(*args, **kwargs)
    found = mock.__dict__
    found["_is_coroutine"] = asyncio.coroutines._is_coroutine  # type: ignore[attr-defined]
    found["_mock_await_count"] = 0
    found["_mock_await_args"] = None
    found["_mock_await_args_list"] = _um._CallList()  # type: ignore[attr-defined]
    if PY310:
        found["__name__"] = "AsyncMock"
        found["__defaults__"] = ()
        found["__kwdefaults__"] = {}
        found["__annotations__"] = None


_code_mock_model: Any = None


def new_code_mock() -> Any:
    """A new mock of a code object, like the one ``AsyncMock()`` keeps in ``__code__``.

    Same spec (the attribute names of ``types.CodeType``, ``spec_set``; it
    passes for a CodeType), same ``co_*`` values (``co_flags`` says coroutine
    function; 3.11+ also ``*args, **kwargs``). Copied from one AsyncMock made
    the first time, without spec'ing each copy on CodeType again (which reads
    the class's text signature): as 3.12+ does itself.
    """
    global _code_mock_model
    from unittest import mock as _um

    model = _code_mock_model
    if model is None:
        model = _code_mock_model = _um.AsyncMock().__dict__["__code__"]
    code = _um.NonCallableMock(spec_set=list(model._mock_methods))
    found = code.__dict__
    found["_spec_class"] = model._spec_class
    found["_spec_signature"] = model._spec_signature
    for name, value in model.__dict__.items():
        if name.startswith("co_"):
            found[name] = value
    return code


def child_mock_class(mock: Any, name: Optional[str]) -> Optional[type]:
    """The class ``mock._get_child_mock(_new_name=name, ...)`` would instantiate, or None.

    unittest.mock's choice (``NonCallableMock._get_child_mock``, same rules on
    3.9-3.13): AsyncMock for a coroutine function of the spec
    (``_spec_asyncs``) and for an async magic method of a MagicMock; on an
    AsyncMock, MagicMock for a sync magic method or an attribute of its spec,
    else AsyncMock; the callable variant of a non-callable mock; else the
    class of the mock (``type(mock).__mro__[1]``). None when the mock is
    sealed: unittest.mock then raises its AttributeError (3.9 checks the
    spec's coroutine functions first).
    """
    from unittest import mock as _um

    found = mock.__dict__
    if not PY310 and name in found["_spec_asyncs"]:
        return _um.AsyncMock
    if found["_mock_sealed"]:
        return None
    if name in found["_spec_asyncs"]:
        return _um.AsyncMock
    kind = type(mock)
    if issubclass(kind, _um.MagicMock) and name in _um._async_method_magics:  # type: ignore[attr-defined]
        return _um.AsyncMock
    if issubclass(kind, _um.AsyncMockMixin):
        methods = found["_mock_methods"]
        if name in _um._all_sync_magics or (methods and name in methods):  # type: ignore[attr-defined]
            return _um.MagicMock
        return _um.AsyncMock
    if not issubclass(kind, _um.CallableMixin):
        if issubclass(kind, _um.NonCallableMagicMock):
            return _um.MagicMock
        return _um.Mock
    return kind.__mro__[1]


def autospec_coroutine_function(mock: Any, spec: Any) -> Any:
    """What ``create_autospec(spec)`` returns for a coroutine function, around ``mock``.

    ``mock`` is the AsyncMock it made with ``spec=spec`` (or ``spec_set``):
    a function checking the call against the signature of ``spec`` and
    calling the mock, carrying the mock's ``called``, ``return_value``... and
    ``await_count``, ``assert_awaited``... (``_set_signature`` then
    ``_setup_async_mock`` on 3.9-3.12; ``_set_async_signature``, which makes
    an ``async def``, on 3.13).
    """
    from unittest import mock as _um

    if PY313:
        return _um._set_async_signature(mock, spec)  # type: ignore[attr-defined]
    function = _um._set_signature(mock, spec)  # type: ignore[attr-defined]
    _um._setup_async_mock(function)  # type: ignore[attr-defined]
    return function


def add_no_spec(mock: Any, spec_set: Any) -> None:
    """``mock._mock_add_spec(None, spec_set)``: record that ``mock`` has no spec.

    What ``NonCallableMock._mock_add_spec`` stores for ``spec=None`` (3.9-3.13:
    ``_spec_class``, ``_spec_set``, ``_spec_signature``, ``_mock_methods``,
    ``_spec_asyncs``), without looking for coroutine functions among the
    attributes of None, as it does on 3.9-3.11 for every mock made.
    """
    found = mock.__dict__
    found["_spec_class"] = None
    found["_spec_set"] = spec_set
    found["_spec_signature"] = None
    found["_mock_methods"] = None
    found["_spec_asyncs"] = []


_all_magics_set: Optional[frozenset[str]] = None


def _configured_magics() -> frozenset[str]:
    # The magic methods a MagicMock configures (``_magics | _async_method_magics``).
    global _all_magics_set
    if _all_magics_set is None:
        from unittest import mock as _um

        _all_magics_set = frozenset(_um._magics | _um._async_method_magics)  # type: ignore[attr-defined]
    return _all_magics_set


def set_magics(mock: Any) -> None:
    """``MagicMixin._mock_set_magics``: give ``mock``'s class the magic methods it lacks.

    Each is a ``MagicProxy`` (which makes the child mock when first used) set
    on the mock's own class; with a spec (``_mock_methods``), only those the
    spec has, the others being removed. Same result as unittest.mock's
    (3.9-3.13), which runs two to four times per MagicMock made and builds its
    sets anew each time.
    """
    from unittest import mock as _um

    every = _configured_magics()
    kind = type(mock)
    own = kind.__dict__
    methods = mock.__dict__.get("_mock_methods")
    if methods is not None:
        wanted = every.intersection(methods)
        for name in every.difference(wanted):
            if name in own:
                delattr(mock, name)
        missing = wanted.difference(own)
    else:
        missing = every.difference(own)
    proxy = _um.MagicProxy  # type: ignore[attr-defined]
    for name in missing:
        setattr(kind, name, proxy(name, mock))


_shared_proxies: Optional[dict[str, Any]] = None

#: Where the class of a mock made by :func:`new_mock_with_magics` keeps its mock.
_OWNER = "_asynctest_mock"


def _magic_proxies() -> dict[str, Any]:
    # One proxy per magic method, shared by the classes of every such mock.
    global _shared_proxies
    if _shared_proxies is None:
        from unittest import mock as _um

        class SharedMagicProxy(_um.MagicProxy):  # type: ignore[misc, name-defined]
            """A ``MagicProxy`` for any mock: its parent is the mock it is read from."""

            parent = None

            def __init__(self, name: str) -> None:
                self.name = name

            def __get__(self, obj: Any, kind: Any = None) -> Any:
                if obj is None:  # read off the class: ``type(mock).__enter__``
                    obj = getattr(kind, _OWNER)
                # What unittest.mock's own proxy of this mock would do.
                return _um.MagicProxy(self.name, obj).create_mock()  # type: ignore[attr-defined]

        _shared_proxies = {name: SharedMagicProxy(name) for name in sorted(_configured_magics())}
    return _shared_proxies


def new_mock_with_magics(cls: type) -> Any:
    """``NonCallableMock.__new__(cls)`` for an AsyncMock subclass, magic methods included.

    A new instance of a class of its own, based on ``cls`` (AsyncMock
    subclasses never get another base), whose namespace holds from the start
    a proxy for each magic method that :func:`set_magics` would set: proxies
    shared by all such classes, which make the child mock of the mock they
    are read from, as unittest.mock's ``MagicProxy`` (one per method and
    mock) makes it for its parent. Making and filling a class in one step
    costs a fraction of eighty proxies set on it one by one.
    """
    kind = type(cls.__name__, (cls,), {"__doc__": cls.__doc__, **_magic_proxies()})
    instance: Any = object.__new__(kind)
    setattr(kind, _OWNER, instance)
    return instance


# -- A closed loop's selector and wake-up socket pair, kept for the next loop -----------
# Checked on 3.9-3.13 (BaseSelectorEventLoop is the same in all five):
# ``__init__`` stores the selector as ``_selector`` then calls ``_make_self_pipe()``,
# which sets ``_ssock``/``_csock`` (a non-blocking socket pair), increments
# ``_internal_fds`` and registers ``_ssock`` for reading with ``_add_reader``.
# ``close()`` calls ``_close_self_pipe()`` first (``_remove_reader``, both sockets
# closed and set to None, ``_internal_fds`` decremented), then BaseEventLoop's
# close, then closes ``_selector`` unless it is None. ``_write_to_self`` returns
# when ``_csock`` is None; ``call_soon_threadsafe`` refuses a closed loop first.
# ``_add_reader`` on a registered fd keeps its registration and replaces its data,
# a ``(reader, writer)`` pair. UnixSelectorEventLoop keeps ``_signal_handlers``
# (its wake-up fd is ``_csock`` while a handler is set).
#
# Making the pair and the epoll selector and closing them costs a loop about
# two thirds of what making and closing it costs: the engine makes one loop
# per test, so a closed loop's pair and selector, left with nothing else
# registered, serve the next loop of this process.

import atexit as _atexit  # noqa: E402
import os as _os  # noqa: E402
import socket as _socket  # noqa: E402

_Spare = tuple[selectors.BaseSelector, _socket.socket, _socket.socket]
_spares: list[_Spare] = []
_SPARES_KEPT = 2


def _close_spares() -> None:
    while _spares:
        selector, ssock, csock = _spares.pop()
        selector.close()
        ssock.close()
        csock.close()


# Closed at exit (an unclosed socket would warn), and in a forked child, which
# must not share its parent's epoll instance.
_atexit.register(_close_spares)
if hasattr(_os, "register_at_fork"):
    _os.register_at_fork(after_in_child=_close_spares)


def _new_selector_loop(spare: Optional[_Spare]) -> asyncio.AbstractEventLoop:
    if spare is None:
        real = selectors.DefaultSelector()
        try:
            return asyncio.SelectorEventLoop(real)
        except BaseException:
            real.close()
            raise
    selector, ssock, csock = spare
    loop: Any = asyncio.SelectorEventLoop.__new__(asyncio.SelectorEventLoop)

    def adopt_pair() -> None:
        # What _make_self_pipe() does with a new pair; the registration stays,
        # its data becomes this loop's reader (_add_reader() would do the same
        # through get_key() and modify(), which copy the key twice).
        loop._ssock, loop._csock = ssock, csock
        loop._internal_fds += 1
        fd = ssock.fileno()
        reader = asyncio.Handle(loop._read_from_self, (), loop, None)
        selector._fd_to_key[fd] = selectors.SelectorKey(  # type: ignore[attr-defined]
            fd, fd, selectors.EVENT_READ, (reader, None)
        )

    loop._make_self_pipe = adopt_pair
    try:
        asyncio.SelectorEventLoop.__init__(loop, selector)
    except BaseException:
        for resource in spare:
            resource.close()
        raise
    finally:
        del loop._make_self_pipe
    return loop  # type: ignore[no-any-return]


def _take_spare() -> Optional[_Spare]:
    try:
        return _spares.pop()
    except IndexError:
        return None


def close_selector_loop(loop: asyncio.AbstractEventLoop, selector: Any) -> None:
    """Close the selector loop ``loop``, which polls ``selector`` (its real one) from now.

    When the loop came from :func:`open_selector_loop` and only its wake-up
    socket is still registered (no leftover reader or writer, no signal
    handler), the socket pair and the selector are kept, emptied, for the next
    loop; otherwise they are closed with the loop, as ``loop.close()`` does.
    """
    keep: Any = loop
    ssock, csock = getattr(keep, "_ssock", None), getattr(keep, "_csock", None)
    keep._selector = selector
    key = None
    if (
        type(loop) is asyncio.SelectorEventLoop
        and type(selector) is selectors.DefaultSelector
        and len(_spares) < _SPARES_KEPT
        and ssock is not None and csock is not None
        and not getattr(keep, "_signal_handlers", None)
        and not loop.is_running() and not loop.is_closed()
    ):
        registered = selector.get_map()
        if len(registered) == 1:
            key = registered.get(ssock.fileno())
    if key is None or key.data[1] is not None:  # something else is left: close it all
        loop.close()
        return
    fd = key.fd

    def forget_pair() -> None:
        # What _close_self_pipe() does, but the pair and the selector stay open
        # (registered, with no reader: the next loop sets its own).
        selector._fd_to_key[fd] = selectors.SelectorKey(  # type: ignore[attr-defined]
            key.fileobj, fd, key.events, (None, None)
        )
        reader = key.data[0]
        if reader is not None:
            reader.cancel()
        keep._ssock = keep._csock = None
        keep._internal_fds -= 1
        keep._selector = None  # close() then leaves it open

    keep._close_self_pipe = forget_pair
    try:
        loop.close()
    finally:
        del keep._close_self_pipe
    if keep._selector is None:  # (else close() did not reach forget_pair())
        # A wake-up written after the loop's last select() is read by the next
        # loop, as this one would have read it.
        _spares.append((selector, ssock, csock))  # type: ignore[arg-type]
