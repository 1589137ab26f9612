"""Check failures that pytest shows as their message, without a traceback of internals.

A failing check is reported through unittest's own machinery, as the error of
a last cleanup: its traceback holds only frames of unittest and asynctest, not
one of the user's, and pytest, finding no frame to show, printed all of them
(~35 lines) before the message. pytest's documented way to say "this message
is the whole failure, no Python traceback" is ``pytest.fail(msg,
pytrace=False)``, whose exception is ``pytest.fail.Exception``. So, when
pytest is running, a check failure is also an instance of that class, with
``pytrace = False``, while staying an instance of the test's
``failureException``: unittest, and any result object, still count it as a
failure, and ``except AssertionError`` still catches it.
"""

from __future__ import annotations

import sys
from typing import Any, Optional

# failureException -> its pytest-flavoured subclass (None: cannot be made).
_flavoured: dict[type, Optional[type]] = {}


def check_failure(failure_exception: type[BaseException], message: str) -> BaseException:
    """``failure_exception(message)``; under pytest, one pytest prints as ``message`` alone."""
    outcome = getattr(getattr(sys.modules.get("pytest"), "fail", None), "Exception", None)
    if not (isinstance(outcome, type) and issubclass(outcome, BaseException)):
        return failure_exception(message)
    if failure_exception not in _flavoured:
        _flavoured[failure_exception] = _flavour(failure_exception, outcome)
    flavoured = _flavoured[failure_exception]
    if flavoured is None:
        return failure_exception(message)
    return flavoured(message)  # type: ignore[no-any-return]


def _flavour(base: type[BaseException], outcome: type[BaseException]) -> Optional[type]:
    def __init__(self: Any, message: str) -> None:
        base.__init__(self, message)
        # What pytest reads on its fail exception (pytest 7-9).
        self.msg = message
        self.pytrace = False

    namespace = {
        "__init__": __init__,
        # The base's text, not the pytest outcome's: "AssertionError: message".
        "__str__": base.__str__,
        "__repr__": base.__repr__,
        "__module__": base.__module__,
        "__qualname__": base.__qualname__,
        "__doc__": base.__doc__,
    }
    try:
        return type(base.__name__, (base, outcome), namespace)
    except TypeError:  # incompatible layouts: a plain failure, with its traceback
        return None
