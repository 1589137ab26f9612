"""return_once: a side_effect returning a value once, then another forever."""

from __future__ import annotations

import asyncio

import pytest

import asynctest.mock as am


def test_return_once_returns_value_first_then_then_forever() -> None:
    mock = am.Mock(side_effect=am.return_once("first", then="later"))
    assert [mock(), mock(), mock()] == ["first", "later", "later"]


def test_return_once_then_defaults_to_none() -> None:
    mock = am.Mock(side_effect=am.return_once(1))
    assert [mock(), mock()] == [1, None]


def test_return_once_raises_an_exception_class_given_as_value() -> None:
    mock = am.Mock(side_effect=am.return_once(ConnectionResetError, then="ok"))
    with pytest.raises(ConnectionResetError):
        mock()
    assert mock() == "ok"


def test_return_once_raises_an_exception_instance_given_as_then() -> None:
    mock = am.Mock(side_effect=am.return_once("ok", then=KeyError("gone")))
    assert mock() == "ok"
    for _ in range(2):
        with pytest.raises(KeyError, match="gone"):
            mock()


def test_return_once_works_as_a_coroutine_mock_side_effect() -> None:
    mock = am.CoroutineMock(side_effect=am.return_once(b"data", then=EOFError))

    async def scenario() -> bytes:
        first = await mock()
        with pytest.raises(EOFError):
            await mock()
        return first  # type: ignore[no-any-return]

    assert asyncio.run(scenario()) == b"data"


def test_return_once_repr_names_both_values() -> None:
    assert repr(am.return_once(1, then=2)) == "return_once(1, then=2)"
