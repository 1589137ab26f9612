"""Small helpers from asynctest 0.13: ``return_once``."""

from __future__ import annotations

from typing import Any, Iterator

__all__ = ["return_once"]


class return_once(Iterator[Any]):  # noqa: N801 (0.13's name; used as a function)
    """A ``side_effect`` that returns ``value`` on the first call, then ``then`` forever.

    unittest.mock raises, instead of returning it, a value that is an exception
    class or instance, so ``return_once(ValueError)`` raises on the first call
    only, and ``return_once(1, then=KeyError("gone"))`` raises from the second
    call on; ``mock.side_effect = return_once(b"data", then=ConnectionResetError)``
    makes a socket mock's ``recv`` give data once, then fail.
    """

    __slots__ = ("_value", "_then", "_given")

    def __init__(self, value: Any, then: Any = None) -> None:
        self._value = value
        self._then = then
        self._given = False

    def __iter__(self) -> return_once:
        return self

    def __next__(self) -> Any:
        if self._given:
            return self._then
        self._given = True
        return self._value

    def __repr__(self) -> str:
        return f"return_once({self._value!r}, then={self._then!r})"
