"""The task-stack report: where every pending task waits, on every supported Python."""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
import sys
import textwrap
import types
from collections.abc import Coroutine
from typing import Any, Callable

import pytest
from _support import clean_environment

from asynctest._engine import report

Scenario = Callable[[], Coroutine[Any, Any, Any]]


def snapshot(scenario: Scenario, debug: bool = False) -> tuple[str, list[str]]:
    """Run ``scenario()`` as a task until everything waits; the report and one line per task.

    Every task left is cancelled and the loop closed before returning.
    """
    loop = asyncio.new_event_loop()
    loop.set_debug(debug)

    async def drive() -> tuple[str, list[str]]:
        asyncio.ensure_future(scenario())
        for _ in range(10):
            await asyncio.sleep(0)
        tasks = report.pending_tasks(loop, exclude=[asyncio.current_task()])
        text = report.format_tasks(tasks)
        lines = [report.describe_task(task) for task in tasks]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return text, lines

    try:
        return loop.run_until_complete(drive())
    finally:
        loop.close()


def text_of(scenario: Scenario, debug: bool = False) -> str:
    return snapshot(scenario, debug)[0]


def blocks(text: str) -> list[str]:
    return text.split("\n\n")


# -- one task, one wait ----------------------------------------------------------------


def test_a_task_waiting_on_an_event_shows_its_await_line() -> None:
    async def waiter() -> None:
        await asyncio.Event().wait()

    text = text_of(waiter)
    assert "Task 'Task-" in text and "waiter()" in text
    assert "test_report.py:" in text
    assert "in waiter" in text and "`await asyncio.Event().wait()`" in text
    assert "waits for <Future pending>" in text


def test_a_task_waiting_on_a_queue_shows_its_await_line() -> None:
    async def consumer() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        await queue.get()

    text = text_of(consumer)
    assert "`await queue.get()`" in text
    assert "... 1 frame in asyncio" in text


def test_a_task_waiting_on_a_lock_shows_its_await_line() -> None:
    async def scenario() -> None:
        lock = asyncio.Lock()
        await lock.acquire()
        await asyncio.ensure_future(blocked(lock))

    async def blocked(lock: asyncio.Lock) -> None:
        async with lock:
            pass

    text = text_of(scenario)
    assert "in blocked" in text and "`async with lock:`" in text


def test_a_plain_future_nobody_resolves_is_named() -> None:
    async def forgotten() -> None:
        future = asyncio.get_running_loop().create_future()
        await future

    text = text_of(forgotten)
    assert "`await future`" in text
    assert "waits for <Future pending>" in text


def test_a_sleep_says_when_its_timer_is_due() -> None:
    async def sleeper() -> None:
        await asyncio.sleep(3600)

    text = text_of(sleeper)
    assert "`await asyncio.sleep(3600)`" in text
    assert "which a timer completes in 3600 s" in text


def test_the_chain_follows_awaited_coroutines_outermost_first() -> None:
    async def outer() -> None:
        await middle()

    async def middle() -> None:
        await inner()

    async def inner() -> None:
        await asyncio.Event().wait()

    text = text_of(outer)
    positions = [text.index(f"`await {name}()`") for name in ("middle", "inner")]
    assert positions == sorted(positions)
    assert text.index("`await inner()`") < text.index("`await asyncio.Event().wait()`")


def test_the_chain_follows_a_generator_based_awaitable() -> None:
    class Ready:
        def __init__(self, future: asyncio.Future[None]) -> None:
            self.future = future

        def __await__(self) -> Any:
            yield from self.future  # the generator's own await line

    async def scenario() -> None:
        await Ready(asyncio.get_running_loop().create_future())

    text = text_of(scenario)
    assert "`await Ready(asyncio.get_running_loop().create_future())`" in text
    assert "in Ready.__await__" in text or "in __await__" in text
    assert "`yield from self.future  # the generator's own await line`" in text


def test_the_chain_follows_an_async_generator_driven_by_async_for() -> None:
    async def numbers() -> Any:
        await asyncio.Event().wait()
        yield 1

    async def scenario() -> None:
        async for _ in numbers():
            pass

    text = text_of(scenario)
    assert "`async for _ in numbers():`" in text
    assert "in numbers" in text and "`await asyncio.Event().wait()`" in text


