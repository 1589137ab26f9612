"""asynctest's pytest plugin: ``async def`` tests and fixtures run on asynctest's engine.

pytest loads it through the ``pytest11`` entry point ``asynctest``; it does
nothing until a project opts in, with ``asynctest_mode = auto`` in its pytest
configuration (every ``async def`` test and async fixture that no other
plugin's marker claims) or with ``@pytest.mark.asynctest`` on a test, a class
or a module (``pytestmark``).

Each such test runs as an ``asynctest.TestCase`` test does: a new event loop
(the :func:`asynctest_loop` fixture), async fixtures of function scope set up
and torn down on it in one ``contextvars.Context`` with the test, then the
enabled checks, leftover tasks cancelled, the loop closed and asyncio's global
state restored. Timeouts and deadlock detection watch every phase (each
fixture's set-up and teardown, the test).

Options, lowest precedence first: the ``ASYNCTEST_*`` environment variables,
the ini options ``asynctest_strict``, ``asynctest_timeout``, ``asynctest_loop``,
the command line ``--asynctest-strict``, ``--asynctest-timeout``,
``--asynctest-loop``, then the markers (module, class, test) and asynctest's
decorators (``@asynctest.fail_on``, ``@asynctest.strict``, ``@asynctest.timeout``)
on the test, e.g. ``@pytest.mark.asynctest(timeout=5, fail_on={"pending_tasks": True})``.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import unittest
import warnings
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Callable, NamedTuple, Optional

import pluggy
import pytest

from . import _config, _installed
from ._engine import checks
from ._engine.clock import VirtualClock
from ._engine.errors import DeadlockError, LeftoverError, PhaseTimeoutError
from ._engine.session import DEFAULT_SHUTDOWN_TIMEOUT, Session
from ._unittest import decorators, failures

__all__ = ["Clock", "asynctest_clock", "asynctest_loop"]

_MARKER = "asynctest"
_CLOCK_FIXTURE = "asynctest_clock"
_MODES = ("strict", "auto")
_MARKER_ARGUMENTS = (
    "timeout", "strict", "lenient", "fail_on", "loop_factory", "debug", "autojump_threshold",
)
# Markers (and the fixture) by which other plugins claim an async test.
_OTHER_MARKERS = ("asyncio", "anyio", "trio")
# pytest-asyncio's attribute on the fixtures it runs (@pytest_asyncio.fixture).
_PYTEST_ASYNCIO_FIXTURE = "_force_asyncio_fixture"


# -- options ------------------------------------------------------------------------

def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ini options and the command line options of the plugin."""
    group = parser.getgroup("asynctest", "asynctest (async tests on asynctest's engine)")
    group.addoption(
        "--asynctest-timeout", metavar="SECONDS", default=None,
        help="bound each phase (fixture set-up, test, fixture teardown) of every asynctest "
             "test to SECONDS real seconds",
    )
    group.addoption(
        "--asynctest-strict", action="store_true", default=None,
        help="turn every post-test check on for asynctest tests (as @asynctest.strict)",
    )
    group.addoption(
        "--asynctest-loop", metavar="LOOP", default=None,
        help="the loop of every asynctest test: asyncio, uvloop or MODULE:CALLABLE",
    )
    parser.addini(
        "asynctest_mode",
        "which tests asynctest runs: 'strict' (default), those marked "
        "@pytest.mark.asynctest; 'auto', also every other async def test and async fixture",
        default="strict",
    )
    parser.addini("asynctest_timeout", "default timeout of each phase, in seconds", default="")
    parser.addini("asynctest_strict", "turn every post-test check on (1 or 0)", default="")
    parser.addini("asynctest_loop", "asyncio, uvloop or MODULE:CALLABLE", default="")


class _Defaults(NamedTuple):
    """The run's defaults, from the environment, the ini file and the command line."""

    strict: bool
    timeout: Optional[float]
    loop_factory: Optional[Callable[[], asyncio.AbstractEventLoop]]
    debug: Optional[bool]


