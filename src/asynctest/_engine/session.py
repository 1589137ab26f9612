"""One test's event loop: create it, run the test's phases in one context, tear it down.

A :class:`Session` is to a test what ``asyncio.Runner`` is to a program: it owns
the loop's whole life and nothing else. The front-end decides *what* to run;
the session decides *how*: every phase (setUp, the test, tearDown, a cleanup)
goes through :meth:`Session.call`, in one ``contextvars.Context`` shared by all
of them, so context variables set in setUp are seen by the test.

Seams for later features:
- a phase that is a coroutine runs as one task through :meth:`_run_task`, the
  single place where the engine waits on the loop (per-phase timeouts wrap it);
- the loop's wait for I/O is observable through the TestSelector installed on
  selector loops (``Session.selector``), whose ``on_select`` hook sees every
  ``select(timeout)`` before the loop blocks (deadlock detection);
- the loop's clock is substituted by :class:`~asynctest._engine.clock.VirtualClock`.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading
from collections.abc import Awaitable, Callable, Coroutine
from types import CoroutineType
from typing import Any, Optional, TypeVar

from .. import _compat
from .._io.selector import TestSelector, install_test_selector
from .clock import VirtualClock

T = TypeVar("T")

# Tells unittest to leave this module's frames out of failure tracebacks.
__unittest = True

LoopFactory = Callable[[], asyncio.AbstractEventLoop]

# How long close() waits for a loop left running in another thread to stop.
_STOP_GRACE_SECONDS = 1.0


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
    ) -> None:
        self._loop_factory = loop_factory
        self._debug = debug
        self._use_default_loop = use_default_loop
        self._want_selector = test_selector
        self._want_clock = virtual_clock
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._saved: Optional[_compat.GlobalState] = None
        self._finished = False
        self.context = contextvars.copy_context()
        #: The TestSelector the loop polls (None for other loops).
        self.selector: Any = None
        #: The virtual clock (``virtual_clock=True`` only).
        self.clock: Optional[VirtualClock] = None

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
            self.clock = VirtualClock(loop)

    def run_phase(self, func: Callable[[], Any]) -> Any:
        """``call(func)``, for a phase that takes no argument (setUp, the test...)."""
        result = self.context.run(func)
        if result is None:
            return None
        if type(result) is CoroutineType and self._loop is not None:
            # The common case of run_awaitable().
            try:
                task = _compat.create_task_in_context(self._loop, result, self.context)
            except RuntimeError:
                if self._loop.is_closed():
                    raise _closed_loop_error(result, func) from None
                raise
            return self._run_task(task, func)
        return self._settle(result, func)

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one phase: ``func(*args, **kwargs)`` in the session's context.

        If it returns an awaitable (a coroutine function, or a plain function
        returning a coroutine), the awaitable runs to completion on the loop, in
        the same context, and its result is returned.
        """
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
        for the watchdogs of later features.
        """
        coro: Coroutine[Any, Any, T] = (
            awaitable if type(awaitable) is CoroutineType  # type: ignore[assignment]
            else _await(awaitable)
        )
        loop = self.loop  # checks it is open
        try:
            task = _compat.create_task_in_context(loop, coro, self.context)
        except RuntimeError:
            if loop.is_closed():
                raise _closed_loop_error(coro, phase) from None
            raise
        return self._run_task(task, phase)

    def _run_task(self, task: asyncio.Task[T], phase: Any) -> T:
        # The one place where the engine waits on the loop.
        result: T = self._loop.run_until_complete(task)  # type: ignore[union-attr]
        return result

    def finish(self) -> None:
        """Cancel leftover tasks, close async generators, shut the executor down.

        Raises :class:`ShutdownError` if leftover tasks raised something other
        than ``CancelledError`` while being cancelled. Runs once; later calls
        do nothing. Does nothing for ``use_default_loop`` (0.13 left it alone).
        """
        loop = self._loop
        if self._finished or loop is None:
            return
        self._finished = True
        leftovers = _compat.leftovers(loop)
        if leftovers is None:
            return  # the common case: nothing to run, no loop turn to pay for
        if self._use_default_loop or loop.is_closed() or loop.is_running():
            return
        failures = loop.run_until_complete(_shut_down(loop, leftovers))
        if failures:
            lines = "\n".join(f"  {task!r}: {exc!r}" for task, exc in failures)
            raise ShutdownError(
                f"{len(failures)} leftover task(s) raised while cancelled at the end of "
                f"the test:\n{lines}"
            ) from failures[0][1]

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
                        _compat.set_loop_selector(loop, selector.detach())
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


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


async def _shut_down(
    loop: asyncio.AbstractEventLoop, leftovers: list[asyncio.Task[Any]]
) -> list[tuple[asyncio.Task[Any], BaseException]]:
    for task in leftovers:
        task.cancel()
    failures: list[tuple[asyncio.Task[Any], BaseException]] = []
    if leftovers:
        outcomes = await asyncio.gather(*leftovers, return_exceptions=True)
        for task, outcome in zip(leftovers, outcomes):
            if isinstance(outcome, BaseException) and not isinstance(
                outcome, asyncio.CancelledError
            ):
                failures.append((task, outcome))
    await loop.shutdown_asyncgens()
    if _compat.has_default_executor(loop):
        await _compat.shutdown_default_executor(loop)
    return failures


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


def _closed_loop_error(coro: Any, phase: Any) -> RuntimeError:
    # The session closes the loop only after the last phase: the test closed it.
    coro.close()  # no "coroutine ... was never awaited" on top of this error
    name = phase if isinstance(phase, str) else getattr(phase, "__qualname__", None) or repr(phase)
    code = getattr(coro, "cr_code", None)
    if code is not None and code is not _await.__code__:
        name += f" ({code.co_filename}:{code.co_firstlineno})"
    return RuntimeError(
        f"{name} could not run: the test's event loop was closed before it (by "
        f"self.loop.close() in the test?); leave closing the loop to asynctest, "
        f"which closes it after the cleanups"
    )
