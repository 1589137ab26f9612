"""CPython's own AsyncMock tests, run against asynctest's mocks and patch.

The test file installed with the running interpreter is loaded at test time
(never copied here) with ``AsyncMock``, ``MagicMock``, ``Mock``, ``patch`` and
``create_autospec`` taken from asynctest.mock; its test classes are then
collected by pytest like ours. Deliberate differences are listed in
``DIFFERENCES`` below and explained in docs/mock.md.
"""

from __future__ import annotations

import importlib.util
import sys
import sysconfig
import unittest
from pathlib import Path
from types import ModuleType

import pytest

import asynctest.mock

_STDLIB = Path(sysconfig.get_paths()["stdlib"])
_CANDIDATES = [
    _STDLIB / "test" / "test_unittest" / "testmock" / "testasync.py",  # 3.12+
    _STDLIB / "unittest" / "test" / "testmock" / "testasync.py",  # 3.9-3.11
]
_SUBSTITUTES = {
    "AsyncMock": asynctest.mock.CoroutineMock,
    "MagicMock": asynctest.mock.MagicMock,
    "Mock": asynctest.mock.Mock,
    "patch": asynctest.mock.patch,
    "create_autospec": asynctest.mock.create_autospec,
}

#: test id -> why asynctest differs on purpose (also in docs/mock.md).
DIFFERENCES: dict[str, str] = {}


def _load() -> ModuleType:
    for path in _CANDIDATES:
        if path.exists():
            break
    else:
        pytest.fail(f"CPython's testasync.py is not installed under {_STDLIB}")
    name = "cpython_testasync_under_asynctest"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Patch targets in the file are written f"{__name__}.async_func": the
    # module must be importable under its own name while its tests run.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    for attr, ours in _SUBSTITUTES.items():
        assert hasattr(module, attr), f"{path} no longer imports {attr}"
        setattr(module, attr, ours)
    return module


_module = _load()

globals().update(
    (name, value)
    for name, value in vars(_module).items()
    if isinstance(value, type) and issubclass(value, unittest.TestCase)
)


def teardown_module() -> None:
    # The file's tearDownModule resets the event loop policy (deprecated in
    # 3.14); IsolatedAsyncioTestCase already leaves the policy as it found it.
    sys.modules.pop(_module.__name__, None)


def test_the_loaded_cpython_tests_use_asynctest_mocks() -> None:
    for attr, ours in _SUBSTITUTES.items():
        assert getattr(_module, attr) is ours, attr
    assert any(name.startswith("Async") for name in globals()), "no CPython test class found"
