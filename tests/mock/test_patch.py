"""patch, patch.object, patch.multiple, patch.dict: decorators, context managers, GLOBAL scope."""

from __future__ import annotations

import asyncio
import inspect
import unittest

import mock_targets as targets
import pytest

import asynctest.mock as am


def run(coro):  # type: ignore[no-untyped-def]
    async def bounded():  # type: ignore[no-untyped-def]
        return await asyncio.wait_for(coro, timeout=5)

    return asyncio.run(bounded())


def test_patch_context_manager_gives_an_asynctest_mock_and_restores() -> None:
    with am.patch("mock_targets.compute") as mock:
        assert targets.compute is mock
        assert isinstance(mock, am.MagicMock)
    assert targets.compute() == "real"


def test_patch_of_a_coroutine_function_gives_a_coroutine_mock() -> None:
    with am.patch("mock_targets.fetch") as mock:
        assert isinstance(mock, am.CoroutineMock)
    with am.patch.object(targets.Service, "load") as mock:
        assert isinstance(mock, am.CoroutineMock)


def test_patch_with_autospec_gives_asynctest_mocks() -> None:
    with am.patch("mock_targets.Service", autospec=True) as mock:
        assert isinstance(mock, am.MagicMock)
        assert isinstance(targets.Service().load, am.CoroutineMock)


def test_patch_with_new_installs_that_object() -> None:
    with am.patch("mock_targets.value", "new") as given:
        assert given == "new" == targets.value
    assert targets.value == "original"


def test_patch_with_new_callable_uses_it_unchanged() -> None:
    import unittest.mock

    with am.patch("mock_targets.compute", new_callable=unittest.mock.Mock) as mock:
        assert type(mock).__mro__[1] is unittest.mock.Mock


def test_patch_multiple_gives_a_dict_of_fresh_mocks() -> None:
    with am.patch.multiple(targets, fetch=am.DEFAULT, value="set") as made:
        assert set(made) == {"fetch"}
        assert isinstance(made["fetch"], am.CoroutineMock)
        assert targets.value == "set"
    assert targets.value == "original"


def test_patch_dict_patches_and_restores_a_mapping() -> None:
    with am.patch.dict("mock_targets.settings", {"mode": "fake"}) as mapping:
        assert mapping is targets.settings
        assert targets.settings == {"mode": "fake"}
    assert targets.settings == {"mode": "real"}


def test_start_stop_and_stopall() -> None:
    patcher = am.patch("mock_targets.value", "started")
    assert patcher.start() == "started"
    assert targets.value == "started"
    patcher.stop()
    assert targets.value == "original"
    am.patch("mock_targets.value", "again").start()
    am.patch.stopall()
    assert targets.value == "original"


def test_stop_without_start_raises() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        am.patch("mock_targets.value").stop()


def test_bad_target_string_is_rejected_with_its_value() -> None:
    with pytest.raises(TypeError, match="'nodots'"):
        am.patch("nodots")


def test_unittest_mock_argument_checks_apply() -> None:
    with pytest.raises(ValueError):
        am.patch("mock_targets.value", new=1, new_callable=am.Mock)


@pytest.mark.parametrize("bad", ["GLOBAL", None, 1])
def test_a_scope_that_is_not_global_or_limited_is_rejected_by_name(bad: object) -> None:
    for make in (
        lambda: am.patch("mock_targets.value", scope=bad),
        lambda: am.patch.object(targets, "value", scope=bad),
        lambda: am.patch.multiple(targets, value=1, scope=bad),
        lambda: am.patch.dict(targets.settings, scope=bad),
    ):
        with pytest.raises(ValueError, match=r"GLOBAL or asynctest\.LIMITED, got " + repr(bad)):
            make()


def test_patch_decorated_function_gets_a_fresh_mock_per_call() -> None:
    seen = []

    @am.patch("mock_targets.compute")
    def use(mock: am.MagicMock) -> str:
        seen.append(mock)
        assert targets.compute is mock
        return "done"

    assert use() == use() == "done"
    assert seen[0] is not seen[1]
    assert targets.compute() == "real"


def test_patch_decorated_coroutine_is_patched_until_it_finishes() -> None:
    @am.patch("mock_targets.value")
    async def use(mock: am.MagicMock) -> object:
        assert targets.value is mock
        await asyncio.sleep(0)
        assert targets.value is mock
        return mock

    mock = run(use())
    assert isinstance(mock, am.MagicMock)
    assert targets.value == "original"


def test_global_scope_patch_is_seen_by_other_tasks_while_suspended() -> None:
    seen = []

    @am.patch("mock_targets.value", "patched")
    async def patched() -> None:
        await asyncio.sleep(0.01)

    async def observer() -> None:
        await asyncio.sleep(0.005)
        seen.append(targets.value)

    async def scenario() -> None:
        await asyncio.gather(patched(), observer())

    run(scenario())
    assert seen == ["patched"]


def test_not_awaited_coroutine_patches_nothing() -> None:
    @am.patch("mock_targets.value", "patched")
    async def use() -> None:
        pass

    coroutine = use()
    assert targets.value == "original"
    coroutine.close()


def test_patch_is_undone_when_the_coroutine_raises() -> None:
    @am.patch("mock_targets.value", "patched")
    async def fail() -> None:
        await asyncio.sleep(0)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run(fail())
    assert targets.value == "original"


def test_patch_is_undone_when_the_coroutine_is_cancelled() -> None:
    @am.patch("mock_targets.value", "patched")
    async def forever() -> None:
        await asyncio.sleep(3600)

    async def scenario() -> None:
        task = asyncio.ensure_future(forever())
        await asyncio.sleep(0)
        assert targets.value == "patched"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(scenario())
    assert targets.value == "original"