class _Plan(NamedTuple):
    """How one test runs: read once, when it is collected."""

    on: checks.Enabled
    timeout: Optional[float]
    loop_factory: Optional[Callable[[], asyncio.AbstractEventLoop]]
    debug: Optional[bool]
    virtual_clock: bool
    autojump: Optional[float] = None  # the virtual clock's threshold (None: manual)


class _State:
    """The plugin's state for one pytest run (one ``Config``)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        mode = str(config.getini("asynctest_mode")).strip().lower()
        if mode not in _MODES:
            raise pytest.UsageError(
                f"asynctest_mode = {config.getini('asynctest_mode')!r} is not a mode of "
                f"asynctest; use 'strict' (the default: only tests marked "
                f"@pytest.mark.asynctest) or 'auto' (every async def test and async fixture "
                f"that no other plugin claims)"
            )
        self.auto = mode == "auto"
        # What the ini file and the command line say, checked now (start-up).
        self.overrides = _read_options(config)
        self._defaults: Optional[_Defaults] = None
        self._plans: dict[bool, _Plan] = {}
        self.active: Optional[_Active] = None

    def defaults(self) -> _Defaults:
        """The run's defaults; the environment is read on first use (once the plugin is used)."""
        if self._defaults is None:
            try:
                env = _config.from_environment(os.environ)
            except ValueError as exc:
                raise pytest.UsageError(f"asynctest: {exc}") from None
            strict, timeout, loop_factory = self.overrides
            self._defaults = _Defaults(
                env.strict if strict is None else strict,
                env.timeout if timeout is None else timeout,
                env.loop_factory if loop_factory is None else loop_factory,
                True if env.debug else None,
            )
        return self._defaults

    def default_plan(self, virtual_clock: bool) -> _Plan:
        """The plan of a test without settings of its own."""
        plan = self._plans.get(virtual_clock)
        if plan is None:
            defaults = self.defaults()
            on = checks.split(checks.enabled(checks.resolve((), defaults.strict)))
            plan = self._plans[virtual_clock] = _Plan(
                on, defaults.timeout, defaults.loop_factory, defaults.debug, virtual_clock
            )
        return plan

    def activate(self) -> _Active:
        """Register the hooks that run tests (not registered until the plugin is used)."""
        if self.active is None:
            self.active = _Active(self)
            self.config.pluginmanager.register(self.active, "asynctest-runner")
        return self.active


def _read_options(config: pytest.Config) -> tuple[Optional[bool], Optional[float], Any]:
    # The ini file, then the command line over it; a bad value is a usage error.
    strict: Optional[bool] = None
    timeout: Optional[float] = None
    loop_factory: Any = None
    try:
        text = str(config.getini("asynctest_strict")).strip()
        if text:
            strict = _config.parse_flag("asynctest_strict", text)
        if config.getoption("asynctest_strict"):
            strict = True
        text = str(config.getini("asynctest_timeout")).strip()
        if text:
            timeout = _config.parse_timeout("asynctest_timeout", text)
        text = config.getoption("asynctest_timeout")
        if text is not None:
            timeout = _config.parse_timeout("--asynctest-timeout", text)
        text = str(config.getini("asynctest_loop")).strip()
        if text:
            loop_factory = _config.resolve_loop(text, "asynctest_loop")
        text = config.getoption("asynctest_loop")
        if text is not None:
            loop_factory = _config.resolve_loop(text, "--asynctest-loop")
    except ValueError as exc:
        raise pytest.UsageError(f"asynctest: {exc}") from None
    return strict, timeout, loop_factory


# pluggy 1.2 (pytest 8 needs 1.5) runs new-style hook wrappers, which may raise.
_NEW_STYLE_WRAPPERS = tuple(int(part) for part in pluggy.__version__.split(".")[:2]) >= (1, 2)

