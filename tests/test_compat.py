"""Every private name asynctest reads exists, with the meaning we rely on, on this Python.

If one of these fails on a new Python, asyncio moved a private: fix _compat.py.
"""

from __future__ import annotations

import asyncio
import contextvars
import sys

import pytest

from asynctest import _compat


@pytest.fixture
def loop():  # type: ignore[no-untyped-def]
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_version_flags_match_the_running_python() -> None:
    assert _compat.PY310 == (sys.version_info >= (3, 10))
    assert _compat.PY311 == (sys.version_info >= (3, 11))
    assert _compat.PY312 == (sys.version_info >= (3, 12))
    assert _compat.PY313 == (sys.version_info >= (3, 13))


def test_installed_policy_reads_the_policy_without_creating_one() -> None:
    saved = _compat.installed_policy()
    try:
        _compat.install_policy(None)
        assert _compat.installed_policy() is None
        policy = asyncio.get_event_loop_policy()
        assert _compat.installed_policy() is policy
    finally:
        _compat.install_policy(saved)


def test_current_loop_reads_the_thread_slot_of_the_policy(loop) -> None:  # type: ignore[no-untyped-def]
    saved = _compat.current_loop()
    try:
        _compat.set_current_loop(loop)
        assert _compat.current_loop() is loop
        _compat.set_current_loop(None)
        assert _compat.current_loop() is None
    finally:
        _compat.set_current_loop(None if saved is _compat.UNKNOWN else saved)


def test_running_loop_marker_round_trips(loop) -> None:  # type: ignore[no-untyped-def]
    assert _compat.running_loop() is None
    _compat.set_running_loop(loop)
    try:
        assert _compat.running_loop() is loop
    finally:
        _compat.set_running_loop(None)


def test_scheduled_timers_and_ready_handles_see_the_loop_queues(loop) -> None:  # type: ignore[no-untyped-def]
    timer = loop.call_later(10, print)
    ready = loop.call_soon(print)
    assert timer in _compat.scheduled_timers(loop)
    assert ready in _compat.ready_handles(loop)
    assert _compat.timer_when(timer) == timer.when()
    timer.cancel()
    assert _compat.handle_is_cancelled(timer)
    assert _compat.clock_resolution(loop) > 0


def test_handle_callback_gives_the_callback_and_its_arguments(loop) -> None:  # type: ignore[no-untyped-def]
    handle = loop.call_soon(print, 1, "x")
    assert _compat.handle_callback(handle) == (print, (1, "x"))


def test_handle_source_traceback_is_known_in_debug_mode(loop) -> None:  # type: ignore[no-untyped-def]
    loop.set_debug(True)
    handle = loop.call_soon(print)
    frames = _compat.handle_source_traceback(handle)
    assert frames and frames[-1].filename == __file__


def test_default_executor_and_async_generators_are_seen(loop) -> None:  # type: ignore[no-untyped-def]
    assert not _compat.has_default_executor(loop)
    assert _compat.leftovers(loop) is None  # nothing at all to shut down

    async def gen():  # type: ignore[no-untyped-def]
        yield 1

    async def start(g):  # type: ignore[no-untyped-def]
        await g.__anext__()  # first iterated on the loop: the loop keeps track of it

    g = gen()
    loop.run_until_complete(start(g))
    assert _compat.leftovers(loop) == []  # no task, but a generator to close
    loop.run_until_complete(g.aclose())
    del g  # the loop keeps it (weakly) until it is gone
    assert _compat.leftovers(loop) is None

    loop.run_until_complete(loop.run_in_executor(None, int))
    assert _compat.has_default_executor(loop)
    assert _compat.leftovers(loop) == []  # no task, but an executor to shut down
    loop.run_until_complete(_compat.shutdown_default_executor(loop))


def test_leftovers_lists_the_pending_tasks_of_the_loop(loop) -> None:  # type: ignore[no-untyped-def]
    async def forever() -> None:
        await asyncio.sleep(3600)

    async def main() -> asyncio.Task[None]:
        task = asyncio.ensure_future(forever())
        await asyncio.sleep(0)
        return task

    task = loop.run_until_complete(main())
    assert _compat.leftovers(loop) == [task]
    task.cancel()
    loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
    assert _compat.leftovers(loop) is None


