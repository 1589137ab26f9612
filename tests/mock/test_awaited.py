"""CoroutineMock.awaited: truthiness, wait, wait_next, wait_for, on any loop."""

from __future__ import annotations

import asyncio
import threading
import unittest

import pytest

import asynctest.mock as am


def run(coro):  # type: ignore[no-untyped-def]
    async def bounded():  # type: ignore[no-untyped-def]
        return await asyncio.wait_for(coro, timeout=5)

    return asyncio.run(bounded())


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_awaited_is_falsy_before_and_truthy_after_the_first_await() -> None:
    mock = am.CoroutineMock()
    assert not mock.awaited
    coroutine = mock()
    assert not mock.awaited  # called, not awaited yet
    run(coroutine)
    assert mock.awaited


def test_awaited_is_falsy_again_after_reset_mock() -> None:
    mock = am.CoroutineMock()
    run(mock())
    mock.reset_mock()
    assert not mock.awaited


def test_wait_returns_at_once_when_already_awaited() -> None:
    mock = am.CoroutineMock()
    run(mock())

    async def scenario() -> object:
        return await mock.awaited.wait()

    assert run(scenario()) is True


def test_wait_returns_once_the_mock_is_awaited() -> None:
    mock = am.CoroutineMock()

    async def scenario() -> list[str]:
        events: list[str] = []

        async def waiter() -> None:
            await mock.awaited.wait()
            events.append("woken")

        task = asyncio.ensure_future(waiter())
        await settle()
        events.append("before await")
        await mock()
        await asyncio.wait_for(task, 1)
        return events

    assert run(scenario()) == ["before await", "woken"]


def test_wait_with_skip_needs_more_than_skip_awaits_in_total() -> None:
    mock = am.CoroutineMock()

    async def scenario() -> list[int]:
        seen: list[int] = []

        async def waiter() -> None:
            await mock.awaited.wait(skip=2)
            seen.append(mock.await_count)

        task = asyncio.ensure_future(waiter())
        for _ in range(3):
            await settle()
            assert not seen
            await mock()
        await asyncio.wait_for(task, 1)
        return seen

    assert run(scenario()) == [3]


def test_wait_next_ignores_awaits_before_the_call() -> None:
    mock = am.CoroutineMock()

    async def scenario() -> bool:
        await mock()
        task = asyncio.ensure_future(mock.awaited.wait_next())
        await settle()
        assert not task.done()
        await mock()
        await asyncio.wait_for(task, 1)
        return mock.await_count == 2

    assert run(scenario())


def test_wait_next_with_skip_waits_for_the_skip_plus_first_await() -> None:
    mock = am.CoroutineMock()

    async def scenario() -> int:
        task = asyncio.ensure_future(mock.awaited.wait_next(skip=1))
        await settle()
        await mock()
        await settle()
        assert not task.done()
        await mock()
        await asyncio.wait_for(task, 1)
        return mock.await_count

    assert run(scenario()) == 2


def test_wait_for_returns_the_predicate_result_once_true() -> None:
    mock = am.CoroutineMock()

    async def scenario() -> object:
        task = asyncio.ensure_future(
            mock.awaited.wait_for(lambda m: m.await_args == am.call("b") and "matched")
        )
        await mock("a")
        await settle()
        assert not task.done()
        await mock("b")
        return await asyncio.wait_for(task, 1)

    assert run(scenario()) == "matched"


def test_wait_for_exception_raised_by_the_predicate_reaches_the_waiter() -> None:
    mock = am.CoroutineMock()

    def predicate(m: am.CoroutineMock) -> bool:
        if m.await_count:
            raise LookupError("predicate failed")
        return False

    async def scenario() -> None:
        task = asyncio.ensure_future(mock.awaited.wait_for(predicate))
        await settle()
        await mock()
        await asyncio.wait_for(task, 1)

    with pytest.raises(LookupError, match="predicate failed"):
        run(scenario())


def test_wait_for_rejects_a_predicate_that_is_not_callable() -> None:
    with pytest.raises(TypeError, match="callable"):
        run(am.CoroutineMock().awaited.wait_for(3))  # type: ignore[arg-type]


@pytest.mark.parametrize("skip", [-1, 1.5, "1", True])
def test_wait_rejects_a_bad_skip(skip: object) -> None:
    mock = am.CoroutineMock()
    with pytest.raises(ValueError, match=repr(skip).replace("(", r"\(")):
        run(mock.awaited.wait(skip))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="int >= 0"):
        run(mock.awaited.wait_next(skip))  # type: ignore[arg-type]


def test_waiters_are_woken_when_the_await_raises() -> None:
    mock = am.CoroutineMock(side_effect=OSError)

    async def scenario() -> bool:
        task = asyncio.ensure_future(mock.awaited.wait())
        await settle()
        with pytest.raises(OSError):
            await mock()
        return await asyncio.wait_for(task, 1)

    assert run(scenario()) is True


def test_waiters_are_woken_when_the_await_ends_not_when_it_starts() -> None:
    release = None

    async def slow() -> str:
        await release.wait()  # type: ignore[union-attr]
        return "done"

    mock = am.CoroutineMock(side_effect=slow)

    async def scenario() -> None:
        nonlocal release
        release = asyncio.Event()
        waiter = asyncio.ensure_future(mock.awaited.wait())
        call = asyncio.ensure_future(mock())
        await settle()
        assert not waiter.done()
        release.set()
        assert await asyncio.wait_for(call, 1) == "done"
        await asyncio.wait_for(waiter, 1)

    run(scenario())


def test_cancelled_waiter_leaves_nothing_behind() -> None:
    mock = am.CoroutineMock()

    async def scenario() -> None:
        task = asyncio.ensure_future(mock.awaited.wait())
        await settle()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert mock.awaited._waiters == []
        await mock()

    run(scenario())


def test_a_mock_awaited_in_another_thread_wakes_a_waiter() -> None:
    mock = am.CoroutineMock()

    async def scenario() -> bool:
        task = asyncio.ensure_future(mock.awaited.wait())
        await settle()
        thread = threading.Thread(target=asyncio.run, args=(mock(),))
        thread.start()
        try:
            return await asyncio.wait_for(task, 2)
        finally:
            thread.join(5)

    assert run(scenario()) is True


def test_one_mock_shared_by_tests_each_with_its_own_loop() -> None:
    shared = am.CoroutineMock(return_value="ok")
    loops: list[asyncio.AbstractEventLoop] = []

    class Shared(unittest.IsolatedAsyncioTestCase):
        async def _use_the_shared_mock(self) -> None:
            loops.append(asyncio.get_running_loop())
            before = shared.await_count
            waiter = asyncio.ensure_future(shared.awaited.wait_next())
            await asyncio.sleep(0)
            self.assertEqual(await shared(), "ok")
            await asyncio.wait_for(waiter, 1)
            await asyncio.wait_for(shared.awaited.wait(skip=before), 1)
            await asyncio.wait_for(
                shared.awaited.wait_for(lambda m: m.await_count > before), 1
            )
            self.assertTrue(shared.awaited)

        test_1 = test_2 = test_3 = _use_the_shared_mock

    # A waiter left behind on a loop closed without cancelling it (an earlier
    # test's) must neither break the next tests nor be kept.
    stale_loop = asyncio.new_event_loop()
    stale = stale_loop.create_future()
    shared.awaited._waiters.append(stale)
    stale_loop.close()

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Shared).run(result)
    assert result.errors == [] and result.failures == []
    assert result.testsRun == 3
    assert len({id(loop) for loop in loops}) == 3
    assert shared.await_count == 3
    assert stale not in shared.awaited._waiters