_STATE = pytest.StashKey[_State]()
_PLAN = pytest.StashKey[_Plan]()
_RUN = pytest.StashKey["_Run"]()


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker; check the options; refuse two plugins in auto mode."""
    config.addinivalue_line(
        "markers",
        "asynctest(timeout=None, strict=False, lenient=False, fail_on=None, "
        "loop_factory=None, debug=None): run this async test (or every test of the "
        "class or module) on asynctest's engine",
    )
    conflict = _installed.conflict_message()
    if conflict is not None:
        # Under the run's warning filters (an error under filterwarnings = error).
        try:
            config.issue_config_time_warning(_installed.InstallConflictWarning(conflict), 2)
        except _installed.InstallConflictWarning as exc:
            raise pytest.UsageError(f"asynctest.InstallConflictWarning: {exc}") from None
    state = _State(config)
    config.stash[_STATE] = state
    if state.auto:
        if _pytest_asyncio_mode(config) == "auto":
            raise pytest.UsageError(
                "asynctest_mode = auto and pytest-asyncio's asyncio_mode = auto both claim "
                "every async def test; keep one of them in auto mode: set asyncio_mode = "
                "strict (and mark pytest-asyncio's tests @pytest.mark.asyncio), or "
                "asynctest_mode = strict (and mark asynctest's tests @pytest.mark.asynctest)"
            )
        state.defaults()  # a bad ASYNCTEST_* variable is a usage error now
        state.activate()


def _pytest_asyncio_mode(config: pytest.Config) -> Optional[str]:
    if not config.pluginmanager.hasplugin("asyncio"):
        return None
    try:
        mode = config.getoption("asyncio_mode", None) or config.getini("asyncio_mode")
    except (ValueError, KeyError):
        return None
    return str(getattr(mode, "value", mode)).lower()


# -- which tests are asynctest's -----------------------------------------------------

def _is_async(func: Any) -> bool:
    return inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func)


def _claimed_by(item: pytest.Item) -> Optional[str]:
    """The other plugin that runs ``item`` (by its marker or fixture), if any."""
    for name in _OTHER_MARKERS:
        if item.get_closest_marker(name) is not None:
            return name
    if "anyio_backend" in getattr(item, "fixturenames", ()):
        return "anyio"
    return None


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Find the tests asynctest runs, read their settings, check their markers."""
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    auto = state.auto
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        # One walk over the markers of the test, its class and its module.
        marks: list[Any] = []
        other: Optional[str] = None
        for mark in item.iter_markers():
            if mark.name == _MARKER:
                marks.append(mark)
            elif other is None and mark.name in _OTHER_MARKERS:
                other = mark.name
        if not marks and not auto:
            continue
        cls = item.cls
        if cls is not None and issubclass(cls, unittest.TestCase):
            continue  # asynctest.TestCase (and unittest's classes) run themselves
        if other is None and "anyio_backend" in item.fixturenames:
            other = "anyio"
        if not marks:
            if other is not None or not _is_async(item.obj):
                continue
        elif other is not None:
            hint = ""
            if other == "asyncio" and _pytest_asyncio_mode(config) == "auto":
                hint = (
                    " (pytest-asyncio's asyncio_mode = auto marks every async test "
                    "asyncio: set asyncio_mode = strict)"
                )
            raise pytest.UsageError(
                f"{item.nodeid} is marked both @pytest.mark.asynctest and by {other}{hint}; "
                f"one plugin runs a test: remove one of the markers"
            )
        item.stash[_PLAN] = _plan(item, state, marks)
        state.activate()


_UNSET: Any = object()