def test_the_chain_follows_an_async_generator_driven_by_asend() -> None:
    async def numbers() -> Any:
        yield 1
        await asyncio.Event().wait()

    async def scenario() -> None:
        generator = numbers()
        await generator.asend(None)
        await generator.asend(None)

    text = text_of(scenario)
    assert "`await generator.asend(None)`" in text
    assert "`await asyncio.Event().wait()`" in text


def test_a_task_that_has_not_started_says_so() -> None:
    async def late() -> None:
        await asyncio.sleep(1)

    loop = asyncio.new_event_loop()
    task = loop.create_task(late())
    try:
        assert report.format_task(task).splitlines()[0].endswith("late(): not started")
        assert report.describe_task(task).endswith("late() not started>")
    finally:
        task.cancel()
        loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
        loop.close()


def test_a_task_scheduled_to_resume_says_so() -> None:
    async def busy() -> None:
        while True:
            await asyncio.sleep(0)

    async def scenario() -> str:
        task = asyncio.ensure_future(busy())
        await asyncio.sleep(0)
        text = report.format_task(task)
        task.cancel()
        return text

    loop = asyncio.new_event_loop()
    try:
        text = loop.run_until_complete(scenario())
    finally:
        loop.close()
    assert "`await asyncio.sleep(0)`" in text
    assert text.endswith("scheduled to resume")


def test_done_tasks_say_how_they_ended() -> None:
    async def fine() -> int:
        return 1

    async def broken() -> None:
        raise ValueError("boom")

    loop = asyncio.new_event_loop()
    try:
        done, failed, cancelled = (loop.create_task(c) for c in (fine(), broken(), fine()))
        cancelled.cancel()
        loop.run_until_complete(asyncio.wait([done, failed, cancelled]))
        first_line = "fine(): done", "broken(): failed with ValueError('boom')"
        assert report.format_task(done).splitlines()[0].endswith(first_line[0])
        assert report.format_task(failed).splitlines()[0].endswith(first_line[1])
        assert report.describe_task(cancelled).endswith("fine() cancelled>")
        failed.exception()  # retrieved here: the report must not have done it for us
    finally:
        loop.close()


def test_where_a_task_was_created_is_shown_in_debug_mode() -> None:
    async def waiter() -> None:
        await asyncio.Event().wait()

    async def scenario() -> None:
        await asyncio.ensure_future(waiter())  # the creation line

    text = text_of(scenario, debug=True)
    assert "created at " in text and "in scenario" in text


def test_the_one_line_description_names_the_innermost_await_of_user_code() -> None:
    async def consumer() -> None:
        await asyncio.Queue().get()

    (line,) = snapshot(consumer)[1]
    assert line.startswith("<Task 'Task-") and "consumer() waiting at " in line
    assert "test_report.py:" in line and line.endswith("`await asyncio.Queue().get()`>")


# -- folding -------------------------------------------------------------------------------


def test_asyncio_frames_are_folded_into_one_line_naming_the_function() -> None:
    async def consumer() -> None:
        await asyncio.wait_for(asyncio.Queue().get(), 3600)

    text = text_of(consumer)
    assert "asyncio" + ("/" if sys.platform != "win32" else "\\") not in text
    fold = [line for line in text.splitlines() if "in asyncio" in line]
    assert fold and all(line.strip().startswith("... ") for line in fold)
    assert "get" in text.splitlines()[-2] or "get" in fold[-1]


def test_standard_library_frames_between_user_frames_are_folded() -> None:
    @contextlib.asynccontextmanager
    async def opened() -> Any:
        await asyncio.Event().wait()
        yield

    async def scenario() -> None:
        async with opened():
            pass

    text = text_of(scenario)
    assert "`async with opened():`" in text
    assert "in contextlib (" in text
    assert text.index("in contextlib") < text.index("`await asyncio.Event().wait()`")


def test_a_long_source_line_is_shortened() -> None:
    async def scenario() -> None:
        await asyncio.Event().wait()  # a comment long enough to pass the report's limit

    text = text_of(scenario)
    assert "`await asyncio.Event().wait()  # a comment long enough" in text
    (shown,) = [line.split("`")[1] for line in text.splitlines() if "a comment" in line]
    assert shown.endswith("...") and len(shown) == report._MAX_SOURCE


