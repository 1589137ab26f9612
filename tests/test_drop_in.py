"""Drop-in for asynctest 0.13 suites: its public names, old spellings, removed unittest aliases."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import re
import socket
import sys
import types
import unittest
import warnings

import pytest
from _support import assert_clean, only_failure, run_case

import asynctest

# asynctest 0.13's documented public API, by the module it was documented in.
# Every name of asynctest.case, .mock, .selector and .helpers was also
# importable from the top-level package (0.13 star-imported them).
API_013: dict[str, list[str]] = {
    "asynctest.case": [
        "TestCase", "FunctionTestCase", "ClockedTestCase", "ignore_loop",
        "fail_on", "strict", "lenient",
        # unittest.case's names, re-exported by 0.13's asynctest.case
        "SkipTest", "skip", "skipIf", "skipUnless", "expectedFailure",
    ],
    "asynctest.mock": [
        "Mock", "NonCallableMock", "MagicMock", "NonCallableMagicMock", "CoroutineMock",
        "PropertyMock", "create_autospec", "mock_open", "patch", "return_once",
        "PatchScope", "LIMITED", "GLOBAL", "sentinel", "call", "ANY", "DEFAULT",
    ],
    "asynctest.selector": [
        "FileDescriptor", "fd", "isfilemock", "FileMock", "SocketMock", "SSLSocketMock",
        "TestSelector", "set_read_ready", "set_write_ready", "get_registered_events",
        "fail_on_before_test_active_selector_callbacks", "fail_on_active_selector_callbacks",
    ],
    "asynctest.helpers": ["exhaust_callbacks"],
}
# patch's attributes, documented as asynctest.mock.patch.object etc.
PATCH_ATTRIBUTES_013 = ["object", "multiple", "dict", "stopall", "TEST_PREFIX"]

NAMES_013 = [(module, name) for module, names in API_013.items() for name in names]


@pytest.mark.parametrize(("module", "name"), NAMES_013)
def test_every_public_name_of_0_13_imports_from_its_module_and_the_package(
    module: str, name: str
) -> None:
    obj = getattr(importlib.import_module(module), name)
    assert getattr(asynctest, name) is obj
    assert name in asynctest.__all__
    if module != "asynctest.helpers":
        assert name in importlib.import_module(module).__all__


@pytest.mark.parametrize("attribute", PATCH_ATTRIBUTES_013)
def test_patch_attributes_of_0_13(attribute: str) -> None:
    assert hasattr(asynctest.mock.patch, attribute)


def test_from_asynctest_import_star_gives_the_0_13_names() -> None:
    namespace: dict[str, object] = {}
    exec("from asynctest import *", namespace)
    missing = [name for _, name in NAMES_013 if name not in namespace]
    assert missing == []


def test_unittest_names_of_asynctest_case_are_unittests() -> None:
    import asynctest.case

    for name in ("SkipTest", "skip", "skipIf", "skipUnless", "expectedFailure"):
        assert getattr(asynctest.case, name) is getattr(unittest, name)


# -- unittest's aliases removed in 3.12 ------------------------------------------------

# alias -> (modern method, arguments that pass, arguments that fail)
ALIASES: dict[str, tuple[str, tuple[object, ...], tuple[object, ...]]] = {
    "assertEquals": ("assertEqual", (1, 1), (1, 2)),
    "assertNotEquals": ("assertNotEqual", (1, 2), (1, 1)),
    "assertAlmostEquals": ("assertAlmostEqual", (1.0, 1.0000000001), (1.0, 1.1)),
    "assertNotAlmostEquals": ("assertNotAlmostEqual", (1.0, 1.1), (1.0, 1.0)),
    "assertRegexpMatches": ("assertRegex", ("abc", "b"), ("abc", "z")),
    "assertNotRegexpMatches": ("assertNotRegex", ("abc", "z"), ("abc", "b")),
    "assert_": ("assertTrue", (True,), (False,)),
    "failUnless": ("assertTrue", (True,), (False,)),
    "failIf": ("assertFalse", (False,), (True,)),
    "failUnlessEqual": ("assertEqual", (1, 1), (1, 2)),
    "failIfEqual": ("assertNotEqual", (1, 2), (1, 1)),
    "failUnlessAlmostEqual": ("assertAlmostEqual", (1.0, 1.0), (1.0, 1.1)),
    "failIfAlmostEqual": ("assertNotAlmostEqual", (1.0, 1.1), (1.0, 1.0)),
}


def _alias_case(alias: str, args: tuple[object, ...]) -> type:
    class Case(asynctest.TestCase):
        async def test(self) -> None:
            getattr(self, alias)(*args)

    return Case


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_removed_alias_works_and_warns_naming_the_modern_method(alias: str) -> None:
    modern, passing, failing = ALIASES[alias]
    with pytest.warns(DeprecationWarning, match=rf"^{re.escape(alias)}\(\).*use {modern}\(\)"):
        assert_clean(run_case(_alias_case(alias, passing)))
    with pytest.warns(DeprecationWarning, match=rf"use {modern}\(\)"):
        failure = only_failure(run_case(_alias_case(alias, failing)))
    assert "AssertionError" in failure


@pytest.mark.parametrize(("alias", "modern"), [
    ("failUnlessRaises", "assertRaises"), ("assertRaisesRegexp", "assertRaisesRegex"),
])
def test_removed_raises_aliases_work_called_and_as_context_managers(
    alias: str, modern: str
) -> None:
    pattern = ("boom",) if alias == "assertRaisesRegexp" else ()

    class Case(asynctest.TestCase):
        def test_called(self) -> None:
            getattr(self, alias)(ValueError, *pattern, int, "boom")

        def test_context(self) -> None:
            with getattr(self, alias)(KeyError, *pattern):
                raise KeyError("boom")

        def test_nothing_raised(self) -> None:
            with getattr(self, alias)(KeyError, *pattern):
                pass

    with pytest.warns(DeprecationWarning, match=rf"use {modern}\(\)"):
        assert_clean(run_case(Case, "test_called"))
        assert_clean(run_case(Case, "test_context"))
        assert "KeyError not raised" in only_failure(run_case(Case, "test_nothing_raised"))


def test_the_warning_points_at_the_calling_test() -> None:
    class Case(asynctest.TestCase):
        def test(self) -> None:
            self.assertEquals(1, 1)  # noqa: UP005 (the point of the test)

    with pytest.warns(DeprecationWarning) as record:
        assert_clean(run_case(Case))
    assert record[0].filename == __file__


def test_assert_dict_contains_subset() -> None:
    class Case(asynctest.TestCase):
        def test_contained(self) -> None:
            self.assertDictContainsSubset({"a": 1}, {"a": 1, "b": 2})

        def test_missing_and_different(self) -> None:
            self.assertDictContainsSubset({"a": 1, "c": 3}, {"a": 2, "b": 2})

        def test_custom_message(self) -> None:
            self.assertDictContainsSubset({"c": 3}, {}, "my message")

    with pytest.warns(DeprecationWarning, match=r"use assertEqual\(dictionary"):
        assert_clean(run_case(Case, "test_contained"))
        failure = only_failure(run_case(Case, "test_missing_and_different"))
        custom = only_failure(run_case(Case, "test_custom_message"))
    assert "missing keys: 'c'" in failure
    assert "key 'a': expected 1, got 2" in failure
    assert "my message" in custom


def test_aliases_exist_on_every_python_and_every_test_case_class() -> None:
    for klass in (asynctest.TestCase, asynctest.FunctionTestCase, asynctest.ClockedTestCase):
        for alias in [*ALIASES, "failUnlessRaises", "assertRaisesRegexp",
                      "assertDictContainsSubset"]:
            assert callable(getattr(klass, alias)), (klass, alias)


# -- ignore_loop -------------------------------------------------------------------


def test_ignore_loop_is_fail_on_unused_loop_false_with_a_deprecation_warning() -> None:
    @asynctest.fail_on(unused_loop=True)
    class Case(asynctest.TestCase):
        def test_checked(self) -> None:
            pass

        with pytest.warns(DeprecationWarning, match=r"use @fail_on\(unused_loop=False\)"):
            @asynctest.ignore_loop
            def test_bare(self) -> None:
                pass

        with pytest.warns(DeprecationWarning, match="ignore_loop"):
            @asynctest.case.ignore_loop()
            def test_called(self) -> None:
                pass

    assert "Loop did not run during the test" in only_failure(run_case(Case, "test_checked"))
    assert_clean(run_case(Case, "test_bare"))
    assert_clean(run_case(Case, "test_called"))


def test_ignore_loop_on_a_class() -> None:
    class Base(asynctest.TestCase):
        @asynctest.fail_on(unused_loop=True)
        def test(self) -> None:
            pass

    with pytest.warns(DeprecationWarning):
        Ignored = asynctest.ignore_loop(type("Ignored", (Base,), {}))
    # the method's own decorator still wins over the class's, as with fail_on
    assert "Loop did not run" in only_failure(run_case(Ignored))

    with pytest.warns(DeprecationWarning):
        @asynctest.ignore_loop
        class Plain(asynctest.TestCase):
            @asynctest.strict
            def test(self) -> None:
                pass

    assert "Loop did not run" in only_failure(run_case(Plain))


# -- fail_on's lenient values ----------------------------------------------------------


def test_fail_on_accepts_0_and_1_as_booleans_silently() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        @asynctest.fail_on(unused_loop=1)  # type: ignore[arg-type]
        class Case(asynctest.TestCase):
            def test_checked(self) -> None:
                pass

            @asynctest.fail_on(unused_loop=0)  # type: ignore[arg-type]
            def test_unchecked(self) -> None:
                pass

    assert "Loop did not run" in only_failure(run_case(Case, "test_checked"))
    assert_clean(run_case(Case, "test_unchecked"))


@pytest.mark.parametrize(("value", "truth"), [("yes", True), ("", False), (2, True),
                                              (None, False), (1.0, True)])
def test_fail_on_other_values_warn_naming_them_then_count_by_truth(
    value: object, truth: bool
) -> None:
    expected = re.escape(f"fail_on(unused_loop={value!r})") + f".*taken as {truth}"
    with pytest.warns(DeprecationWarning, match=expected) as record:
        decorate = asynctest.fail_on(unused_loop=value)  # type: ignore[arg-type]
    assert record[0].filename == __file__

    class Case(asynctest.TestCase):
        @decorate
        def test(self) -> None:
            pass

    result = run_case(Case)
    if truth:
        assert "Loop did not run" in only_failure(result)
    else:
        assert_clean(result)


def test_fail_on_still_rejects_unknown_names() -> None:
    with pytest.raises(TypeError, match="unknown check 'unused_loops'"):
        asynctest.fail_on(unused_loops=0)  # type: ignore[arg-type]


# -- 0.13's selector helpers -----------------------------------------------------------


def test_get_registered_events_lists_mocks_and_real_registrations() -> None:
    import selectors

    real = selectors.DefaultSelector()
    selector = asynctest.TestSelector(real)
    mock = asynctest.SocketMock()
    left, right = socket.socketpair()
    try:
        selector.register(mock, selectors.EVENT_READ, "mock data")
        selector.register(left, selectors.EVENT_WRITE, "real data")
        events = asynctest.get_registered_events(selector)
        assert {(key.fileobj, key.events, key.data) for key in events} == {
            (mock, selectors.EVENT_READ, "mock data"),
            (left, selectors.EVENT_WRITE, "real data"),
        }
        assert {key.fileobj for key in asynctest.get_registered_events(real)} == {left}
    finally:
        selector.close()
        left.close()
        right.close()
    with pytest.raises(TypeError, match="takes a selector.*not 42"):
        asynctest.get_registered_events(42)  # type: ignore[arg-type]


def test_0_13_selector_check_functions_called_by_hand() -> None:
    sel = asynctest.selector

    class Case(asynctest.TestCase):
        def setUp(self) -> None:
            self.sock = asynctest.SocketMock()
            self.loop.add_reader(self.sock, print)  # there before: ignored
            sel.fail_on_before_test_active_selector_callbacks(self)

        def tearDown(self) -> None:
            self.loop.remove_reader(self.sock)

        async def test_clean(self) -> None:
            sel.fail_on_active_selector_callbacks(self)

        async def test_leaky(self) -> None:
            other = asynctest.SocketMock()
            self.loop.add_writer(other, print, "arg")
            try:
                sel.fail_on_active_selector_callbacks(self)
            finally:
                self.loop.remove_writer(other)

    assert_clean(run_case(Case, "test_clean"))
    failure = only_failure(run_case(Case, "test_leaky"))
    assert "some events watched during the tests were not removed" in failure
    assert re.search(r"add_writer\(<SocketMock.*print.*'arg'\)", failure), failure
    assert "add_reader" not in failure


def test_0_13_selector_check_functions_need_a_test_case_and_the_before_call() -> None:
    sel = asynctest.selector
    with pytest.raises(TypeError, match=r"takes a running asynctest.TestCase.*not 'x'"):
        sel.fail_on_before_test_active_selector_callbacks("x")

    class Case(asynctest.TestCase):
        async def test(self) -> None:
            sel.fail_on_active_selector_callbacks(self)

    result = run_case(Case)
    assert "call fail_on_before_test_active_selector_callbacks(case) first" in (
        result.errors[0][1]
    )


# -- 0.13's mock answers ---------------------------------------------------------------


def plain_function(a: int, b: int = 2) -> int:
    return a + b


async def coroutine_function(a: int, b: int = 2) -> int:
    return a + b


def _answers(obj: object) -> tuple[bool, bool]:
    return inspect.iscoroutinefunction(obj), asyncio.iscoroutinefunction(obj)


@pytest.mark.parametrize("make", [
    lambda: asynctest.Mock(plain_function), lambda: asynctest.MagicMock(plain_function),
    lambda: asynctest.Mock(spec_set=plain_function), lambda: asynctest.Mock(),
    lambda: asynctest.MagicMock(), lambda: asynctest.NonCallableMock(plain_function),
    lambda: asynctest.NonCallableMagicMock(plain_function),
    lambda: asynctest.MagicMock().child, lambda: asynctest.MagicMock(plain_function)(),
])
def test_a_mock_of_a_plain_function_is_not_a_coroutine_function(make) -> None:  # type: ignore[no-untyped-def]
    # unittest.mock's MagicMock(plain_function) answers True, its Mock raises TypeError.
    mock = make()
    assert _answers(mock) == (False, False)
    assert mock.is_coroutine is False


def test_the_mock_of_a_plain_function_is_not_awaited_by_a_framework() -> None:
    # What broke a real suite: code that awaits what looks like a coroutine function.
    async def call(handler):  # type: ignore[no-untyped-def]
        result = handler(1)
        return await result if inspect.iscoroutinefunction(handler) else result

    handler = asynctest.MagicMock(plain_function, return_value=3)
    assert asyncio.run(call(handler)) == 3


@pytest.mark.parametrize("klass", [
    asynctest.Mock, asynctest.MagicMock, asynctest.NonCallableMock,
    asynctest.NonCallableMagicMock,
])
def test_is_coroutine_argument_and_attribute(klass: type) -> None:
    mock = klass(is_coroutine=True)
    assert mock.is_coroutine is True
    assert asyncio.iscoroutinefunction(mock)
    if sys.version_info >= (3, 12):
        assert inspect.iscoroutinefunction(mock)
    mock.is_coroutine = False
    assert mock.is_coroutine is False
    assert _answers(mock) == (False, False)
    mock.is_coroutine = 1
    assert mock.is_coroutine is True
    assert asyncio.iscoroutinefunction(mock)


def test_is_coroutine_is_settable_on_a_mock_with_spec_set() -> None:
    mock = asynctest.Mock(spec_set=plain_function)
    mock.is_coroutine = True
    assert asyncio.iscoroutinefunction(mock)
    assert inspect.iscoroutinefunction(mock)  # the spec makes it pass for a function
    with pytest.raises(AttributeError, match="other"):
        mock.other = 1  # spec_set still guards every other name


def test_is_coroutine_does_not_make_a_mock_awaitable_or_record_calls() -> None:
    mock = asynctest.MagicMock(is_coroutine=True, return_value=4)
    assert mock() == 4
    assert mock.mock_calls == [asynctest.call()]
    assert "is_coroutine" not in dir(mock) or mock.is_coroutine is True


@pytest.mark.parametrize("make", [
    lambda: asynctest.CoroutineMock(), lambda: asynctest.CoroutineMock(coroutine_function),
    lambda: asynctest.MagicMock(coroutine_function), lambda: asynctest.Mock(coroutine_function),
    lambda: asynctest.create_autospec(coroutine_function),
    lambda: asynctest.MagicMock().__aenter__,
])
def test_mocks_of_coroutine_functions_are_coroutine_functions(make) -> None:  # type: ignore[no-untyped-def]
    mock = make()
    inspect_answer, asyncio_answer = _answers(mock)
    assert asyncio_answer is True
    # unittest.mock's create_autospec answers False before 3.13; its AsyncMock
    # and asynctest's CoroutineMock on 3.9 (see docs/migration/from-asynctest-0.13.md)
    if sys.version_info >= (3, 10) or type(mock) is types.FunctionType:
        assert inspect_answer is True


def test_create_autospec_of_a_coroutine_function_still_works_as_unittest_s() -> None:
    fetch = asynctest.create_autospec(coroutine_function, return_value=5)

    async def use() -> int:
        return await fetch(1)  # type: ignore[no-any-return]

    assert asyncio.run(use()) == 5
    fetch.assert_awaited_once_with(1)
    fetch.assert_called_once_with(1)
    assert fetch.called and fetch.call_count == 1 and fetch.mock.call_count == 1
    fetch.return_value = 6
    assert asyncio.run(use()) == 6
    assert inspect.signature(fetch) == inspect.signature(coroutine_function)
    assert isinstance(fetch.mock, asynctest.CoroutineMock)

    async def bad_call() -> None:
        await fetch(1, 2, 3)

    with pytest.raises(TypeError, match="too many positional arguments"):
        asyncio.run(bad_call())


def test_create_autospec_of_a_plain_function_is_not_a_coroutine_function() -> None:
    compute = asynctest.create_autospec(plain_function, return_value=1)
    assert _answers(compute) == (False, False)
    assert compute(1) == 1


# -- self.loop outside a test ----------------------------------------------------------


def test_loop_is_none_before_and_after_a_test_as_in_0_13() -> None:
    seen = []

    class Case(asynctest.TestCase):
        async def test(self) -> None:
            seen.append(self.loop)
            assert asyncio.get_running_loop() is self.loop

    case = Case("test")
    assert case.loop is None and Case.loop is None
    assert_clean(run_case_object(case))
    assert isinstance(seen[0], asyncio.AbstractEventLoop)
    assert case.loop is None


def run_case_object(case: unittest.TestCase) -> unittest.TestResult:
    result = unittest.TestResult()
    case.run(result)
    assert result.testsRun == 1
    return result


def test_the_migration_page_lists_every_kept_alias_with_its_replacement() -> None:
    from pathlib import Path

    from asynctest._unittest.legacy import ALIASES as KEPT

    docs = Path(__file__).parent.parent / "docs"
    page = (docs / "migration" / "from-asynctest-0.13.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    for alias, modern in KEPT.items():
        assert any(f"`{alias}`" in row and f"`{modern}`" in row for row in rows), alias
    assert "`assertDictContainsSubset(subset, d)`" in page