def _plan(item: pytest.Item, state: _State, marks: Optional[list[Any]] = None) -> _Plan:
    """Read the settings of ``item``: its markers (closest first), asynctest's decorators."""
    virtual_clock = _CLOCK_FIXTURE in getattr(item, "fixturenames", ())
    if marks is None:
        marks = list(item.iter_markers(_MARKER))
    marks = [mark for mark in marks if mark.args or mark.kwargs]
    function = getattr(item, "function", None)
    cls = getattr(item, "cls", None)
    timeout = getattr(function, decorators.TIMEOUT_ATTR, _UNSET)
    decorated = getattr(function, decorators.SETTINGS_ATTR, None) or (
        cls is not None and any(
            decorators.SETTINGS_ATTR in klass.__dict__ for klass in cls.__mro__
        )
    )
    if not marks and not decorated and timeout is _UNSET:
        return state.default_plan(virtual_clock)
    defaults = state.defaults()
    layers: list[Any] = decorators.settings_of(cls or object, function)
    if timeout is _UNSET:
        timeout = defaults.timeout
    loop_factory = defaults.loop_factory
    debug = defaults.debug
    autojump: Optional[float] = None
    # Farthest marker first (module, class, test): the closest wins.
    for mark in reversed(marks):
        where = f"{item.nodeid}: @pytest.mark.asynctest"
        options = _marker_options(mark, where)
        if "strict" in options:
            layers.append(((checks.ALL, True),))
        if "lenient" in options:
            layers.append(((checks.ALL, False),))
        if "fail_on" in options:
            layers.append(tuple(options["fail_on"].items()))
        if "timeout" in options:
            timeout = options["timeout"]
        if "loop_factory" in options:
            loop_factory = options["loop_factory"]
        if "debug" in options:
            debug = options["debug"]
        if "autojump_threshold" in options:
            autojump = options["autojump_threshold"]
    on = checks.split(checks.enabled(checks.resolve(layers, defaults.strict)))
    # A threshold gives the test a virtual clock, with or without the fixture.
    return _Plan(on, timeout, loop_factory, debug, virtual_clock or autojump is not None,
                 autojump)


def _marker_options(mark: Any, where: str) -> dict[str, Any]:
    """The arguments of one ``asynctest`` marker, checked; a usage error names a bad one."""
    accepted = ", ".join(f"{name}=" for name in _MARKER_ARGUMENTS)
    if mark.args:
        raise pytest.UsageError(
            f"{where}{mark.args!r}: the marker takes keyword arguments only ({accepted})"
        )
    options = dict(mark.kwargs)
    for name, value in options.items():
        if name not in _MARKER_ARGUMENTS:
            raise pytest.UsageError(
                f"{where}({name}={value!r}): unknown argument {name!r}; accepted: {accepted}"
            )
    try:
        if "timeout" in options and options["timeout"] is not None:
            options["timeout"] = _config.check_seconds(
                options["timeout"], f"{where}(timeout={options['timeout']!r})"
            )
        for name in ("strict", "lenient"):
            if name in options and options[name] is not True:
                raise TypeError(
                    f"{where}({name}={options[name]!r}): the only accepted value is True "
                    f"(leave the argument out otherwise)"
                )
        if "strict" in options and "lenient" in options:
            raise TypeError(f"{where}(strict=True, lenient=True): give one of them")
        if "fail_on" in options:
            fail_on = options["fail_on"]
            if not isinstance(fail_on, dict):
                raise TypeError(
                    f"{where}(fail_on={fail_on!r}): give a dict of check names to True or "
                    f"False, e.g. fail_on={{'pending_tasks': True}}"
                )
            checks.validate_names(fail_on, f"{where}(fail_on=...)")
            for name, value in fail_on.items():
                if not isinstance(value, bool):
                    raise TypeError(
                        f"{where}(fail_on={{{name!r}: {value!r}}}): the value must be True or "
                        f"False"
                    )
        factory = options.get("loop_factory")
        if factory is not None and not callable(factory):
            raise TypeError(
                f"{where}(loop_factory={factory!r}): not callable; give a callable returning "
                f"a new event loop (e.g. asyncio.new_event_loop or uvloop.new_event_loop)"
            )
        if "debug" in options and not isinstance(options["debug"], bool):
            raise TypeError(f"{where}(debug={options['debug']!r}): give True or False")
        if "autojump_threshold" in options:
            value = options["autojump_threshold"]
            options["autojump_threshold"] = _config.check_threshold(
                value, f"{where}(autojump_threshold={value!r})"
            )
    except (TypeError, ValueError) as exc:
        raise pytest.UsageError(str(exc)) from None
    return options


# -- running a test --------------------------------------------------------------------

