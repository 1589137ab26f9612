"""Fixtures of the I/O mock tests: a selector loop polling a TestSelector."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from asynctest._io.selector import TestSelector, install_test_selector, uninstall_test_selector


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """A new selector event loop polling a TestSelector, closed (and collected) after."""
    loop = asyncio.SelectorEventLoop()
    assert isinstance(install_test_selector(loop), TestSelector)
    yield loop
    uninstall_test_selector(loop)
    loop.close()
    gc.collect()  # unclosed transports warn now, inside the test
