"""scope=LIMITED: patched only while the decorated coroutine or generator runs."""

from __future__ import annotations

import asyncio

import mock_targets as targets
import pytest

import asynctest.mock as am


def run(coro):  # type: ignore[no-untyped-def]
    async def bounded():  # type: ignore[no-untyped-def]
        return await asyncio.wait_for(coro, timeout=5)

    return asyncio.run(bounded())


def test_limited_patch_is_off_while_the_coroutine_is_suspended() -> None:
    seen: list[object] = []

    # Events, not sleeps: the order holds however slow the machine is (made
    # in the loop: on 3.9 an event binds the loop current when it is made).
    suspended: asyncio.Event
    observed: asyncio.Event

    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    async def patched() -> None:
        seen.append(("inside", targets.value))
        suspended.set()
        await observed.wait()
        seen.append(("inside", targets.value))

    async def observer() -> None:
        await suspended.wait()
        seen.append(("outside", targets.value))
        observed.set()

    async def scenario() -> None:
        nonlocal suspended, observed
        suspended, observed = asyncio.Event(), asyncio.Event()
        await asyncio.gather(patched(), observer())

    run(scenario())
    assert seen == [("inside", "patched"), ("outside", "original"), ("inside", "patched")]
    assert targets.value == "original"


def test_two_interleaving_tasks_each_see_their_own_mock() -> None:
    @am.patch("mock_targets.fetch", scope=am.LIMITED)
    async def use(mock: am.CoroutineMock, tag: str) -> list[bool]:
        mock.return_value = tag
        checks = []
        for _ in range(5):
            checks.append(targets.fetch is mock and await targets.fetch() == tag)
            await asyncio.sleep(0)
        return checks

    async def scenario() -> list[list[bool]]:
        return list(await asyncio.gather(use(tag="a"), use(tag="b")))

    assert run(scenario()) == [[True] * 5, [True] * 5]
    assert not isinstance(targets.fetch, am.CoroutineMock)


def test_limited_patch_object_and_multiple_switch_too() -> None:
    outside: list[object] = []

    @am.patch.object(targets, "value", "object", scope=am.LIMITED)
    @am.patch.multiple(targets, compute=am.DEFAULT, scope=am.LIMITED)
    async def use(compute: am.MagicMock) -> None:
        assert targets.value == "object" and targets.compute is compute
        await asyncio.sleep(0.01)
        assert targets.value == "object" and targets.compute is compute

    async def observer() -> None:
        await asyncio.sleep(0.005)
        outside.append((targets.value, targets.compute()))

    async def scenario() -> None:
        await asyncio.gather(use(), observer())

    run(scenario())
    assert outside == [("original", "real")]


def test_limited_patch_dict_keeps_the_coroutine_changes_across_suspensions() -> None:
    outside: list[dict[str, str]] = []

    @am.patch.dict(targets.settings, {"mode": "fake"}, scope=am.LIMITED)
    async def use() -> dict[str, str]:
        targets.settings["added"] = "by coroutine"
        await asyncio.sleep(0.01)
        return dict(targets.settings)

    async def observer() -> None:
        await asyncio.sleep(0.005)
        outside.append(dict(targets.settings))

    async def scenario() -> dict[str, str]:
        inside, _ = await asyncio.gather(use(), observer())
        return inside  # type: ignore[no-any-return]

    assert run(scenario()) == {"mode": "fake", "added": "by coroutine"}
    assert outside == [{"mode": "real"}]
    assert targets.settings == {"mode": "real"}


def test_limited_patch_is_restored_when_the_coroutine_raises() -> None:
    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    async def fail() -> None:
        await asyncio.sleep(0)
        assert targets.value == "patched"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run(fail())
    assert targets.value == "original"


def test_limited_patch_is_on_while_handling_cancellation_and_off_after() -> None:
    during_cancel: list[object] = []

    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    async def forever() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            during_cancel.append(targets.value)
            raise

    async def scenario() -> None:
        task = asyncio.ensure_future(forever())
        await asyncio.sleep(0)
        assert targets.value == "original"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(scenario())
    assert during_cancel == ["patched"]
    assert targets.value == "original"