def test_patch_decorated_generator_is_patched_while_iterated() -> None:
    @am.patch("mock_targets.value", "patched")
    def produce() -> object:
        yield targets.value
        received = yield targets.value
        yield received

    gen = produce()
    assert next(gen) == "patched"
    assert next(gen) == "patched"
    assert gen.send("sent") == "sent"
    gen.close()
    assert targets.value == "original"


def test_patch_decorated_async_generator_is_patched_while_iterated() -> None:
    @am.patch("mock_targets.fetch")
    async def produce(mock: am.CoroutineMock) -> object:
        for _ in range(2):
            yield await targets.fetch()
            await asyncio.sleep(0)

    async def scenario() -> list[object]:
        return [item async for item in produce()]

    items = run(scenario())
    assert len(items) == 2 and items[0] is items[1]
    assert targets.fetch is not None and inspect.iscoroutinefunction(targets.fetch)
    assert not isinstance(targets.fetch, am.CoroutineMock)


def test_async_generator_wrapper_forwards_athrow_and_asend() -> None:
    @am.patch("mock_targets.value", "patched")
    async def produce() -> object:
        try:
            received = yield 1
            yield received
        except KeyError:
            yield "caught"

    async def scenario() -> list[object]:
        gen = produce()
        first = await gen.__anext__()
        second = await gen.asend("sent")
        third = await gen.athrow(KeyError("k"))
        await gen.aclose()
        return [first, second, third]

    assert run(scenario()) == [1, "sent", "caught"]
    assert targets.value == "original"


@pytest.mark.parametrize(
    ("check", "source"),
    [
        (inspect.iscoroutinefunction, "async def f(a, b=1):\n    pass\n"),
        (inspect.isgeneratorfunction, "def f(a, b=1):\n    yield a\n"),
        (inspect.isasyncgenfunction, "async def f(a, b=1):\n    yield a\n"),
        (inspect.isfunction, "def f(a, b=1):\n    pass\n"),
    ],
)
def test_decorated_functions_keep_their_kind_name_and_signature(check, source) -> None:  # type: ignore[no-untyped-def]
    namespace: dict[str, object] = {}
    exec(source, namespace)
    func = namespace["f"]
    decorated = am.patch("mock_targets.value", "x")(func)
    assert check(decorated)
    assert decorated.__name__ == "f"
    assert str(inspect.signature(decorated)) == "(a, b=1)"


def test_stacked_decorators_pass_mocks_in_unittest_mock_order() -> None:
    @am.patch("mock_targets.value")
    @am.patch.multiple("mock_targets", settings=am.DEFAULT)
    @am.patch("mock_targets.fetch")
    @am.patch.dict("mock_targets.settings", {"k": "v"})
    async def use(fetch_mock, value_mock, settings):  # type: ignore[no-untyped-def]
        assert targets.fetch is fetch_mock
        assert targets.value is value_mock
        assert targets.settings is settings
        return fetch_mock, value_mock

    fetch_mock, value_mock = run(use())
    assert isinstance(fetch_mock, am.CoroutineMock)
    assert isinstance(value_mock, am.MagicMock)
    assert len(use.patchings) == 4


def test_stacking_matches_unittest_mock_order() -> None:
    import unittest.mock

    def order(patch):  # type: ignore[no-untyped-def]
        @patch("mock_targets.value", name="outer")
        @patch("mock_targets.compute", name="inner")
        def use(*mocks):  # type: ignore[no-untyped-def]
            return [m._mock_name for m in mocks]

        return use()

    assert order(am.patch) == order(unittest.mock.patch) == ["inner", "outer"]


def test_class_decorator_patches_every_test_method_coroutine_or_not() -> None:
    @am.patch("mock_targets.value", "patched")
    class Case(unittest.IsolatedAsyncioTestCase):
        def setUp(self) -> None:
            self.at_setup = targets.value

        def test_plain(self) -> None:
            self.assertEqual(targets.value, "patched")

        async def test_coroutine(self) -> None:
            await asyncio.sleep(0)
            self.assertEqual(targets.value, "patched")

    result = unittest.TestResult()
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    suite.run(result)
    assert result.testsRun == 2
    assert result.errors == [] and result.failures == []
    assert targets.value == "original"


def test_patch_decorator_rejects_things_that_are_not_callable() -> None:
    with pytest.raises(TypeError, match="function or a class, got 3"):
        am.patch("mock_targets.value")(3)


class _Originals:
    async def coroutine_method(self) -> None:
        pass

    def method(self) -> None:
        pass

    @staticmethod
    async def static_coroutine() -> None:
        pass

    @classmethod
    async def class_coroutine(cls) -> None:
        pass

    class Awaitable:
        def __await__(self):  # type: ignore[no-untyped-def]
            yield

    awaitable = Awaitable()
    async_mock = unittest.mock.AsyncMock()
    magic_mock = unittest.mock.MagicMock()
    number = 3


@pytest.mark.parametrize(
    "attribute",
    [
        "coroutine_method",
        "method",
        "static_coroutine",
        "class_coroutine",
        "awaitable",
        "async_mock",
        "magic_mock",
        "number",
        "missing",
    ],
)
def test_patch_makes_the_class_unittest_mock_would_in_asynctest_family(attribute: str) -> None:
    from asynctest._mock.mocks import _FAMILY

    create = attribute == "missing"
    with unittest.mock.patch.object(_Originals, attribute, create=create) as theirs:
        expected = _FAMILY[type(theirs).__bases__[0]]
    with am.patch.object(_Originals, attribute, create=create) as ours:
        assert type(ours).__mro__[1] is expected
    bound = _Originals()
    with am.patch.object(bound, "coroutine_method") as ours:
        assert isinstance(ours, am.CoroutineMock)
