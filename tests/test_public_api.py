"""The public names: unittest's, asynctest 0.13's, and the legacy module paths."""

from __future__ import annotations

import importlib
import unittest

import pytest

import asynctest


def test_every_unittest_name_is_re_exported() -> None:
    for name in unittest.__all__:
        assert hasattr(asynctest, name), name
        if name not in ("TestCase", "FunctionTestCase"):
            assert getattr(asynctest, name) is getattr(unittest, name), name


def test_own_test_cases_are_unittest_test_cases() -> None:
    assert issubclass(asynctest.TestCase, unittest.TestCase)
    assert issubclass(asynctest.FunctionTestCase, unittest.FunctionTestCase)
    assert issubclass(asynctest.ClockedTestCase, asynctest.TestCase)


@pytest.mark.parametrize("name", [
    "TestCase", "FunctionTestCase", "ClockedTestCase", "fail_on", "strict", "lenient",
    "exhaust_callbacks", "main", "skip", "TestSuite",
])
def test_name_is_public(name: str) -> None:
    assert name in asynctest.__all__
    assert getattr(asynctest, name) is not None


@pytest.mark.parametrize(("module", "names"), [
    ("asynctest.case", ["TestCase", "FunctionTestCase", "ClockedTestCase"]),
    ("asynctest.helpers", ["exhaust_callbacks"]),
    ("asynctest.mock", [
        "Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock", "CoroutineMock",
        "AsyncMock", "PropertyMock", "create_autospec", "mock_open", "patch", "sentinel",
        "DEFAULT", "ANY", "call", "seal", "return_once", "GLOBAL", "LIMITED",
    ]),
    ("asynctest.selector", [
        "FileDescriptor", "fd", "isfilemock", "FileMock", "SocketMock", "SSLSocketMock",
        "TestSelector", "set_read_ready", "set_write_ready",
    ]),
])
def test_legacy_module_paths_import(module: str, names: list[str]) -> None:
    mod = importlib.import_module(module)
    for name in names:
        assert getattr(mod, name) is getattr(asynctest, name)


def test_legacy_modules_are_attributes_after_import_asynctest() -> None:
    for name in ("case", "mock", "selector", "helpers"):
        assert getattr(asynctest, name).__name__ == f"asynctest.{name}"


def test_coroutine_mock_is_an_async_mock_under_both_names() -> None:
    import unittest.mock

    assert issubclass(asynctest.CoroutineMock, unittest.mock.AsyncMock)
    assert asynctest.AsyncMock is asynctest.CoroutineMock


def test_all_lists_only_existing_names() -> None:
    missing = [name for name in asynctest.__all__ if not hasattr(asynctest, name)]
    assert missing == []