class _Run:
    """One test on its loop: the session and what the checks need."""

    __slots__ = ("session", "on", "started", "context", "called")

    def __init__(self, session: Session, on: checks.Enabled) -> None:
        self.session = session
        self.on = on
        self.started: checks.Started = []
        self.context: Optional[checks.CheckContext] = None
        self.called = False  # the test function was called (its fixtures were set up)


def _open(item: pytest.Item) -> _Run:
    state = item.config.stash[_STATE]
    state.activate()
    plan = item.stash.get(_PLAN, None)
    if plan is None:  # a test the plugin does not run itself asked for the loop
        plan = item.stash[_PLAN] = _plan(item, state)
    session = Session(
        plan.loop_factory,
        plan.debug,
        False,  # use_default_loop
        True,  # test_selector
        plan.virtual_clock,
        plan.on.deadlock,
        plan.timeout,
        DEFAULT_SHUTDOWN_TIMEOUT,
        plan.autojump,
    )
    session.test_name = item.name
    loop = session.open()
    run = _Run(session, plan.on)
    if plan.on.checks:
        context = run.context = checks.CheckContext(loop, item.name)
        try:
            checks.start(plan.on.checks, context, run.started)
        except BaseException:
            try:
                checks.tear_down(context, run.started)
            finally:
                session.close()
            raise
    item.stash[_RUN] = run
    return run


def _wrap_up(item: pytest.Item, run: _Run) -> None:
    """The checks' verdicts, then leftovers cancelled, the loop closed, the state restored."""
    session = run.session
    messages: list[str] = []
    error: Optional[BaseException] = None
    try:
        if run.started and session.is_open:
            # (Checks not judged, as when a fixture's set-up failed, are torn down.)
            messages = checks.judge(run.started, run.context,  # type: ignore[arg-type]
                                    session.settle, run.on.settle_at, run.called)
        session.finish(run.on.pending_tasks, run.on.leaked_threads)
    except LeftoverError as exc:
        messages.append(str(exc))
    except Exception as exc:  # ShutdownError, or a check that broke
        error = exc
    finally:
        del item.stash[_RUN]
        session.close()
    if messages:
        if error is not None:
            messages.append(f"{type(error).__name__}: {error}")
        raise failures.check_failure(AssertionError, "\n\n".join(messages))
    if error is not None:
        raise error


def _fail_readably(exc: BaseException) -> None:
    # A timeout or a deadlock: its message is the whole report (where every
    # task was waiting); pytest shows it without a traceback of the engine.
    # (Raised from a frame pytest shows: a traceback it hides whole gets a
    # note saying so.)
    raise failures.check_failure(type(exc), str(exc)) from None


@pytest.fixture
def asynctest_loop(request: pytest.FixtureRequest) -> asyncio.AbstractEventLoop:
    """The event loop of the test, running while the test and its async fixtures run.

    A new loop per test, made by the test's ``loop_factory`` (else the run's
    ``--asynctest-loop``, else asyncio's default), current from before the
    test's first fixture is set up until after its last one is torn down,
    then closed. Request it to reach the loop from a sync fixture or test.
    """
    item = request.node
    run: Optional[_Run] = item.stash.get(_RUN, None)
    if run is None:  # a test that asynctest does not run itself asked for a loop
        run = _open(item)
    return run.session.loop


class Clock:
    """The virtual clock of a test's loop, given by the ``asynctest_clock`` fixture.

    The loop's time starts at 0 and moves only through :meth:`advance`;
    ``time.time()`` and ``time.monotonic()`` are untouched.
    """

    def __init__(self, clock: VirtualClock) -> None:
        self._clock = clock

    def time(self) -> float:
        """The loop's current (virtual) time, in seconds."""
        return self._clock.time()

    async def advance(self, seconds: float) -> None:
        """Move the loop's clock forward by ``seconds``, running every timer due on the way.

        Timers run in order, each at its own time, including those scheduled
        during the advance. ``seconds`` must be finite and >= 0 (ValueError).
        """
        await self._clock.advance(seconds)

    @property
    def autojump_threshold(self) -> Optional[float]:
        """None: manual clock (only :meth:`advance` moves it). A number of real
        seconds: the clock jumps to the next timer once the loop has been idle
        that long (0: at once), as ``ClockedTestCase.autojump_threshold``.
        Settable during the test; ``@pytest.mark.asynctest(autojump_threshold=T)``
        sets it from the start."""
        threshold: Optional[float] = self._clock.threshold
        return threshold

    @autojump_threshold.setter
    def autojump_threshold(self, value: Optional[float]) -> None:
        self._clock.set_autojump(
            _config.check_threshold(value, f"asynctest_clock.autojump_threshold = {value!r}")
        )

    def __repr__(self) -> str:
        return f"<asynctest Clock time={self._clock.time()!r}>"