def test_task_in_context_runs_every_step_in_that_very_context(loop) -> None:  # type: ignore[no-untyped-def]
    var: contextvars.ContextVar[int] = contextvars.ContextVar("var", default=0)
    ctx = contextvars.copy_context()

    async def set_value(value: int) -> int:
        var.set(value)
        await asyncio.sleep(0)
        return var.get()

    task = _compat.create_task_in_context(loop, set_value(5), ctx)
    assert loop.run_until_complete(task) == 5
    assert ctx[var] == 5  # the change is visible in ctx itself, not in a copy
    assert var.get() == 0


def test_task_in_context_propagates_exceptions_and_cancellation(loop) -> None:  # type: ignore[no-untyped-def]
    ctx = contextvars.copy_context()

    async def fail() -> None:
        await asyncio.sleep(0)
        raise KeyError("inner")

    with pytest.raises(KeyError, match="inner"):
        loop.run_until_complete(_compat.create_task_in_context(loop, fail(), ctx))

    async def forever() -> None:
        await asyncio.sleep(3600)

    task = _compat.create_task_in_context(loop, forever(), ctx)
    loop.run_until_complete(asyncio.sleep(0))
    # Where a pending task waits stays inspectable (timeout and deadlock reports).
    stack = task.get_stack()
    assert stack and stack[-1].f_code.co_name == "forever"
    assert "forever" in repr(task)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        loop.run_until_complete(task)


def test_forbidding_policy_raises_and_delegates(loop) -> None:  # type: ignore[no-untyped-def]
    saved = _compat.installed_policy()
    original = _compat.policy_for_wrapping()
    try:
        policy = _compat.forbidding_policy(original, lambda: AssertionError("forbidden"))
        _compat.install_policy(policy)
        with pytest.raises(AssertionError, match="forbidden"):
            asyncio.get_event_loop()
        _compat.set_current_loop(loop)
        assert _compat.current_loop() is loop  # shares the original's thread slot
        new = asyncio.new_event_loop()
        new.close()
    finally:
        _compat.install_policy(saved)
        _compat.set_current_loop(None)


def test_pending_tasks_matches_all_tasks(loop) -> None:  # type: ignore[no-untyped-def]
    other = asyncio.new_event_loop()
    try:
        async def forever() -> None:
            await asyncio.sleep(3600)

        async def main() -> None:
            mine = [asyncio.ensure_future(forever()) for _ in range(3)]
            done = asyncio.ensure_future(asyncio.sleep(0))
            await done
            theirs = other.create_task(forever())
            found = _compat.pending_tasks(loop)
            assert set(found) == asyncio.all_tasks(loop)
            assert set(mine) <= set(found) and done not in found and theirs not in found
            assert len(found) == len(set(found))
            for task in mine:
                task.cancel()
            await asyncio.gather(*mine, return_exceptions=True)

        loop.run_until_complete(main())
        theirs = list(asyncio.all_tasks(other))
        for task in theirs:
            task.cancel()
        other.run_until_complete(asyncio.gather(*theirs, return_exceptions=True))
    finally:
        other.close()


def test_pending_tasks_reads_the_task_registry_of_this_python() -> None:
    import asyncio.tasks as tasks_module

    name = "_scheduled_tasks" if _compat.PY312 else "_all_tasks"
    assert _compat._TASK_REFS is getattr(tasks_module, name).data
    if _compat.PY312:
        assert _compat._EAGER_TASKS is tasks_module._eager_tasks


def test_selector_keys_lists_the_registrations_of_a_stdlib_selector() -> None:
    import selectors
    import socket

    a, b = socket.socketpair()
    selector = selectors.DefaultSelector()
    try:
        selector.register(a, selectors.EVENT_READ, "data-a")
        assert isinstance(selector._fd_to_key, dict)  # type: ignore[attr-defined]
        keys = list(_compat.selector_keys(selector))
        assert [(k.fileobj, k.data) for k in keys] == [(a, "data-a")]
    finally:
        selector.close()
        a.close()
        b.close()


def test_global_state_round_trips(loop) -> None:  # type: ignore[no-untyped-def]
    saved = _compat.read_global_state()
    try:
        _compat.set_current_loop(loop)
        _compat.set_running_loop(loop)
        _compat.restore_global_state(saved)
        assert _compat.read_global_state() == saved
        assert _compat.running_loop() is None
    finally:
        _compat.set_running_loop(None)


def test_unittest_privates_name_the_test_and_its_pending_cleanups() -> None:
    import unittest
    import unittest.mock

    class Case(unittest.TestCase):
        def test_something(self) -> None:
            pass

    case = Case("test_something")
    assert _compat.test_method(case) == ("test_something", Case.test_something)
    assert not _compat.pending_cleanups(case)
    case.addCleanup(print)
    assert _compat.pending_cleanups(case)
    with unittest.mock.patch("builtins.print"):
        case.doCleanups()
    assert not _compat.pending_cleanups(case)


