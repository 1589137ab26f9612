"""``TestCase`` and ``FunctionTestCase``: unittest test cases whose phases run on an event loop.

Like ``unittest.IsolatedAsyncioTestCase``, these override only the small hooks
``_callSetUp``, ``_callTestMethod``, ``_callTearDown`` and ``_callCleanup``
(the same names on Python 3.9-3.13) and wrap ``run``/``debug`` to open and
close the loop; everything about the loop itself is the engine's job.
"""

from __future__ import annotations

import asyncio
import inspect
import unittest
import warnings
from collections.abc import Awaitable
from typing import Any, AsyncContextManager, Callable, ClassVar, NamedTuple, Optional, TypeVar

from .. import _compat, _config
from .._engine import checks, globalstate
from .._engine.session import DEFAULT_SHUTDOWN_TIMEOUT, Session
from . import decorators, failures
from .base import TestCaseBase, method_or_flag
from .legacy import Legacy

T = TypeVar("T")

# Tells unittest to leave this module's frames out of failure tracebacks.
__unittest = True


class TestCase(Legacy, TestCaseBase):
    """A test case with a new event loop per test, available as ``self.loop``.

    Test methods, ``setUp``, ``tearDown`` and cleanups may be coroutine
    functions (or plain functions returning a coroutine); all run on the
    test's loop, in one ``contextvars.Context``. The order is the one of
    ``unittest.IsolatedAsyncioTestCase``: setUp, asyncSetUp, the test,
    asyncTearDown, tearDown, then cleanups last in, first out. After the
    cleanups the enabled checks run (see ``fail_on``), leftover tasks are
    cancelled and awaited, async generators closed, the default executor shut
    down, the loop closed and asyncio's global state restored.

    Class attributes:

    - ``loop_factory``: a callable returning a new loop (default: the run's
      ``--loop``, else ``asyncio.new_event_loop``).
    - ``debug = True``: run the loop in asyncio debug mode (``debug()``, the
      unittest method running a test without a result, stays available).
    - ``use_default_loop = True``: use the current loop instead; it is not closed.
    - ``forbid_get_event_loop = True``: ``asyncio.get_event_loop()`` called
      outside a coroutine or callback fails the test.
    - ``timeout``: real seconds each phase (setUp, asyncSetUp, the test,
      asyncTearDown, tearDown, each cleanup) may take; the phase that runs
      past it is cancelled and fails with where every task was waiting
      (default None: the run's ``--timeout``, else no limit; see
      ``asynctest.timeout``).
    - ``shutdown_timeout``: real seconds the end of the test waits for what
      the test left (cancelled tasks, async generators, executor threads)
      before abandoning and reporting it (default 1.0).
    """

    loop: asyncio.AbstractEventLoop
    loop_factory: ClassVar[Optional[Callable[[], asyncio.AbstractEventLoop]]] = None
    use_default_loop: ClassVar[bool] = False
    forbid_get_event_loop: ClassVar[bool] = False
    timeout: ClassVar[Optional[float]] = None
    shutdown_timeout: ClassVar[float] = DEFAULT_SHUTDOWN_TIMEOUT

    _asynctest_loop_debug: ClassVar[Optional[bool]] = None
    _asynctest_virtual_clock: ClassVar[bool] = False
    _asynctest_run: Optional[_Run] = None
    _asynctest_plan: ClassVar[Optional[_Plan]] = None
    _asynctest_close_after_cleanups = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        flag = cls.__dict__.get("debug")
        if flag is not None and not callable(flag):
            if not isinstance(flag, bool):
                raise TypeError(
                    f"{cls.__qualname__}.debug = {flag!r}: set it to True or False "
                    f"(asyncio debug mode for the test's loop)"
                )
            # `debug` is also unittest's method running a test without a result:
            # take the flag and give the method back.
            cls._asynctest_loop_debug = flag
            cls.debug = TestCase.debug  # type: ignore[method-assign]

    # -- the hooks unittest.TestCase.run() and debug() call ------------------------

    def _callSetUp(self) -> None:
        cls = type(self)
        plan = cls._asynctest_plan
        if plan is None or plan.owner is not cls:
            plan = _plan(cls)  # first test of the class (a subclass inherits its base's)
        defaults = _config._current or _config.current()
        debug = self._asynctest_loop_debug
        # Which checks are on depends on the class (its plan), the method's own
        # decorators, the run's strictness and the decorators applied so far:
        # cached on the plan, so that undecorated tests of a class share one entry.
        name, method = self._asynctest_test_method()
        strict = defaults.strict
        key = (getattr(method, decorators.SETTINGS_ATTR, None), strict, decorators.generation)
        on = plan.checks.get(key)
        if on is None:
            on = plan.checks[key] = _resolve(cls, method, strict)
        timeout = getattr(method, decorators.TIMEOUT_ATTR, _UNSET)
        if timeout is _UNSET:
            timeout = cls.timeout
            if timeout is None:
                timeout = defaults.timeout
            else:
                timeout = _config.check_seconds(timeout, f"{cls.__qualname__}.timeout")
        grace = cls.shutdown_timeout
        if grace is not DEFAULT_SHUTDOWN_TIMEOUT:
            grace = _config.check_seconds(
                grace, f"{cls.__qualname__}.shutdown_timeout", allow_zero=True
            )
        jump = None
        if self._asynctest_virtual_clock:
            jump = self._asynctest_autojump(method, defaults)
        elif getattr(method, decorators.AUTOJUMP_ATTR, _UNSET) is not _UNSET:
            raise TypeError(
                f"{name} is decorated with @autojump but {cls.__qualname__} has no virtual "
                f"clock: make it a ClockedTestCase"
            )
        session = Session(
            plan.loop_factory or (
                defaults.loop_factory and self._asynctest_run_wide_loop(defaults.loop_factory)
            ),
            # An explicit `debug = False` turns debug mode off even under -X dev;
            # without it (and without --debug) asyncio's own default stays.
            (True if defaults.debug else None) if debug is None else debug,
            self.use_default_loop,
            True,  # test_selector
            self._asynctest_virtual_clock,
            on.deadlock,
            timeout,
            grace,
            jump,
        )
        session.test_name = name
        run = self._asynctest_run = _Run(session, plan, strict, on)
        self.loop = session.open()
        if on.checks:
            run.started = self._asynctest_start_checks(run, on.checks, name)
        if self.forbid_get_event_loop:
            run.forbidden_calls = []
            globalstate.forbid_get_event_loop(self._asynctest_forbidden_call)
        try:
            # (Also a setUp set on the instance; read without self.__dict__,
            # which 3.13 would make for the occasion.)
            if plan.setup or getattr(self.setUp, "__func__", None) is not _UNITTEST_SET_UP:
                session.run_phase(self.setUp)
            if plan.async_setup:
                session.run_phase(self.asyncSetUp)
        except BaseException:
            run.body_over = True  # no tearDown: cleanups come next
            raise
        run.setup_done = True

    def _callTestMethod(self, method: Callable[[], Any]) -> None:
        if self._asynctest_run.session.run_phase(method) is not None:  # type: ignore[union-attr]
            warnings.warn(
                f"It is deprecated to return a value that is not None from a test case "
                f"({method})",
                DeprecationWarning,
                stacklevel=4,
            )

    def _callTearDown(self) -> None:
        run: _Run = self._asynctest_run  # type: ignore[assignment]
        run.body_over = True
        session = run.session
        plan = run.plan
        if plan.async_teardown:
            session.run_phase(self.asyncTearDown)
        if plan.teardown or getattr(self.tearDown, "__func__", None) is not _UNITTEST_TEAR_DOWN:
            session.run_phase(self.tearDown)

    def _callCleanup(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._asynctest_call(function, *args, **kwargs)

    def run(self, result: Optional[unittest.TestResult] = None) -> Optional[unittest.TestResult]:
        """Run the test (see unittest.TestCase.run); the loop is closed whatever happens."""
        try:
            return super().run(result)
        finally:
            self._asynctest_close()

    @method_or_flag
    def debug(self) -> None:
        """Run the test without a result object, raising its first error.

        As with ``unittest.IsolatedAsyncioTestCase``, when the test raises, the
        cleanups it added and that did not run yet are left to the caller: the
        loop stays open (and current) so that ``doCleanups()`` runs them on it,
        then closes it. Without such cleanups the loop is closed at once.
        """
        try:
            super().debug()
        except BaseException:
            if self._asynctest_run is not None and _compat.pending_cleanups(self):
                self._asynctest_close_after_cleanups = True
            else:
                self._asynctest_close()
            raise
        try:
            errors = self._asynctest_wrap_up()
            if errors:
                raise errors[0]
        finally:
            self._asynctest_close()

    def doCleanups(self) -> Any:
        """Run the cleanups (see unittest), then the checks and the loop's shutdown.

        Once the test's tearDown ran (or its setUp failed), the enabled checks
        run after the last cleanup and leftover tasks are cancelled; what they
        report is reported like the error of a cleanup. After a failed
        ``debug()``, the loop is closed here.
        """
        outcome = super().doCleanups()  # type: ignore[func-returns-value]
        run = self._asynctest_run
        if run is not None and run.body_over and not run.wrapped_up:
            errors = self._asynctest_wrap_up()
            if errors:
                # Reported through unittest's own machinery, as cleanups' errors.
                for error in reversed(errors):
                    self.addCleanup(_raise, error)
                outcome = super().doCleanups()  # type: ignore[func-returns-value]
        if self._asynctest_close_after_cleanups:
            self._asynctest_close_after_cleanups = False
            self._asynctest_close()
        return outcome

    # -- IsolatedAsyncioTestCase's API, on every supported Python ----------------

    async def asyncSetUp(self) -> None:
        """Called after setUp, on the test's loop."""

    async def asyncTearDown(self) -> None:
        """Called before tearDown, on the test's loop."""

    def addAsyncCleanup(self, func: Callable[..., Awaitable[Any]], /, *args: Any,
                        **kwargs: Any) -> None:
        """Add a cleanup that is awaited on the test's loop (``addCleanup`` does too)."""
        self.addCleanup(func, *args, **kwargs)

    async def enterAsyncContext(self, cm: AsyncContextManager[T]) -> T:
        """Enter an async context manager; its exit is added as a cleanup. Returns its value."""
        cls = type(cm)
        try:
            enter = cls.__aenter__  # type: ignore[attr-defined]
            exit_ = cls.__aexit__  # type: ignore[attr-defined]
        except AttributeError:
            raise TypeError(
                f"'{cls.__module__}.{cls.__qualname__}' object does not support the "
                f"asynchronous context manager protocol"
            ) from None
        value: T = await enter(cm)
        self.addAsyncCleanup(exit_, cm, None, None, None)
        return value

    # -- awaitable assertions (asynctest 0.13) ---------------------------------------

    async def assertAsyncRaises(self, exception: Any, awaitable: Awaitable[Any]) -> Any:
        """Await ``awaitable`` and fail unless it raises ``exception``; returns the context."""
        with self.assertRaises(exception) as context:
            await awaitable
        return context

    async def assertAsyncRaisesRegex(self, exception: Any, expected_regex: Any,
                                     awaitable: Awaitable[Any]) -> Any:
        """Like assertAsyncRaises, and the message must match ``expected_regex``."""
        with self.assertRaisesRegex(exception, expected_regex) as context:
            await awaitable
        return context

    async def assertAsyncWarns(self, warning: Any, awaitable: Awaitable[Any]) -> Any:
        """Await ``awaitable`` and fail unless it emits ``warning``; returns the context."""
        with self.assertWarns(warning) as context:
            await awaitable
        return context

    async def assertAsyncWarnsRegex(self, warning: Any, expected_regex: Any,
                                    awaitable: Awaitable[Any]) -> Any:
        """Like assertAsyncWarns, and the message must match ``expected_regex``."""
        with self.assertWarnsRegex(warning, expected_regex) as context:
            await awaitable
        return context

    # -- plumbing -----------------------------------------------------------------

    def _asynctest_active(self) -> Session:
        run = self._asynctest_run
        if run is None or not run.session.is_open:
            raise RuntimeError(f"{self.id()}: the test's event loop is not open")
        return run.session

    def _asynctest_call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._asynctest_active().call(function, *args, **kwargs)

    def _asynctest_run_wide_loop(self, factory: _config.LoopFactory) -> Optional[
            _config.LoopFactory]:
        # The run's loop factory (--loop, ASYNCTEST_LOOP) for a class without
        # its own; None: asyncio's default loop.
        return factory

    # The test's name for messages and the function its decorators are on.
    _asynctest_test_method = _compat.test_method

    def _asynctest_start_checks(
        self, run: _Run, on: tuple[checks.Check, ...], test_name: str
    ) -> list[tuple[checks.Check, Any]]:
        ctx = run.check_context = checks.CheckContext(run.session.loop, test_name)
        # Filled as it goes: if a `before` raises, those that ran are still torn down.
        checks.start(on, ctx, run.started)
        return run.started

    def _asynctest_wrap_up(self) -> list[BaseException]:
        """Run the checks, then cancel what the test left; return what they raised."""
        run = self._asynctest_run
        if run is None:
            return []
        session = run.session
        run.wrapped_up = True
        errors: list[BaseException] = []
        if (run.started or run.forbidden_calls is not None) and session.is_open:
            try:
                self._asynctest_run_checks(run)
            except Exception as exc:  # reported by the caller, never dropped
                errors.append(exc)
        try:
            # Does nothing once the loop is closed.
            session.finish(run.on.pending_tasks, run.on.leaked_threads)
        except Exception as exc:
            errors.append(exc)
        return errors

    def _asynctest_run_checks(self, run: _Run) -> None:
        messages = [
            f"asyncio.get_event_loop() was called outside a coroutine or callback: {where}"
            for where in run.forbidden_calls or ()
        ]
        started = run.started
        if started:
            run.started = []
            # (Checks not judged, as when setUp failed, are torn down.)
            messages += checks.judge(started, run.check_context, run.session.settle,
                                     run.on.settle_at, run.setup_done)
        if messages:
            raise failures.check_failure(self.failureException, "\n\n".join(messages))

    def _asynctest_autojump(self, method: Any, defaults: _config.Defaults) -> Optional[float]:
        # The method's @autojump, else the class's autojump_threshold, else the run's.
        threshold = getattr(method, decorators.AUTOJUMP_ATTR, _UNSET)
        if threshold is not _UNSET:
            return threshold  # type: ignore[no-any-return]
        threshold = getattr(self, "autojump_threshold", None)
        if threshold is None:
            return defaults.autojump
        return _config.check_threshold(
            threshold, f"{type(self).__qualname__}.autojump_threshold"
        )

    def _asynctest_forbidden_call(self) -> BaseException:
        where = _caller_outside_asyncio()
        run = self._asynctest_run
        if run is not None and run.forbidden_calls is not None:
            run.forbidden_calls.append(where)
        return self.failureException(
            f"asyncio.get_event_loop() was called outside a coroutine or callback "
            f"({where}) while {type(self).__name__}.forbid_get_event_loop is True; "
            f"use self.loop, or asyncio.get_running_loop() inside a coroutine"
        )

    def _asynctest_close(self) -> None:
        run, self._asynctest_run = self._asynctest_run, None
        if run is not None:
            if run.started:  # the checks never ran (debug() raised): unhook them
                started, run.started = run.started, []
                try:
                    checks.tear_down(run.check_context, started)
                finally:
                    run.session.close()
            else:
                run.session.close()
            try:
                del self.loop  # (not self.__dict__.pop(): see _callSetUp)
            except AttributeError:
                pass


_UNITTEST_SET_UP = unittest.TestCase.setUp
_UNITTEST_TEAR_DOWN = unittest.TestCase.tearDown


def _raise(error: BaseException) -> None:
    raise error


_Checks = checks.Enabled


def _resolve(cls: type, method: Any, strict: bool) -> _Checks:
    return checks.split(decorators.enabled_checks(cls, method, strict))


_UNSET: Any = object()


class _Run:
    """The state of one run of a test: its session and what the checks need."""

    __slots__ = (
        "session", "plan", "strict", "on", "started", "check_context", "forbidden_calls",
        "setup_done", "body_over", "wrapped_up",
    )

    def __init__(self, session: Session, plan: _Plan, strict: bool, on: _Checks) -> None:
        self.session = session
        self.plan = plan
        self.strict = strict
        self.on = on
        self.started: list[tuple[checks.Check, Any]] = []
        self.check_context: Any = None
        self.forbidden_calls: Optional[list[str]] = None
        self.setup_done = False  # setUp and asyncSetUp succeeded
        self.body_over = False  # tearDown started, or setUp failed
        self.wrapped_up = False  # checks ran and leftovers were cancelled


class _Plan(NamedTuple):
    """What a TestCase class runs, read once per class."""

    owner: type
    setup: bool
    async_setup: bool
    async_teardown: bool
    teardown: bool
    loop_factory: Optional[Callable[[], asyncio.AbstractEventLoop]]
    checks: dict[tuple[Optional[tuple[Any, ...]], bool, int], _Checks]


def _plan(cls: Any) -> _Plan:
    # Kept in the class's own __dict__ (not inherited). The default
    # asyncSetUp/asyncTearDown do nothing: skipping them saves two turns of the
    # loop per test and keeps the unused_loop check meaningful.
    plan: Optional[_Plan] = cls.__dict__.get("_asynctest_plan")
    if plan is None:
        plan = _Plan(
            owner=cls,
            # unittest's own setUp/tearDown do nothing either.
            setup=cls.setUp is not unittest.TestCase.setUp,
            teardown=cls.tearDown is not unittest.TestCase.tearDown,
            async_setup=cls.asyncSetUp is not TestCase.asyncSetUp,
            async_teardown=cls.asyncTearDown is not TestCase.asyncTearDown,
            loop_factory=_class_loop_factory(cls),
            checks={},
        )
        type.__setattr__(cls, "_asynctest_plan", plan)
    return plan


def _class_loop_factory(cls: type) -> Optional[Callable[[], asyncio.AbstractEventLoop]]:
    if getattr(cls, "loop_factory", None) is None:
        return None  # the common case, without walking the MRO
    # Read the raw class attribute: a plain function stored on a class would
    # otherwise be bound to the test instance.
    for klass in cls.__mro__:
        if "loop_factory" in klass.__dict__:
            raw = klass.__dict__["loop_factory"]
            if isinstance(raw, staticmethod):
                raw = raw.__func__
            elif isinstance(raw, classmethod):
                raw = raw.__get__(None, cls)
            if raw is not None and not callable(raw):
                raise TypeError(
                    f"{cls.__qualname__}.loop_factory = {raw!r} is not callable; set it to "
                    f"a callable returning a new event loop (e.g. asyncio.new_event_loop)"
                )
            return raw  # type: ignore[no-any-return]
    return None


def _caller_outside_asyncio() -> str:
    for frame in inspect.stack(context=0)[2:]:
        module = frame.frame.f_globals.get("__name__", "")
        if not module.startswith(("asyncio", "asynctest._", "unittest")):
            return f"{frame.filename}:{frame.lineno} in {frame.function}"
    return "unknown location"


class FunctionTestCase(TestCase, unittest.FunctionTestCase):
    """``unittest.FunctionTestCase`` whose functions may be coroutine functions."""

    def __init__(self, testFunc: Callable[[], Any], setUp: Optional[Callable[[], Any]] = None,
                 tearDown: Optional[Callable[[], Any]] = None,
                 description: Optional[str] = None) -> None:
        unittest.FunctionTestCase.__init__(self, testFunc, setUp, tearDown, description)
        self._asynctest_functions = (setUp, testFunc, tearDown)

    def _asynctest_test_method(self) -> tuple[str, Any]:
        function = self._asynctest_functions[1]
        return getattr(function, "__name__", repr(function)), function

    def setUp(self) -> Any:
        func = self._asynctest_functions[0]
        return func() if func is not None else None

    def runTest(self) -> Any:
        return self._asynctest_functions[1]()

    def tearDown(self) -> Any:
        func = self._asynctest_functions[2]
        return func() if func is not None else None
