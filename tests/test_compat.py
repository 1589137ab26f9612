"""Every private name asynctest reads exists, with the meaning we rely on, on this Python.

If one of these fails on a new Python, asyncio moved a private: fix _compat.py.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
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


# -- deadlock detection and the bounded shutdown ------------------------------------------


def test_self_pipe_fd_is_a_descriptor_the_loop_registered(loop) -> None:  # type: ignore[no-untyped-def]
    fd = _compat.self_pipe_fd(loop)
    assert isinstance(fd, int)
    assert fd in [key.fd for key in _compat.selector_keys(_compat.loop_selector(loop))]


@pytest.mark.skipif(sys.platform == "win32", reason="no add_signal_handler")
def test_has_signal_handlers_sees_add_signal_handler(loop) -> None:  # type: ignore[no-untyped-def]
    import signal

    assert not _compat.has_signal_handlers(loop)
    loop.add_signal_handler(signal.SIGUSR2, lambda: None)
    try:
        assert _compat.has_signal_handlers(loop)
    finally:
        loop.remove_signal_handler(signal.SIGUSR2)
    assert not _compat.has_signal_handlers(loop)


def test_idle_executor_workers_are_told_from_busy_ones() -> None:
    import concurrent.futures
    import threading
    import time

    release = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(2) as executor:
        busy = executor.submit(release.wait, 10)
        executor.submit(lambda: None).result()  # a second worker, idle after this
        time.sleep(0.05)
        threads = _compat.executor_threads(executor)
        assert len(threads) == 2
        frames = _compat.thread_frames()
        idle = [_compat.is_idle_worker(frames.get(t.ident)) for t in threads]
        assert sorted(idle) == [False, True]
        release.set()
        busy.result()
        time.sleep(0.05)
        frames = _compat.thread_frames()
        assert all(_compat.is_idle_worker(frames.get(t.ident)) for t in threads)
    assert not _compat.is_idle_worker(sys._getframe())
    assert not _compat.is_idle_worker(None)


def test_default_executor_is_none_until_used_then_the_executor(loop) -> None:  # type: ignore[no-untyped-def]
    assert _compat.default_executor(loop) is None
    loop.run_until_complete(loop.run_in_executor(None, lambda: None))
    executor = _compat.default_executor(loop)
    assert executor is not None
    assert len(_compat.executor_threads(executor)) == 1


def test_forget_pending_task_silences_the_destroyed_pending_log(loop) -> None:  # type: ignore[no-untyped-def]
    task = loop.create_task(asyncio.sleep(1))
    assert task._log_destroy_pending is True
    _compat.forget_pending_task(task)
    assert task._log_destroy_pending is False
    task.cancel()
    loop.run_until_complete(asyncio.wait([task]))


def test_task_waits_on_and_gathered_follow_what_a_task_awaits(loop) -> None:  # type: ignore[no-untyped-def]
    future = loop.create_future()

    async def inner() -> None:
        await future

    async def outer() -> None:
        await asyncio.gather(inner_task)

    inner_task = loop.create_task(inner())
    outer_task = loop.create_task(outer())
    loop.run_until_complete(asyncio.sleep(0))
    assert _compat.task_waiter(inner_task) is future
    gathering = _compat.task_waiter(outer_task)
    assert gathering is not None
    assert _compat.gathered(gathering) == [inner_task]
    assert _compat.gathered(future) == []
    future.set_result(None)
    loop.run_until_complete(outer_task)
    assert _compat.task_waiter(outer_task) is None


# -- what a task waits for (the task-stack report) -------------------------------------


def test_task_waiter_is_the_future_a_task_is_blocked_on(loop) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        future = loop.create_future()
        task = asyncio.ensure_future(future_waiter(future))
        await asyncio.sleep(0)
        assert _compat.task_waiter(task) is future
        future.set_result(None)
        await task
        assert _compat.task_waiter(task) is None

    async def future_waiter(future: asyncio.Future[None]) -> None:
        await future

    loop.run_until_complete(main())


def test_future_callbacks_lists_the_done_callbacks_without_contexts(loop) -> None:  # type: ignore[no-untyped-def]
    future = loop.create_future()
    assert _compat.future_callbacks(future) == []

    def first(f: object) -> None:
        pass

    def second(f: object) -> None:
        pass

    future.add_done_callback(first)
    future.add_done_callback(second)
    assert _compat.future_callbacks(future) == [first, second]


def test_future_source_traceback_is_known_in_debug_mode_only(loop) -> None:  # type: ignore[no-untyped-def]
    loop.set_debug(False)  # the default, but for PYTHONDEVMODE / PYTHONASYNCIODEBUG
    assert _compat.future_source_traceback(loop.create_future()) is None
    loop.set_debug(True)
    stack = _compat.future_source_traceback(loop.create_future())
    assert stack and "test_future_source_traceback_is_known_in_debug_mode_only" in [
        entry.name for entry in stack
    ]
    loop.set_debug(False)


def test_future_exception_reads_it_without_marking_it_retrieved(loop) -> None:  # type: ignore[no-untyped-def]
    future = loop.create_future()
    assert _compat.future_exception(future) is None
    error = ValueError("boom")
    future.set_exception(error)
    assert _compat.future_exception(future) is error
    assert future._log_traceback is True  # type: ignore[attr-defined]
    future.exception()
    assert future._log_traceback is False  # type: ignore[attr-defined]


def test_callback_referents_sees_partial_arguments_closure_cells_and_bound_objects() -> None:
    import functools

    target = object()

    def release(waiter: object, *args: object) -> None:
        pass

    def closure(f: object) -> object:
        return target

    class Owner:
        def __init__(self) -> None:
            self.held = target

        def on_done(self, f: object) -> None:
            pass

    assert target in _compat.callback_referents(functools.partial(release, target))
    assert target in _compat.callback_referents(closure)
    assert target in _compat.callback_referents(Owner().on_done)
    assert _compat.callback_referents(print) == []


def _completers(loop, waiter):  # type: ignore[no-untyped-def]
    """The pending tasks of ``loop`` whose done callbacks refer to ``waiter``."""
    return [
        task for task in _compat.pending_tasks(loop)
        if any(
            waiter in _compat.callback_referents(callback)
            for callback in _compat.future_callbacks(task)
        )
    ]


@pytest.mark.parametrize("how", ["shield", "wait_for", "wait", "gather", "TaskGroup"])
def test_the_tasks_completing_a_waiter_are_found_from_their_callbacks(loop, how) -> None:  # type: ignore[no-untyped-def]
    # What asyncio waits on in each case, and which child task completes it.
    if how == "TaskGroup" and not _compat.PY311:
        pytest.skip("asyncio.TaskGroup is new in 3.11")

    async def child() -> None:
        await asyncio.Event().wait()

    async def parent() -> None:
        if how == "shield":
            await asyncio.shield(child())
        elif how == "wait_for":
            await asyncio.wait_for(asyncio.ensure_future(child()), 3600)
        elif how == "wait":
            await asyncio.wait([asyncio.ensure_future(child())])
        elif how == "gather":
            await asyncio.gather(child())
        else:
            async with asyncio.TaskGroup() as group:  # type: ignore[attr-defined]
                group.create_task(child())

    async def main() -> None:
        task = asyncio.ensure_future(parent())
        for _ in range(3):
            await asyncio.sleep(0)
        waiter = _compat.task_waiter(task)
        if how == "wait_for" and _compat.PY312:
            assert isinstance(waiter, asyncio.Task)  # 3.12+: awaited directly
        else:
            (found,) = _completers(loop, waiter)
            assert found.get_coro().__qualname__.endswith("child")
        for other in asyncio.all_tasks():
            if other is not asyncio.current_task():
                other.cancel()
        await asyncio.gather(task, return_exceptions=True)

    loop.run_until_complete(main())


@pytest.mark.parametrize("method", ["__anext__", "asend", "athrow", "aclose"])
def test_wrapped_generator_finds_the_async_generator_behind_its_awaitables(method) -> None:  # type: ignore[no-untyped-def]
    async def numbers():  # type: ignore[no-untyped-def]
        yield 1

    generator = numbers()
    args = {"asend": (None,), "athrow": (ValueError,)}.get(method, ())
    awaitable = getattr(generator, method)(*args)
    assert _compat.wrapped_generator(awaitable) is generator
    awaitable.close()


def test_wrapped_generator_finds_the_coroutine_behind_a_coroutine_wrapper() -> None:
    async def work() -> None:
        pass

    coro = work()
    assert _compat.wrapped_generator(coro.__await__()) is coro
    assert _compat.wrapped_generator(object()) is None
    coro.close()



def test_selector_fd_map_is_the_live_dict_of_registrations() -> None:
    import selectors
    import socket

    selector = selectors.DefaultSelector()
    a, b = socket.socketpair()
    try:
        by_fd = _compat.selector_fd_map(selector)
        assert by_fd == {}
        selector.register(a, selectors.EVENT_READ)
        assert list(by_fd) == [a.fileno()]
        selector.unregister(a)
        assert by_fd == {}
    finally:
        a.close()
        b.close()
        selector.close()
    assert _compat.selector_fd_map(object()) is None


def test_detach_busy_worker_drops_the_callbacks_of_the_item_it_runs() -> None:
    import concurrent.futures
    import threading
    import time

    release = threading.Event()
    called = []
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        future = executor.submit(release.wait, 10)
        future.add_done_callback(called.append)
        time.sleep(0.05)
        (thread,) = _compat.executor_threads(executor)
        assert _compat.detach_busy_worker(thread)
        release.set()
        assert future.result() is True
    assert called == []
    assert not _compat.detach_busy_worker(threading.current_thread())


def test_restore_set_event_loop_called_writes_the_policy_flag() -> None:
    policy = asyncio.DefaultEventLoopPolicy()
    assert policy._local._set_called is False  # type: ignore[attr-defined]
    policy.set_event_loop(None)
    assert policy._local._set_called is True  # type: ignore[attr-defined]
    _compat.restore_set_event_loop_called(policy, False)
    assert policy._local._set_called is False  # type: ignore[attr-defined]

    class NoFlag(asyncio.AbstractEventLoopPolicy):  # type: ignore[misc]
        pass

    _compat.restore_set_event_loop_called(NoFlag(), False)  # nothing to write: no error


def test_task_in_context_adds_no_frame_to_tracebacks(loop) -> None:  # type: ignore[no-untyped-def]
    async def fails() -> None:
        await asyncio.sleep(0)
        raise ValueError("boom")

    task = _compat.create_task_in_context(loop, fails(), contextvars.copy_context())
    with pytest.raises(ValueError) as caught:
        loop.run_until_complete(task)
    files = [str(entry.path) for entry in caught.traceback]
    assert _compat.__file__ not in files, files


def test_the_in_context_wrapper_can_also_be_awaited(loop) -> None:  # type: ignore[no-untyped-def]
    # Tasks call its send()/throw(); an await drives it through __await__.
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var")
    ctx = contextvars.copy_context()
    ctx.run(var.set, "in ctx")

    async def reads() -> str:
        await asyncio.sleep(0)
        return var.get()

    async def outer() -> str:
        return await _compat._InContext(reads(), ctx)  # type: ignore[no-any-return]

    assert loop.run_until_complete(outer()) == "in ctx"


# -- coroutine-function marks, mock delegate (section at the end of _compat) ----------


def test_coroutine_function_marks_make_asyncio_and_inspect_say_coroutine_function() -> None:
    import inspect
    import sys

    class Plain:
        def __call__(self) -> None:
            pass

    obj = Plain()
    assert not asyncio.iscoroutinefunction(obj)
    marks = _compat.coroutine_function_marks()
    obj.__dict__.update(marks)
    assert asyncio.iscoroutinefunction(obj)
    assert inspect.iscoroutinefunction(obj) is (sys.version_info >= (3, 12))
    assert ("_is_coroutine_marker" in marks) is (sys.version_info >= (3, 12))


def test_set_mock_delegate_moves_called_and_return_value() -> None:
    from unittest import mock as um

    def function() -> None:
        pass

    autospecced = um.create_autospec(function)

    def stand_in() -> None:
        pass

    stand_in.__dict__.update(autospecced.__dict__)
    _compat.set_mock_delegate(autospecced.mock, stand_in)
    stand_in.return_value = 7  # type: ignore[attr-defined]
    assert autospecced.mock() == 7
    assert stand_in.called is True  # type: ignore[attr-defined]


# -- the earliest timer, for the virtual clock ----------------------------------------


def test_earliest_timer_is_the_head_of_the_heap_skipping_cancelled_timers(loop) -> None:  # type: ignore[no-untyped-def]
    assert _compat.earliest_timer(loop) is None
    late = loop.call_at(50, print)
    early = loop.call_at(20, print)
    loop.call_at(30, print)
    assert _compat.earliest_timer(loop) == 20
    early.cancel()  # still in the heap, at its head: the scan finds the next one
    assert early in _compat.scheduled_timers(loop)
    assert _compat.earliest_timer(loop) == 30
    for timer in list(_compat.scheduled_timers(loop)):
        timer.cancel()
    assert _compat.earliest_timer(loop) is None
    assert late.cancelled()


def test_earliest_timer_is_pending_head_while_the_loop_selects(loop) -> None:  # type: ignore[no-untyped-def]
    # The loop drops cancelled timers off the head before it selects: the
    # clock's O(1) read relies on it.
    seen = []
    first = loop.call_later(0.001, print)
    loop.call_later(0.002, loop.stop)
    first.cancel()

    class Spy:
        def __init__(self, wrapped):  # type: ignore[no-untyped-def]
            self.wrapped = wrapped

        def select(self, timeout=None):  # type: ignore[no-untyped-def]
            heap = _compat.scheduled_timers(loop)
            seen.append(bool(heap) and not heap[0].cancelled())
            return self.wrapped.select(timeout)

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(self.wrapped, name)

    real = _compat.loop_selector(loop)
    _compat.set_loop_selector(loop, Spy(real))
    try:
        loop.run_forever()
    finally:
        _compat.set_loop_selector(loop, real)
    assert seen and all(seen)


def test_run_timers_in_order_runs_due_timers_each_at_its_time_and_stops_when_told(loop) -> None:  # type: ignore[no-untyped-def]
    now = [0.0]
    seen: list[tuple[str, float]] = []
    watched: dict[int, object] = {0: "pipe"}

    def record(name: str) -> None:
        seen.append((name, now[0]))

    def set_time(when: float) -> None:
        now[0] = when

    for when, name in ((3, "c"), (1, "a"), (2, "b"), (9, "late")):
        loop.call_at(when, record, name)
    _compat.run_timers_in_order(loop, 5, 100, set_time, watched)
    assert seen == [("a", 1), ("b", 2), ("c", 3)]  # in order, not past ``until``
    assert [t.when() for t in _compat.scheduled_timers(loop)] == [9]

    # Stops at the limit, at a cancelled head, and when I/O gets watched.
    seen.clear()
    loop.call_at(11, record, "after")
    _compat.run_timers_in_order(loop, 100, 1, set_time, watched)
    assert seen == [("late", 9)]
    _compat.run_timers_in_order(loop, 100, 1, set_time, watched)
    assert seen == [("late", 9), ("after", 11)]
    seen.clear()
    loop.call_at(19, print).cancel()
    loop.call_at(20, record, "20")
    _compat.run_timers_in_order(loop, 100, 100, set_time, watched)
    assert seen == []
    assert _compat.earliest_timer(loop) == 20
    loop.run_until_complete(asyncio.sleep(0))  # the loop drops 19 and runs 20 (its own clock)
    assert not _compat.scheduled_timers(loop)

    # Stops after a timer that makes a callback ready: it runs at that time, first.
    seen.clear()
    loop.call_at(40, lambda: loop.call_soon(record, "soon"))
    loop.call_at(41, record, "41")
    _compat.run_timers_in_order(loop, 100, 100, set_time, {0: "pipe"})
    assert seen == []
    assert now[0] == 40
    assert len(_compat.ready_handles(loop)) == 1
    assert _compat.earliest_timer(loop) == 41


def test_run_timers_in_order_stops_when_a_timer_watches_a_descriptor(loop) -> None:  # type: ignore[no-untyped-def]
    watched: dict[int, object] = {0: "pipe"}
    seen = []
    loop.call_at(1, lambda: watched.update({1: "socket"}))
    loop.call_at(2, seen.append, "2")
    _compat.run_timers_in_order(loop, 10, 10, lambda when: None, watched)
    assert seen == []
    assert _compat.earliest_timer(loop) == 2


def test_run_timers_in_order_reports_a_failing_timer_to_the_exception_handler(loop) -> None:  # type: ignore[no-untyped-def]
    errors = []
    loop.set_exception_handler(lambda _, context: errors.append(context["exception"]))
    seen = []
    loop.call_at(1, operator_truediv, 1, 0)
    loop.call_at(2, seen.append, "next")
    _compat.run_timers_in_order(loop, 10, 10, lambda when: None, {})
    assert seen == ["next"]
    assert [type(exc) for exc in errors] == [ZeroDivisionError]
    timer = loop.call_at(3, print)
    _compat.run_timers_in_order(loop, 10, 10, lambda when: None, {})
    timer.cancel()  # already run: the loop's count of cancelled timers is not touched
    assert not _compat.scheduled_timers(loop)


def operator_truediv(a: float, b: float) -> float:
    return a / b


def test_run_timers_in_order_runs_timers_due_now_before_ready_callbacks(loop) -> None:  # type: ignore[no-untyped-def]
    # As the loop does: every timer due now, then what they made ready.
    seen = []
    loop.call_at(5, lambda: (seen.append("a"), loop.call_soon(seen.append, "ready")))
    loop.call_at(5, seen.append, "b")
    loop.call_at(6, seen.append, "later")
    _compat.run_timers_in_order(loop, 10, 10, lambda when: None, {})
    assert sorted(seen) == ["a", "b"]
    assert _compat.earliest_timer(loop) == 6


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


def test_set_clock_resolution_is_what_the_loop_reads(loop) -> None:  # type: ignore[no-untyped-def]
    original = _compat.clock_resolution(loop)
    _compat.set_clock_resolution(loop, 0.5)
    assert _compat.clock_resolution(loop) == 0.5
    seen = []
    loop.call_at(loop.time() + 0.4, seen.append, "within the resolution: due now")
    loop.run_until_complete(asyncio.sleep(0))
    assert seen
    _compat.set_clock_resolution(loop, original)


# -- unittest.mock: making mocks cheaply (section at the end of _compat) ----------------
# Each accessor is compared with what unittest.mock itself makes on this Python.


def _async_function(a: int, b: int = 1, *args: int, c: int = 0) -> None:
    pass


async def _coroutine_function(a: int, b: int = 1, *args: int, c: int = 0) -> None:
    pass


class _Spec:
    attribute = 1

    def method(self, x: int) -> None:
        pass

    async def coroutine(self, y: int) -> None:
        pass


def _without_code(mock: object) -> dict[str, object]:
    return {k: v for k, v in vars(mock).items() if k != "__code__"}


def test_init_async_mock_but_code_sets_what_async_mock_init_sets_but_code() -> None:
    from unittest import mock as um

    class Plain(um.AsyncMock):
        pass

    class Lazy(um.AsyncMock):
        def __init__(self, *args: object, **kwargs: object) -> None:
            _compat.init_async_mock_but_code(self, args, kwargs)

    for kwargs in ({}, {"spec": _coroutine_function}, {"return_value": 3, "name": "n"}):
        plain, lazy = Plain(**kwargs), Lazy(**kwargs)
        assert "__code__" in vars(plain) and "__code__" not in vars(lazy)
        expected, found = _without_code(plain), _without_code(lazy)
        assert sorted(found) == sorted(expected)
        for key, value in expected.items():
            if key in ("_mock_children", "_mock_wraps", "_mock_return_value", "method_calls",
                       "_mock_mock_calls", "_mock_call_args_list"):
                continue  # bookkeeping of its own per mock
            assert type(found[key]) is type(value), key
            assert found[key] == value, key
    assert Lazy(return_value=3).return_value == 3


def test_the_only_init_between_async_mock_and_its_magic_mixins_is_async_mock_mixin_s() -> None:
    # init_async_mock_but_code() skips exactly AsyncMockMixin.__init__.
    from unittest import mock as um

    mro = um.AsyncMock.__mro__
    first = next(klass for klass in mro if "__init__" in vars(klass))
    assert first is um.AsyncMockMixin
    assert mro.index(um.AsyncMockMixin) < mro.index(um.MagicMixin)


def test_new_code_mock_is_like_the_code_mock_of_an_async_mock() -> None:
    import types
    from unittest import mock as um

    model = um.AsyncMock().__code__
    made = _compat.new_code_mock()
    assert made is not _compat.new_code_mock()  # a new one each time
    assert isinstance(made, types.CodeType) and isinstance(made, um.NonCallableMock)
    for name in ("_spec_class", "_spec_set", "_spec_signature", "_mock_methods", "_spec_asyncs"):
        assert getattr(made, name) == getattr(model, name), name
    names = [name for name in dir(types.CodeType) if name.startswith("co_")]
    assert {n: vars(made).get(n) for n in names} == {n: vars(model).get(n) for n in names}
    assert made.co_flags & inspect.CO_COROUTINE
    with pytest.raises(AttributeError):
        made.not_a_code_attribute = 1  # spec_set, as unittest.mock's


@pytest.mark.parametrize("kind", ["Mock", "MagicMock", "NonCallableMock",
                                  "NonCallableMagicMock", "AsyncMock"])
@pytest.mark.parametrize("spec", [None, _Spec, _async_function, _coroutine_function,
                                  ["attribute", "__aenter__", "x"]])
def test_child_mock_class_is_the_class_unittest_mock_makes_the_child_in(
    kind: str, spec: object
) -> None:
    from unittest import mock as um

    klass = getattr(um, kind)
    names = ["x", "()", "method", "coroutine", "attribute", "__aenter__", "__aexit__",
             "__len__", "__enter__", "__aiter__", "__anext__", "__call__"]
    for sealed in (False, True):
        parent = klass(spec=spec)
        if sealed:
            um.seal(parent)
        for name in names:
            predicted = _compat.child_mock_class(parent, name)
            kw = {"name": name, "_new_name": name, "_new_parent": parent}
            try:
                child = parent._get_child_mock(**kw)
            except AttributeError:
                assert predicted is None, (name, sealed)
                continue
            assert predicted is not None, (name, sealed)
            made = type(child).__bases__
            assert made[-1] is predicted or made == (um.AsyncMockMixin, predicted), (name, made)


def test_autospec_coroutine_function_is_what_create_autospec_returns_around_its_mock() -> None:
    from unittest import mock as um

    expected = um.create_autospec(_coroutine_function)
    mock = um.AsyncMock(spec=_coroutine_function, parent=None, _new_parent=None,
                        _new_name="", name=None)
    made = _compat.autospec_coroutine_function(mock, _coroutine_function)
    assert type(made) is type(expected)
    assert made.mock is mock
    assert sorted(vars(made)) == sorted(vars(expected))
    assert inspect.signature(made) == inspect.signature(expected)
    assert made.__name__ == expected.__name__
    assert inspect.iscoroutinefunction(made) == inspect.iscoroutinefunction(expected)
    with pytest.raises(TypeError):
        asyncio.run(made(1, 2, 3, d=4))  # 3.13 makes an async def: it checks when awaited
    mock.return_value = 5
    assert asyncio.run(made(1)) == 5
    made.assert_awaited_once_with(1)
    with pytest.raises(AssertionError):
        made.assert_awaited_with(2)


@pytest.mark.parametrize("kind", ["Mock", "MagicMock", "NonCallableMock", "AsyncMock"])
def test_add_no_spec_records_what_mock_add_spec_records_for_no_spec(kind: str) -> None:
    from unittest import mock as um

    keys = ("_spec_class", "_spec_set", "_spec_signature", "_mock_methods", "_spec_asyncs")
    for spec_set in (None, False, True):
        expected = getattr(um, kind)(spec=_Spec)
        expected._mock_add_spec(None, spec_set)
        found = getattr(um, kind)(spec=_Spec)
        _compat.add_no_spec(found, spec_set)
        assert {k: vars(found)[k] for k in keys} == {k: vars(expected)[k] for k in keys}


def _magic_state(mock: object) -> dict[str, str]:
    from unittest import mock as um

    return {
        name: type(value).__name__
        for name, value in vars(type(mock)).items()
        if name in um._all_magics  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize("spec", [None, _Spec, ["__len__", "__aenter__", "x"], _async_function])
def test_set_magics_sets_and_removes_the_magics_mock_set_magics_does(spec: object) -> None:
    from unittest import mock as um

    class Cheap(um.MagicMock):
        def _mock_set_magics(self) -> None:
            _compat.set_magics(self)

    stdlib, cheap = um.MagicMock(spec=spec), Cheap(spec=spec)
    assert _magic_state(cheap) == _magic_state(stdlib)
    assert _magic_state(stdlib)  # not vacuous
    for mock in (stdlib, cheap):
        del mock.__iter__
        mock.mock_add_spec(None)  # puts back every magic method
    assert _magic_state(cheap) == _magic_state(stdlib)
    for mock in (stdlib, cheap):
        mock.mock_add_spec(["__len__"])
    assert _magic_state(cheap) == _magic_state(stdlib) != {}


def test_new_mock_with_magics_makes_a_class_of_its_own_with_every_magic_method() -> None:
    import contextlib
    from unittest import mock as um

    class Ours(um.AsyncMock):
        def __new__(cls, *args: object, **kwargs: object) -> object:
            return _compat.new_mock_with_magics(cls)

    first, second, stdlib = Ours(), Ours(), um.AsyncMock()
    assert type(first) is not type(second)
    assert type(first).__bases__ == (Ours,)
    assert type(first).__name__ == "Ours"
    assert set(_magic_state(first)) == set(_magic_state(stdlib))
    # Each magic method is made for the mock it is read from, on first use.
    assert len(first) == 0 and iter(second) is not None
    assert first.__len__ is not second.__len__
    assert first.__len__.call_count == 1 and second.__len__.call_count == 0
    first.__len__.return_value = 3
    assert len(first) == 3 and len(second) == 0
    # Read off the class, as contextlib and unittest do for __enter__/__aenter__.
    with contextlib.ExitStack() as stack:
        assert stack.enter_context(first) is first.__enter__.return_value
    assert "__enter__" in first._mock_children
    # Deleted, then gone, as for unittest.mock's (used before or not).
    for mock in (first, second, Ours()):
        del mock.__len__
        with pytest.raises(TypeError):
            len(mock)
        assert not hasattr(mock, "__len__")


def test_new_mock_with_magics_with_a_spec_keeps_only_the_spec_s_magics() -> None:
    from unittest import mock as um

    class Ours(um.AsyncMock):
        def __new__(cls, *args: object, **kwargs: object) -> object:
            return _compat.new_mock_with_magics(cls)

    ours, stdlib = Ours(spec=_coroutine_function), um.AsyncMock(spec=_coroutine_function)
    assert set(_magic_state(ours)) == set(_magic_state(stdlib))
    with pytest.raises(TypeError):
        len(ours)


# -- a closed loop's selector and wake-up pair, kept for the next loop ----------------

def _open_plain_loop() -> tuple[asyncio.AbstractEventLoop, object, object]:
    opened = _compat.open_selector_loop(lambda real: real)
    assert opened is not None
    return opened


def _close_plain_loop(loop: asyncio.AbstractEventLoop, saved: object) -> None:
    _compat.close_selector_loop(loop, _compat.loop_selector(loop))
    _compat.restore_global_state(saved)  # type: ignore[arg-type]


@pytest.fixture
def no_spares():  # type: ignore[no-untyped-def]
    saved_policy = _compat.installed_policy()
    _compat.install_policy(None)
    _compat._close_spares()
    yield
    _compat._close_spares()
    _compat.install_policy(saved_policy)


def test_the_next_loop_reuses_the_pair_and_wakes_from_another_thread(no_spares) -> None:
    import threading

    first, real, saved = _open_plain_loop()
    pair = first._ssock, first._csock  # type: ignore[attr-defined]
    _close_plain_loop(first, saved)
    assert first.is_closed()
    assert first._ssock is None and first._csock is None  # type: ignore[attr-defined]
    assert pair[0].fileno() != -1  # kept open

    second, real2, saved = _open_plain_loop()
    try:
        assert real2 is real
        assert (second._ssock, second._csock) == pair  # type: ignore[attr-defined]
        assert len(real.get_map()) == 1  # type: ignore[attr-defined]
        # Woken from another thread through the reused pair while it blocks.
        done = second.create_future()
        threading.Timer(0.05, second.call_soon_threadsafe, (done.set_result, "woken")).start()
        assert second.run_until_complete(asyncio.wait_for(done, 5)) == "woken"
        # The first loop, closed, cannot reach the second one's pair.
        with pytest.raises(RuntimeError, match="closed"):
            first.call_soon_threadsafe(print)
    finally:
        _close_plain_loop(second, saved)


def test_a_loop_with_a_leftover_reader_closes_its_pair_and_selector(no_spares) -> None:
    import socket

    loop, real, saved = _open_plain_loop()
    ssock = loop._ssock  # type: ignore[attr-defined]
    a, b = socket.socketpair()
    try:
        loop.add_reader(a, print)  # left registered
        _close_plain_loop(loop, saved)
        assert ssock.fileno() == -1  # closed with the loop
        assert real.get_map() is None  # type: ignore[attr-defined]  (a closed selector)
        assert not _compat._spares
    finally:
        a.close()
        b.close()


def test_a_loop_with_a_signal_handler_is_closed_whole(no_spares) -> None:
    import signal

    loop, real, saved = _open_plain_loop()
    ssock = loop._ssock  # type: ignore[attr-defined]
    loop.add_signal_handler(signal.SIGUSR1, print)
    _close_plain_loop(loop, saved)
    assert ssock.fileno() == -1
    assert not _compat._spares
    assert signal.set_wakeup_fd(-1) == -1  # the loop's close removed its wake-up fd


def test_at_most_two_pairs_are_kept(no_spares) -> None:
    opened = [_open_plain_loop() for _ in range(3)]
    for loop, _real, saved in reversed(opened):
        _close_plain_loop(loop, saved)
    assert len(_compat._spares) == 2
    kept = {s[1].fileno() for s in _compat._spares}
    assert all(fd != -1 for fd in kept)