def test_limited_patch_is_on_in_finally_when_closed_without_finishing() -> None:
    in_finally: list[object] = []

    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    async def suspended() -> None:
        try:
            await asyncio.sleep(0)
        finally:
            in_finally.append(targets.value)

    coroutine = suspended()
    coroutine.send(None)  # runs up to the sleep's suspension
    assert targets.value == "original"
    coroutine.close()
    assert in_finally == ["patched"]
    assert targets.value == "original"


class _Suspend:
    def __await__(self):  # type: ignore[no-untyped-def]
        yield


def test_limited_exception_thrown_in_is_seen_with_the_patch_on() -> None:
    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    async def catcher() -> object:
        try:
            await _Suspend()
        except KeyError:
            return targets.value
        return None

    coroutine = catcher()
    coroutine.send(None)
    with pytest.raises(StopIteration) as stopped:
        coroutine.throw(KeyError("k"))
    assert stopped.value.value == "patched"
    assert targets.value == "original"


def test_limited_generator_is_patched_only_between_its_yields() -> None:
    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    def produce() -> object:
        received = yield targets.value
        yield (received, targets.value)

    gen = produce()
    assert next(gen) == "patched"
    assert targets.value == "original"
    assert gen.send("x") == ("x", "patched")
    assert targets.value == "original"
    gen.close()


def test_limited_async_generator_is_patched_only_while_running() -> None:
    outside: list[object] = []

    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    async def produce() -> object:
        yield targets.value
        await asyncio.sleep(0.01)
        yield targets.value

    async def observer() -> None:
        await asyncio.sleep(0.005)
        outside.append(targets.value)

    async def consume() -> list[object]:
        items = []
        async for item in produce():
            outside.append(targets.value)
            items.append(item)
        return items

    async def scenario() -> list[object]:
        items, _ = await asyncio.gather(consume(), observer())
        return items  # type: ignore[no-any-return]

    assert run(scenario()) == ["patched", "patched"]
    assert outside == ["original", "original", "original"]


def test_limited_mocks_are_made_once_per_call() -> None:
    @am.patch("mock_targets.compute", scope=am.LIMITED)
    async def use(mock: am.MagicMock) -> bool:
        first = targets.compute
        await asyncio.sleep(0)
        return first is targets.compute is mock

    assert run(use())


def test_limited_patch_on_a_plain_function_patches_the_whole_call() -> None:
    # asynctest 0.13 accepted this: a plain function never suspends, so
    # "while it runs" is the whole call.
    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    def plain() -> object:
        return targets.value

    @am.patch.object(targets, "compute", scope=am.LIMITED)
    def plain_with_mock(mock: am.MagicMock) -> object:
        return targets.compute is mock

    assert plain() == "patched"
    assert plain_with_mock() is True
    assert targets.value == "original"
    assert targets.compute() == "real"


def test_limited_patch_as_context_manager_patches_the_block() -> None:
    with am.patch("mock_targets.value", "patched", scope=am.LIMITED):
        assert targets.value == "patched"
    assert targets.value == "original"
    with am.patch.dict(targets.settings, {"mode": "fake"}, scope=am.LIMITED):
        assert targets.settings == {"mode": "fake"}
    assert targets.settings == {"mode": "real"}


def test_limited_patch_started_stays_until_stopped() -> None:
    patcher = am.patch.object(targets, "value", "patched", scope=am.LIMITED)
    patcher.start()
    try:
        assert targets.value == "patched"
    finally:
        patcher.stop()
    assert targets.value == "original"


def test_limited_patch_on_a_plain_function_still_rejects_a_bad_scope() -> None:
    with pytest.raises(ValueError, match="GLOBAL or asynctest.LIMITED, got 'limited'"):
        am.patch("mock_targets.value", scope="limited")


def test_limited_class_decorator_patches_plain_methods_for_their_call() -> None:
    @am.patch("mock_targets.value", "patched", scope=am.LIMITED)
    class Holder:
        def test_plain(self) -> object:
            return targets.value

        async def test_coroutine(self) -> object:
            await asyncio.sleep(0)
            return targets.value

    assert Holder().test_plain() == "patched"
    assert run(Holder().test_coroutine()) == "patched"


def test_scope_constants_are_distinct_and_named() -> None:
    assert am.GLOBAL is not am.LIMITED
    assert repr(am.GLOBAL) == "asynctest.GLOBAL"
    assert repr(am.LIMITED) == "asynctest.LIMITED"
