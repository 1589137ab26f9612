"""Give public objects the module path users import them from."""

from __future__ import annotations

from types import FunctionType
from typing import Any


def publish(namespace: dict[str, Any]) -> None:
    """Set ``__module__`` of the classes and functions in ``namespace['__all__']``.

    Only objects still carrying a private path (``asynctest._...``) are renamed,
    so that the first public module to publish a name keeps it: reprs, pickles
    and tracebacks then say ``asynctest.mock.CoroutineMock`` rather than
    ``asynctest._mock.mocks.CoroutineMock``. Called at the end of the public
    modules; the code itself stays where it is.
    """
    module = namespace["__name__"]
    for name in namespace["__all__"]:
        obj = namespace[name]
        if isinstance(obj, (type, FunctionType)) and obj.__module__.startswith("asynctest._"):
            obj.__module__ = module