@pytest.fixture
def asynctest_clock(asynctest_loop: asyncio.AbstractEventLoop,
                    request: pytest.FixtureRequest) -> Clock:
    """A virtual clock for the test's loop: requesting it makes the loop's time virtual.

    ``await asynctest_clock.advance(seconds)`` moves time forward, running the
    timers due on the way (as ``ClockedTestCase.advance``).
    """
    run = request.node.stash[_RUN]
    clock = run.session.clock
    if clock is None:
        pytest.fail(
            f"{request.node.nodeid}: asynctest_clock was requested after the test's loop "
            f"started (request.getfixturevalue()?); ask for it as an argument of the test "
            f"or of one of its fixtures, so that the loop starts on a virtual clock",
            pytrace=False,
        )
    return Clock(clock)


def _test_arguments(item: pytest.Function) -> dict[str, Any]:
    info = getattr(item, "_fixtureinfo", None)  # pytest 7-9: the test function's own arguments
    names = getattr(info, "argnames", None)
    if names is None:
        names = tuple(inspect.signature(item.obj).parameters)
    if not names:
        return {}
    funcargs = item.funcargs
    return {name: funcargs[name] for name in names}


class _Active:
    """The hooks that run asynctest's tests, registered once the plugin is used."""

    def __init__(self, state: _State) -> None:
        self.state = state
        self.item: Optional[pytest.Item] = None  # the test being run

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        # Before pytest sets up the test's fixtures: they run on its loop.
        self.item = item
        if item.stash.get(_PLAN, None) is not None:
            _open(item)

    if _NEW_STYLE_WRAPPERS:
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_teardown(self, item: pytest.Item) -> Iterator[None]:
            # After pytest tore the test's fixtures down: the checks judge,
            # then the loop is closed (what this raises is chained to what
            # a fixture's teardown raised).
            try:
                return (yield)
            finally:
                run = item.stash.get(_RUN, None)
                if run is not None:
                    _wrap_up(item, run)
    else:  # pragma: no cover (pluggy < 1.2, under pytest 7)
        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_teardown(self, item: pytest.Item) -> Iterator[None]:
            yield
            run = item.stash.get(_RUN, None)
            if run is not None:
                _wrap_up(item, run)

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> Optional[bool]:
        run = pyfuncitem.stash.get(_RUN, None)
        if run is None:
            return None
        run.called = True
        function = pyfuncitem.obj
        arguments = _test_arguments(pyfuncitem)
        phase = function
        if arguments or getattr(function, "__name__", None) != run.session.test_name:
            def phase() -> Any:
                __tracebackhide__ = True
                return function(**arguments)

            # How the engine names the phase in its messages: "the test".
            phase.__name__ = run.session.test_name
            phase.__qualname__ = getattr(function, "__qualname__", phase.__name__)
        __tracebackhide__ = True  # pytest shows the test's frames, not the plugin's
        try:
            result = run.session.run_phase(phase)
        except (DeadlockError, PhaseTimeoutError) as exc:
            _fail_readably(exc)
        if result is not None:
            warnings.warn(
                f"{pyfuncitem.nodeid} returned {result!r}, not None: a test's return value "
                f"is ignored (did you mean to assert?)",
                getattr(pytest, "PytestReturnNotNoneWarning", pytest.PytestWarning),
                stacklevel=1,
            )
        return True

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> Iterator[None]:
        func = fixturedef.func
        if not _is_async(func) or getattr(func, _PYTEST_ASYNCIO_FIXTURE, False):
            yield
            return
        item = request.node if isinstance(request.node, pytest.Item) else self.item
        if item is None or not self._runs_fixtures_of(item):
            yield
            return
        name = fixturedef.argname
        if fixturedef.scope != "function":
            pytest.fail(
                f"the async fixture {name!r} ({_where(func)}) has scope "
                f"{fixturedef.scope!r}; asynctest runs async fixtures of function scope "
                f"only, on the loop of each test (a loop that outlived a test would carry "
                f"its tasks and callbacks into the next one). Make {name!r} "
                f"function-scoped, or make it a sync fixture that starts what it shares "
                f"(a server, a connection pool) in a thread with its own loop",
                pytrace=False,
            )
        run = item.stash.get(_RUN, None)
        if run is None:  # a test asynctest does not run itself (auto mode)
            run = _open(item)
        fixturedef.func = _sync_fixture(func, name, run.session, request.instance)
        try:
            yield
        finally:
            fixturedef.func = func

    def _runs_fixtures_of(self, item: pytest.Item) -> bool:
        if item.stash.get(_PLAN, None) is not None:
            return True
        return self.state.auto and _claimed_by(item) is None


