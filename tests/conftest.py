"""Every test starts from asynctest's built-in defaults, whatever ASYNCTEST_* says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from asynctest import _config


@pytest.fixture(autouse=True)
def plain_defaults() -> Iterator[None]:
    _config.set_current(_config.Defaults())
    yield
    _config.set_current(None)