def test_open_selector_loop_makes_a_current_loop_polling_the_wrapper() -> None:
    import selectors

    saved_policy = _compat.installed_policy()
    _compat.install_policy(asyncio.DefaultEventLoopPolicy())
    try:
        before = _compat.read_global_state()
        wrapped: list[selectors.BaseSelector] = []

        def wrap(real: selectors.BaseSelector) -> str:
            wrapped.append(real)
            return "the wrapper"

        opened = _compat.open_selector_loop(wrap)
        assert opened is not None
        loop, wrapper, saved = opened
        assert saved == before
        assert wrapper == "the wrapper" and _compat.loop_selector(loop) == "the wrapper"
        [real] = wrapped
        assert len(real.get_map()) == 1  # the loop's wake-up pipe, registered for real
        assert _compat.current_loop() is loop
        _compat.set_loop_selector(loop, real)
        loop.close()
        _compat.restore_global_state(saved)
        assert _compat.read_global_state() == before
    finally:
        _compat.install_policy(saved_policy)


def test_open_selector_loop_leaves_other_policies_alone() -> None:
    class Custom(asyncio.DefaultEventLoopPolicy):
        pass

    saved_policy = _compat.installed_policy()
    _compat.install_policy(Custom())
    try:
        before = _compat.read_global_state()
        assert _compat.open_selector_loop(lambda real: real) is None
        assert _compat.read_global_state() == before
    finally:
        _compat.install_policy(saved_policy)


# -- the checks loop_exceptions, unawaited_coroutines, unclosed_resources, leaked_threads --


def test_the_interpreter_calls_the_unawaited_coroutine_hook_with_the_coroutine() -> None:
    async def never() -> None:
        pass

    seen: list = []
    original = _compat.swap_unawaited_coroutine_hook(lambda coro: seen.append(coro.__qualname__))
    assert callable(original)
    try:
        never()
    finally:
        _compat.swap_unawaited_coroutine_hook(original)  # type: ignore[arg-type]
    assert seen == [never.__qualname__]


def test_every_shown_warning_goes_through_the_show_warning_hook_with_its_source() -> None:
    import warnings

    source = object()
    seen: list = []
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        original = _compat.swap_show_warning_hook(seen.append)
        try:
            warnings.warn("shown", ResourceWarning, stacklevel=1, source=source)
        finally:
            _compat.swap_show_warning_hook(original)
    assert [(str(m.message), m.category, m.source) for m in seen] == [
        ("shown", ResourceWarning, source)
    ]


def test_live_threads_lists_started_threads_by_ident_with_their_target() -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert _compat.live_threads()[thread.ident] is thread  # type: ignore[index]
        assert _compat.thread_target(thread) == stop.wait
        assert not _compat.is_foreign_thread(thread)
    finally:
        stop.set()
        thread.join()
    assert thread.ident not in _compat.live_threads()


def test_default_executor_threads_are_the_workers_of_the_default_executor(loop) -> None:
    import threading

    assert _compat.default_executor_threads(loop) == frozenset()
    worker = loop.run_until_complete(loop.run_in_executor(None, threading.current_thread))
    assert _compat.default_executor_threads(loop) == {worker}
    loop.run_until_complete(loop.shutdown_default_executor())


def test_take_exception_handler_is_set_exception_handler_when_the_loop_has_none(loop) -> None:
    def handler(lp, context):  # type: ignore[no-untyped-def]
        pass

    assert _compat.take_exception_handler(loop, handler)
    assert loop.get_exception_handler() is handler
    _compat.give_back_exception_handler(loop, handler)
    assert loop.get_exception_handler() is None


def test_take_exception_handler_leaves_a_handler_the_loop_has(loop) -> None:
    def theirs(lp, context):  # type: ignore[no-untyped-def]
        pass

    loop.set_exception_handler(theirs)
    assert not _compat.take_exception_handler(loop, lambda lp, context: None)
    assert loop.get_exception_handler() is theirs


def test_give_back_exception_handler_leaves_a_handler_set_since(loop) -> None:
    def ours(lp, context):  # type: ignore[no-untyped-def]
        pass

    def theirs(lp, context):  # type: ignore[no-untyped-def]
        pass

    assert _compat.take_exception_handler(loop, ours)
    loop.set_exception_handler(theirs)
    _compat.give_back_exception_handler(loop, ours)
    assert loop.get_exception_handler() is theirs