def _where(func: Any) -> str:
    code = getattr(func, "__code__", None)
    if code is None:
        return repr(func)
    return f"{code.co_filename}:{code.co_firstlineno}"


def _bind(func: Any, instance: Any) -> Any:
    # As pytest binds a fixture defined in a test class to the test's instance.
    if instance is None:
        return func
    owner = getattr(func, "__self__", None)
    if owner is None or not isinstance(instance, type(owner)):
        return func
    return func.__func__.__get__(instance)


def _sync_fixture(func: Any, name: str, session: Session, instance: Any) -> Callable[..., Any]:
    """``func`` as a sync fixture function that runs it on the test's loop."""
    bound = _bind(func, instance)
    setup = f"the fixture {name!r}"

    def run(awaitable: Any, phase: str) -> Any:
        __tracebackhide__ = True
        if session.loop.is_running():
            if inspect.iscoroutine(awaitable):
                awaitable.close()
            pytest.fail(
                f"the async fixture {name!r} was requested while the test's loop runs "
                f"(request.getfixturevalue() in an async test?); ask for it as an argument "
                f"of the test instead",
                pytrace=False,
            )
        try:
            return session.run_awaitable(awaitable, phase)
        except (DeadlockError, PhaseTimeoutError) as exc:
            _fail_readably(exc)
        except Exception as exc:
            # The fixture's own frames, without the engine's and asyncio's above them.
            user = _from_user_code(exc.__traceback__)
            if user is None:
                raise
            raise exc.with_traceback(user)  # noqa: B904 (the same exception)

    if inspect.isasyncgenfunction(func):
        def generator_fixture(**kwargs: Any) -> Iterator[Any]:
            __tracebackhide__ = True
            generator = bound(**kwargs)
            yield run(_first(generator, name), setup)
            run(_last(generator, name), f"the teardown of the fixture {name!r}")

        return generator_fixture

    def fixture(**kwargs: Any) -> Any:
        __tracebackhide__ = True
        return run(bound(**kwargs), setup)

    return fixture


def _from_user_code(tb: Optional[TracebackType]) -> Optional[TracebackType]:
    """``tb`` from its first frame outside asynctest and asyncio (None: there is none)."""
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if not module.startswith(("asynctest.", "asyncio.")):
            return tb
        tb = tb.tb_next
    return None


async def _first(generator: Any, name: str) -> Any:
    __tracebackhide__ = True
    try:
        return await generator.__anext__()
    except StopAsyncIteration:
        raise RuntimeError(f"the async fixture {name!r} did not yield a value") from None


async def _last(generator: Any, name: str) -> None:
    __tracebackhide__ = True
    try:
        await generator.__anext__()
    except StopAsyncIteration:
        return
    await generator.aclose()
    raise RuntimeError(f"the async fixture {name!r} yields more than once; a fixture yields once")