# -- tasks waiting for tasks ----------------------------------------------------------------


def test_a_task_awaiting_another_task_shows_it_nested_once() -> None:
    async def inner() -> None:
        await asyncio.Event().wait()

    async def outer() -> None:
        await asyncio.ensure_future(inner())

    text, lines = snapshot(outer)
    assert len(blocks(text)) == 1
    assert "\n  waits for Task 'Task-" in text and " inner()" in text
    assert re.search(r"\n    \S*test_report.py:\d+ in inner", text)  # one level deeper
    assert text.count("`await asyncio.Event().wait()`") == 1
    assert "for Task 'Task-" in lines[0]


def test_two_tasks_awaiting_each_other_end_and_say_it_is_a_cycle() -> None:
    # Such tasks can be neither cancelled (cancel() recurses) nor finished:
    # the scenario runs in a subprocess, which leaves without closing its loop.
    script = textwrap.dedent("""
        import asyncio, os, sys
        from asynctest._engine import report

        async def main():
            loop = asyncio.get_running_loop()
            later = loop.create_future()

            async def first():
                await second_task

            async def second():
                await (await later)

            second_task = asyncio.ensure_future(second())
            later.set_result(asyncio.ensure_future(first()))
            for _ in range(5):
                await asyncio.sleep(0)
            tasks = report.pending_tasks(loop, exclude=[asyncio.current_task()])
            print(report.format_tasks(tasks))
            print(report.describe_task(tasks[0]))
            sys.stdout.flush()
            os._exit(0)

        asyncio.run(main())
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
        env=clean_environment(),
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "a cycle, these tasks wait for each other" in text
    assert "first()" in text and "second()" in text
    assert len(text) < 2000


def test_gather_shows_each_pending_child() -> None:
    async def child(n: int) -> None:
        await asyncio.sleep(3600 + n)

    async def parent() -> None:
        await asyncio.gather(child(1), child(2))

    text = text_of(parent)
    assert len(blocks(text)) == 1
    assert text.count("waits for Task ") == 2
    assert "3601 s" in text and "3602 s" in text


def test_shield_shows_the_shielded_task() -> None:
    async def precious() -> None:
        await asyncio.Event().wait()

    async def parent() -> None:
        await asyncio.shield(precious())

    text = text_of(parent)
    assert len(blocks(text)) == 1
    assert "waits for Task " in text and "precious()" in text


def test_wait_for_shows_the_awaited_task() -> None:
    async def slow() -> None:
        await asyncio.Event().wait()

    async def parent() -> None:
        await asyncio.wait_for(asyncio.ensure_future(slow()), 3600)

    text = text_of(parent)
    assert len(blocks(text)) == 1
    assert "waits for Task " in text and "slow()" in text
    assert "wait_for" in text


def test_wait_for_of_a_coroutine_shows_its_frames() -> None:
    async def slow() -> None:
        await asyncio.Event().wait()

    async def parent() -> None:
        await asyncio.wait_for(slow(), 3600)

    text = text_of(parent)
    assert "in slow" in text and "`await asyncio.Event().wait()`" in text


def test_asyncio_wait_shows_each_pending_task() -> None:
    async def slow(n: int) -> None:
        await asyncio.sleep(3600 + n)

    async def parent() -> None:
        await asyncio.wait([asyncio.ensure_future(slow(n)) for n in (1, 2)])

    text = text_of(parent)
    assert len(blocks(text)) == 1
    assert text.count("waits for Task ") == 2


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup is new in 3.11")
def test_a_task_group_shows_its_child_tasks() -> None:
    async def child(n: int) -> None:
        await asyncio.sleep(3600 + n)

    async def parent() -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(child(1))
            group.create_task(child(2))

    text = text_of(parent)
    assert len(blocks(text)) == 1
    assert "in parent: `async with asyncio.TaskGroup() as group:`" in text
    assert text.count("waits for Task ") == 2


def test_a_task_awaited_by_two_tasks_is_shown_once() -> None:
    async def shared() -> None:
        await asyncio.Event().wait()

    async def scenario() -> None:
        task = asyncio.ensure_future(shared())
        await asyncio.gather(waiter(task), waiter(task))

    async def waiter(task: asyncio.Task[None]) -> None:
        await task

    text = text_of(scenario)
    assert text.count("`await asyncio.Event().wait()`") == 1
    assert ", shown above" in text


# -- never raising, always bounded -------------------------------------------------------


class _Weird(Coroutine[Any, Any, Any]):
    """A coroutine-like object whose every attribute the report reads is broken."""

    def send(self, value: Any) -> Any:
        return None

    def throw(self, *args: Any) -> Any:
        raise asyncio.CancelledError

    def close(self) -> None:
        pass

    def __await__(self) -> Any:
        return self

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"no {name} here")

    def __repr__(self) -> str:
        raise RuntimeError("no repr either")


def test_a_task_whose_coroutine_is_a_weird_object_gives_a_line_not_an_exception() -> None:
    loop = asyncio.new_event_loop()
    try:
        task = loop.create_task(_Weird())
        assert isinstance(report.describe_task(task), str)
        assert "Task 'Task-" in report.format_task(task)
        assert isinstance(report.format_tasks([task]), str)
        task.cancel()
        loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
    finally:
        loop.close()


@pytest.mark.parametrize("thing", [None, object(), 42, types.SimpleNamespace(get_name=None)])
def test_something_that_is_not_a_task_gives_a_line_not_an_exception(thing: Any) -> None:
    assert "cannot tell where it waits" in report.describe_task(thing)
    assert "cannot tell where it waits" in report.format_task(thing)
    assert "cannot tell where it waits" in report.format_tasks([thing])


def test_no_task_gives_an_empty_report() -> None:
    assert report.format_tasks([]) == ""


def test_many_tasks_are_capped_with_a_count_of_the_rest() -> None:
    async def scenario() -> None:
        for _ in range(40):
            asyncio.ensure_future(asyncio.Event().wait())
        await asyncio.Event().wait()

    text = text_of(scenario)
    assert len(blocks(text)) == report._MAX_TASKS + 1
    assert blocks(text)[-1] == f"... {41 - report._MAX_TASKS} more tasks not shown"


def test_a_deep_chain_keeps_the_outermost_and_innermost_lines() -> None:
    async def down(n: int) -> None:
        if n:
            await down(n - 1)
        else:
            await asyncio.Event().wait()

    async def scenario() -> None:
        await down(50)

    text = text_of(scenario)
    assert "`await down(50)`" in text
    assert "more lines" in text
    assert "`await asyncio.Event().wait()`" in text
    assert len(text.splitlines()) < 20


def test_a_long_line_of_tasks_awaiting_tasks_is_cut_and_says_so() -> None:
    async def link(n: int) -> None:
        if n:
            await asyncio.ensure_future(link(n - 1))
        else:
            await asyncio.Event().wait()

    text = text_of(lambda: link(20))
    assert "(not shown: the report is too long)" in text
    indents = [len(line) - len(line.lstrip()) for line in text.splitlines()]
    assert max(indents) <= 2 * report._MAX_DEPTH + 2


# -- pending_tasks ---------------------------------------------------------------------------


def test_pending_tasks_lists_default_named_tasks_in_creation_order_then_named_ones() -> None:
    async def scenario() -> list[str]:
        made = [asyncio.ensure_future(asyncio.Event().wait()) for _ in range(12)]
        named = asyncio.get_running_loop().create_task(asyncio.Event().wait(), name="b-named")
        other = asyncio.get_running_loop().create_task(asyncio.Event().wait(), name="a-named")
        await asyncio.sleep(0)
        found = report.pending_tasks(asyncio.get_running_loop(), exclude=[asyncio.current_task()])
        assert found == [*made, other, named]
        for task in found:
            task.cancel()
        await asyncio.gather(*found, return_exceptions=True)
        return [task.get_name() for task in found]

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()


def test_pending_tasks_leaves_out_excluded_and_done_tasks() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        done = asyncio.ensure_future(asyncio.sleep(0))
        waiting = asyncio.ensure_future(asyncio.Event().wait())
        await done
        assert report.pending_tasks(loop, exclude=[asyncio.current_task()]) == [waiting]
        assert report.pending_tasks(loop, exclude=[asyncio.current_task(), waiting]) == []
        waiting.cancel()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
