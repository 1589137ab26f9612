"""One test's event loop: create it, run the test's phases in one context, tear it down.

A :class:`Session` is to a test what ``asyncio.Runner`` is to a program: it owns
the loop's whole life and nothing else. The front-end decides *what* to run;
the session decides *how*: every phase (setUp, the test, tearDown, a cleanup)
goes through :meth:`Session.call`, in one ``contextvars.Context`` shared by all
of them, so context variables set in setUp are seen by the test.

A phase that is a coroutine runs as one task. With a timeout or deadlock
detection it runs under a :class:`~asynctest._engine.guard.Watch` (real-time
alarm, the TestSelector's ``on_block`` hook); without, straight through
``run_until_complete``. The end of the test (:meth:`Session.finish`) is
bounded too: see :mod:`asynctest._engine.shutdown`. The loop's clock may be
replaced by :class:`~asynctest._engine.clock.VirtualClock`.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import sys
import threading
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from types import CoroutineType
from typing import Any, Optional, TypeVar

from .. import _compat
from .._io.selector import TestSelector, install_test_selector
from . import shutdown
from .clock import VirtualClock
from .errors import LeftoverError, LeftoverWarning
from .guard import Stuck, Watch, run_bounded, stuck_check

T = TypeVar("T")

# Tells unittest to leave this module's frames out of failure tracebacks.
__unittest = True

LoopFactory = Callable[[], asyncio.AbstractEventLoop]

# How long close() waits for a loop left running in another thread to stop.
_STOP_GRACE_SECONDS = 1.0
#: How long, in real seconds, the end of a test waits for what it left
#: (cancelled tasks, async generators, executor threads) before abandoning it.
DEFAULT_SHUTDOWN_TIMEOUT = 1.0
# At most this many loop turns to let ready callbacks run (settle()).
_SETTLE_TURNS = 50


class ShutdownError(Exception):
    """Leftover tasks of a test failed while they were cancelled at its end."""


class Session:
    """The event loop of one test, from creation to closing.

    ``open()`` creates the loop (with ``loop_factory``, or reuses the current
    loop when ``use_default_loop``), makes it the current loop and installs the
    TestSelector and the virtual clock when asked. ``call()`` runs a phase.
    ``finish()`` cancels and awaits leftover tasks, closes async generators and
    shuts the default executor down; ``close()`` finishes if needed, closes the
    loop and restores asyncio's global state as ``open()`` found it (asyncio's
    default policy, if setting the loop as current made it, stays when the loop
    came from asyncio's default: see ``_compat.restore_global_state``).

    A session is made for every test: its code is kept short on purpose (one
    call per step on the common path).
    """

    __slots__ = (
        "_loop_factory", "_debug", "_use_default_loop", "_want_selector", "_want_clock",
        "_loop", "_saved", "_finished", "context", "selector", "clock",
        "_deadlock", "_timeout", "_grace", "_watched", "test_name", "_stuck_selector",
        "_autojump",
    )

    def __init__(
        self,
        # Positional too: the front-end makes a session per test, and keyword
        # arguments cost more to pass.
        loop_factory: Optional[LoopFactory] = None,
        debug: Optional[bool] = None,
        use_default_loop: bool = False,
        test_selector: bool = True,
        virtual_clock: bool = False,
        deadlock: bool = False,
        timeout: Optional[float] = None,
        shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT,
        autojump: Optional[float] = None,
    ) -> None:
        self._loop_factory = loop_factory
        self._debug = debug
        self._use_default_loop = use_default_loop
        self._want_selector = test_selector
        self._want_clock = virtual_clock
        # Autojump threshold of the virtual clock (real seconds; None: manual).
        self._autojump = autojump
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._saved: Optional[_compat.GlobalState] = None
        self._finished = False
        self.context = contextvars.copy_context()
        #: The TestSelector the loop polls (None for other loops).
        self.selector: Any = None
        #: The virtual clock (``virtual_clock=True`` only).
        self.clock: Optional[VirtualClock] = None
        self._deadlock = deadlock
        self._timeout = timeout
        self._grace = shutdown_timeout
        # Phases with a timeout run under a guard.Watch.
        self._watched = timeout is not None
        # Deadlock detection: the TestSelector and its hook (set in open()).
        self._stuck_selector: Any = None
        #: The test's name, for messages ("test_x timed out after 0.5 s in the test").
        self.test_name = "the test"

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The test's loop; only between ``open()`` and ``close()``."""
        if self._loop is None:
            raise RuntimeError("the session's loop is not open")
        return self._loop

    @property
    def is_open(self) -> bool:
        return self._loop is not None

    def open(self) -> asyncio.AbstractEventLoop:
        """Create the loop and make it current; see the class docstring."""
        if self._loop is not None:
            raise RuntimeError("the session is already open")
        if self._loop_factory is None and self._want_selector and not self._use_default_loop:
            # What asyncio.new_event_loop() makes, polling a TestSelector.
            opened = _compat.open_selector_loop(TestSelector)
            if opened is not None:
                self._loop, self.selector, self._saved = opened
                if self._deadlock:
                    self._stuck_selector = opened[1]
                    opened[1].owner_loop = opened[0]
                if self._debug is not None or self._want_clock:
                    try:
                        self._configure(opened[0])
                    except BaseException:
                        self._abandon()
                        raise
                return opened[0]
        self._saved = _compat.read_global_state()
        try:
            if self._use_default_loop:
                loop = _compat.current_or_new_loop()
            else:
                loop = _new_loop(self._loop_factory)
            self._loop = loop
            _compat.set_current_loop(loop)
            if self._want_selector and not self._use_default_loop:
                self.selector = install_test_selector(loop)
            if self._deadlock:
                if self.selector is not None:
                    self._stuck_selector = self.selector
                    self.selector.owner_loop = loop
                elif not self._use_default_loop:
                    _deadlock_unavailable(loop)
            self._configure(loop)
        except BaseException:
            self._abandon()
            raise
        return loop

    def _configure(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._debug is not None:
            # None keeps asyncio's own default (PYTHONASYNCIODEBUG, -X dev).
            loop.set_debug(self._debug)
        if self._want_clock:
            self.clock = VirtualClock(loop, self.selector)
            if self._autojump is not None:
                self.clock.set_autojump(self._autojump)

    def run_phase(self, func: Callable[[], Any]) -> Any:
        """``call(func)``, for a phase that takes no argument (setUp, the test...)."""
        if self._watched:
            return self._run_watched(func, (), {})
        result = self.context.run(func)
        if result is None:
            return None
        if type(result) is CoroutineType and self._loop is not None:
            # The common case of run_awaitable().
            return self._run_task(self._new_task(self._loop, result, func), func)
        return self._settle(result, func)

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one phase: ``func(*args, **kwargs)`` in the session's context.

        If it returns an awaitable (a coroutine function, or a plain function
        returning a coroutine), the awaitable runs to completion on the loop, in
        the same context, and its result is returned. With a timeout or
        deadlock detection, the phase is watched (see :mod:`.guard`).
        """
        if self._watched:
            return self._run_watched(func, args, kwargs)
        result = self.context.run(func, *args, **kwargs)
        if result is None:
            return None
        return self._settle(result, func)

    def _settle(self, result: Any, func: Any) -> Any:
        if type(result) is CoroutineType or inspect.isawaitable(result):
            return self.run_awaitable(result, func)
        if inspect.isasyncgen(result):
            raise _async_generator_error(func, result)
        return result

    def run_awaitable(self, awaitable: Awaitable[T], phase: Any = "awaitable") -> T:
        """Run ``awaitable`` to completion on the loop, in the session's context.

        ``phase`` names what runs (a string, or the function that returned it)
        in the messages of timeouts and deadlocks.
        """
        coro: Coroutine[Any, Any, T] = (
            awaitable if type(awaitable) is CoroutineType  # type: ignore[assignment]
            else _await(awaitable)
        )
        task = self._new_task(self.loop, coro, phase)  # (self.loop checks it is open)
        if self._watched:
            watch = self._watch(phase)
            watch.start()
            result: T = watch.run(task)
            return result
        return self._run_task(task, phase)

    def _new_task(
        self, loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T], phase: Any
    ) -> asyncio.Task[T]:
        # The phase's task, in the session's context; a loop the test closed is
        # named as the reason the phase could not run.
        try:
            return _compat.create_task_in_context(loop, coro, self.context)
        except RuntimeError:
            if loop.is_closed():
                raise _closed_loop_error(self, coro, phase) from None
            raise

    def _run_task(self, task: asyncio.Task[T], phase: Any) -> T:
        # A phase without a timeout: straight through run_until_complete, with
        # the deadlock detector on the TestSelector when the check is on.
        loop: Any = self._loop
        selector = self._stuck_selector
        if selector is None:
            return _run(loop, task)
        selector.on_block = stuck_check
        try:
            result: T = loop.run_until_complete(task)
            return result
        except Stuck:
            selector.on_block = None
            raise self._watch(phase).deadlocked(task) from None
        except BaseException:
            if task.done() and not task.cancelled():
                task.exception()  # (see _run)
            raise
        finally:
            selector.on_block = None

    def _watch(self, phase: Any) -> Watch:
        def names() -> tuple[str, str]:
            return self.test_name, _phase_name(self, phase)

        return Watch(self.loop, self._timeout, self._grace, names, self._stuck_selector)

    def _run_watched(self, func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
        watch = self._watch(func)
        watch.start()
        try:
            result = self.context.run(func, *args, **kwargs)
        except BaseException as exc:
            watch.end_watch()
            if watch.expired:
                raise watch.end_sync_error() from exc
            raise
        if result is None or not (type(result) is CoroutineType or inspect.isawaitable(result)):
            watch.end_sync()
            if inspect.isasyncgen(result):
                raise _async_generator_error(func, result)
            return result
        coro = result if type(result) is CoroutineType else _await(result)
        try:
            task = self._new_task(self.loop, coro, func)
        except BaseException:
            watch.end_watch()
            raise
        return watch.run(task)

    def settle(self) -> None:
        """Give the callbacks ready now (and those they make ready) their turn.

        Run before the checks judge what the test left and before leftover
        tasks are cancelled: asyncio's own callbacks queued while the test
        closed things (a finished handler's done-callback, the first step of
        an async generator's ``aclose()``) are not the test's leftovers. At
        most a few dozen turns and ``shutdown_timeout`` real seconds; the
        TestSelector's turn count (``unused_loop``) does not include them.
        """
        loop = self._loop
        if loop is None or self._use_default_loop or not _compat.ready_handles(loop):
            return
        if loop.is_closed() or loop.is_running():
            return
        selector = self.selector
        count = getattr(selector, "select_count", None)
        try:
            run_bounded(loop, _run_ready(loop), self._grace, selector)
        finally:
            if count is not None:
                selector.select_count = count

    def finish(self, tasks_fail: bool = False, threads_fail: bool = False) -> None:
        """Cancel leftover tasks, close async generators, shut the executor down.

        Every wait is bounded by ``shutdown_timeout`` real seconds (and cut
        short when nothing can wake the loop): a leftover task that does not
        stop when cancelled, or a default-executor thread that stays busy, is
        abandoned and reported, as a :class:`LeftoverError` when
        ``tasks_fail`` / ``threads_fail`` (the checks ``pending_tasks`` and
        ``leaked_threads``) else as one :class:`LeftoverWarning`. Raises
        :class:`ShutdownError` if leftover tasks raised something other than
        ``CancelledError`` while being cancelled. Runs once; later calls do
        nothing. Does nothing for ``use_default_loop`` (0.13 left it alone).
        """
        loop = self._loop
        if self._finished or loop is None:
            return
        self._finished = True
        leftovers = _compat.leftovers(loop)
        if leftovers is None and not _compat.ready_handles(loop):
            return  # the common case: nothing to run, no loop turn to pay for
        if self._use_default_loop or loop.is_closed() or loop.is_running():
            return
        self.settle()
        found = shutdown.shut_down(loop, self.selector, self._grace)
        errors: list[BaseException] = []
        if found.failures:
            lines = "\n".join(f"  {task!r}: {exc!r}" for task, exc in found.failures)
            error = ShutdownError(
                f"{len(found.failures)} leftover task(s) raised while cancelled at the end of "
                f"the test:\n{lines}"
            )
            error.__cause__ = found.failures[0][1]
            errors.append(error)
        failing: list[str] = []
        warning: list[str] = []
        if found.stuck_tasks:
            (failing if tasks_fail else warning).append(found.tasks_message(self.test_name))
        if found.busy_threads:
            (failing if threads_fail else warning).append(found.threads_message(self.test_name))
        if warning:
            # One warning, attributed to where the first leftover was made
            # (the test has ended: no frame of it is running).
            filename, lineno = found.origin()
            warnings.warn_explicit("\n\n".join(warning), LeftoverWarning, filename, lineno)
        if failing:
            errors.insert(0, LeftoverError("\n\n".join(failing)))
        if errors:
            raise errors[0] if len(errors) == 1 else _combine(errors)

    def close(self) -> None:
        """Finish if needed, close the loop, restore asyncio's global state."""
        loop = self._loop
        if loop is None:
            return
        try:
            if not self._finished:
                try:
                    self.finish()
                except ShutdownError as exc:
                    # Reached only when the front-end could not report it (a
                    # phase raised past it, as debug() does): keep it visible.
                    loop.call_exception_handler({"message": str(exc), "exception": exc})
        finally:
            self._abandon()

    def _abandon(self) -> None:
        loop = self._loop
        self._loop = None
        try:
            if loop is not None:
                if self.clock is not None:
                    self.clock.uninstall()
                if self._use_default_loop:
                    pass  # not ours to close (0.13)
                elif loop.is_closed() or loop.is_running():
                    _close_loop(loop)  # closed by the test, or running in another thread
                else:
                    selector = self.selector
                    if selector is not None and selector.wrapped is not None:
                        # Closed through the real selector, as it was opened;
                        # file mocks still registered are forgotten.
                        _compat.close_selector_loop(loop, selector.detach())
                    else:
                        loop.close()
        finally:
            if self._saved is not None:
                # A test whose loop came from asyncio's default keeps the
                # default policy (it cannot be told from none, and is dear to
                # remake); with a loop_factory, no policy is left behind (as
                # IsolatedAsyncioTestCase with loop_factory on 3.13).
                _compat.restore_global_state(self._saved, keep_default=self._loop_factory is None)


def _new_loop(factory: Optional[LoopFactory]) -> asyncio.AbstractEventLoop:
    loop = factory() if factory is not None else asyncio.new_event_loop()
    if not isinstance(loop, asyncio.AbstractEventLoop):
        close = getattr(loop, "close", None)
        if callable(close):
            close()
        raise TypeError(
            f"loop_factory {factory!r} returned {loop!r}, which is not an asyncio event "
            f"loop; it must return a new asyncio.AbstractEventLoop, e.g. "
            f"asyncio.new_event_loop or uvloop.new_event_loop"
        )
    if loop.is_closed() or loop.is_running():
        state = "closed" if loop.is_closed() else "running"
        raise TypeError(
            f"loop_factory {factory!r} returned a {state} loop {loop!r}; it must return a "
            f"new loop that is neither running nor closed"
        )
    return loop


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    if loop.is_closed():
        return  # the test closed it itself
    if loop.is_running():
        # Left running in another thread: ask it to stop, wait a little.
        loop.call_soon_threadsafe(loop.stop)
        stopped = threading.Event()
        deadline = _STOP_GRACE_SECONDS
        while loop.is_running() and deadline > 0:
            stopped.wait(0.01)
            deadline -= 0.01
        if loop.is_running():
            return  # cannot close a running loop; the next test gets a new one
    loop.close()


def _run(loop: asyncio.AbstractEventLoop, task: asyncio.Task[T]) -> T:
    try:
        return loop.run_until_complete(task)
    except BaseException:
        # SystemExit and KeyboardInterrupt leave the loop with the task done:
        # its exception is retrieved here, not logged as never retrieved.
        if task.done() and not task.cancelled():
            task.exception()
        raise


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


_said_unavailable: set[type] = set()


def _deadlock_unavailable(loop: asyncio.AbstractEventLoop) -> None:
    # Said once per kind of loop and process, on stderr: it is about the
    # environment, not a test (a warning would fail one test under -W error).
    kind = type(loop)
    if kind not in _said_unavailable:
        _said_unavailable.add(kind)
        sys.stderr.write(
            f"asynctest: note: deadlock detection is not available on "
            f"{kind.__module__}.{kind.__qualname__} loops (it needs an asyncio selector "
            f"loop); it is off for their tests\n"
        )


async def _run_ready(loop: asyncio.AbstractEventLoop) -> None:
    # Turns of the loop while callbacks are ready; each sleep(0) lets every
    # callback queued before it run once.
    for _ in range(_SETTLE_TURNS):
        if not _compat.ready_handles(loop):
            return
        await asyncio.sleep(0)


def _phase_name(session: Session, phase: Any) -> str:
    """How messages name a phase: "the test", "setUp", "the cleanup close()"..."""
    if isinstance(phase, str):
        return phase
    name = getattr(phase, "__name__", None) or repr(phase)
    if name == session.test_name:
        return "the test"
    if name in ("setUp", "asyncSetUp", "tearDown", "asyncTearDown"):
        return name
    return f"the cleanup {getattr(phase, '__qualname__', name)}()"


def _combine(errors: list[BaseException]) -> BaseException:
    combined = LeftoverError("\n\n".join(str(error) for error in errors))
    combined.__cause__ = errors[-1].__cause__ or errors[-1]
    return combined


def _async_generator_error(func: Any, gen: Any) -> TypeError:
    # Calling an async generator function runs none of its body: without this
    # error such a test would pass (3.11+ only warns that it returned a value).
    name = getattr(func, "__qualname__", None) or getattr(gen, "__qualname__", None) or repr(func)
    code = getattr(gen, "ag_code", None)
    if code is not None:
        name += f" ({code.co_filename}:{code.co_firstlineno})"
    return TypeError(
        f"{name} is an async generator function (its body contains 'yield'), so "
        f"calling it ran none of its code; remove the 'yield' (a test, setUp, "
        f"tearDown or cleanup must be a coroutine function: 'async def' without "
        f"'yield'), or iterate the generator from one ('async for ... in gen()')"
    )


def _closed_loop_error(session: Session, coro: Any, phase: Any) -> RuntimeError:
    # The session closes the loop only after the last phase: the test closed it.
    coro.close()  # no "coroutine ... was never awaited" on top of this error
    name = _phase_name(session, phase)
    code = getattr(coro, "cr_code", None)
    if code is not None and code is not _await.__code__:
        name += f" ({code.co_filename}:{code.co_firstlineno})"
    return RuntimeError(
        f"{name} could not run: the test's event loop was closed before it (by "
        f"self.loop.close() in the test?); leave closing the loop to asynctest, "
        f"which closes it after the cleanups"
    )
