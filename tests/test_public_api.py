"""The public names: unittest's, asynctest 0.13's, and the legacy module paths."""

from __future__ import annotations

import importlib
import pickle
import types
import unittest
from pathlib import Path

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


def test_all_holds_every_unittest_name_of_this_python() -> None:
    assert set(unittest.__all__) <= set(asynctest.__all__)
    assert len(asynctest.__all__) == len(set(asynctest.__all__))


def test_unittest_names_are_imported_explicitly_not_by_star() -> None:
    # A star import hides our TestCase from type checkers (they see unittest's).
    source = Path(asynctest.__file__).read_text()
    assert "import *" not in source
    for name in unittest.__all__:
        if name not in ("TestCase", "FunctionTestCase"):
            assert f"from unittest import {name} as {name}\n" in source, name


def test_shutdown_error_is_public() -> None:
    from asynctest._engine.session import ShutdownError

    assert asynctest.ShutdownError is ShutdownError
    assert "ShutdownError" in asynctest.__all__
    assert repr(ShutdownError("x")) == "ShutdownError('x')"
    assert f"{ShutdownError.__module__}.{ShutdownError.__qualname__}" == "asynctest.ShutdownError"


PUBLIC_MODULES = ["asynctest", "asynctest.case", "asynctest.helpers", "asynctest.mock",
                  "asynctest.selector", "asynctest.pytest_plugin"]


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_public_objects_carry_a_public_module_path(module: str) -> None:
    mod = importlib.import_module(module)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if isinstance(obj, (type, types.FunctionType)) and obj.__module__.startswith("asynctest"):
            assert obj.__module__ in PUBLIC_MODULES, (name, obj.__module__)
            # ... and importable from there, under that name (pickle and docs rely on it).
            assert getattr(importlib.import_module(obj.__module__), obj.__name__) is obj, name


def test_reprs_show_public_paths() -> None:
    assert repr(asynctest.TestCase) == "<class 'asynctest.TestCase'>"
    assert repr(asynctest.ClockedTestCase) == "<class 'asynctest.ClockedTestCase'>"
    assert repr(asynctest.CoroutineMock) == "<class 'asynctest.mock.CoroutineMock'>"
    assert repr(asynctest.SocketMock) == "<class 'asynctest.selector.SocketMock'>"
    case = asynctest.FunctionTestCase(lambda: None)
    assert repr(case).startswith("<asynctest.FunctionTestCase tec=")


def test_public_classes_pickle_by_their_public_path() -> None:
    error = pickle.loads(pickle.dumps(asynctest.ShutdownError("leftover failed")))
    assert type(error) is asynctest.ShutdownError
    assert pickle.loads(pickle.dumps(asynctest.TestCase)) is asynctest.TestCase
