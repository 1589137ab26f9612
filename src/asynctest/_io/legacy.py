"""asynctest 0.13's selector helpers, kept for suites that call them directly.

0.13 ran the ``active_selector_callbacks`` check through two functions taking
the test case; suites sometimes called them (or ``get_registered_events``)
themselves. They do the same here, on top of the check's own code.
"""

from __future__ import annotations

import selectors
from typing import Any

from .. import _compat
from .checks import describe_registration, registered_callbacks
from .selector import TestSelector

__all__ = [
    "fail_on_active_selector_callbacks",
    "fail_on_before_test_active_selector_callbacks",
    "get_registered_events",
]

# Where fail_on_before_test_active_selector_callbacks() leaves its snapshot.
_SNAPSHOT_ATTR = "_asynctest_selector_callbacks_before"


def get_registered_events(selector: selectors.BaseSelector) -> set[selectors.SelectorKey]:
    """Every registration of ``selector``, as a set of ``selectors.SelectorKey``.

    For a :class:`~asynctest.selector.TestSelector`, the file mocks' registrations
    and those of the selector it wraps; for another selector, its ``get_map()``.
    """
    if isinstance(selector, TestSelector):
        return set(selector.registrations())
    if not isinstance(selector, selectors.BaseSelector):
        raise TypeError(
            f"get_registered_events() takes a selector (selectors.BaseSelector), "
            f"not {selector!r}"
        )
    return set(_compat.selector_keys(selector))


def _case_loop(case: Any, where: str) -> Any:
    loop = getattr(case, "loop", None)
    if loop is None:
        raise TypeError(f"{where}() takes a running asynctest.TestCase (with .loop), not {case!r}")
    return loop


def fail_on_before_test_active_selector_callbacks(case: Any) -> None:
    """Note the readers and writers registered on ``case.loop`` now (0.13's "before" hook).

    :func:`fail_on_active_selector_callbacks` later reports only those added since.
    """
    loop = _case_loop(case, "fail_on_before_test_active_selector_callbacks")
    # Handles, not ids: a freed handle must not pass for a new one.
    setattr(case, _SNAPSHOT_ATTR, [handle for _, _, handle in registered_callbacks(loop)])


def fail_on_active_selector_callbacks(case: Any) -> None:
    """Fail ``case`` if readers or writers were added to ``case.loop`` and not removed.

    "Added" means since :func:`fail_on_before_test_active_selector_callbacks`,
    which must have been called first (RuntimeError otherwise). The failure
    lists each one as ``add_reader(...)`` / ``add_writer(...)``.
    """
    loop = _case_loop(case, "fail_on_active_selector_callbacks")
    snapshot = getattr(case, _SNAPSHOT_ATTR, None)
    if snapshot is None:
        raise RuntimeError(
            f"fail_on_active_selector_callbacks({case!r}): call "
            f"fail_on_before_test_active_selector_callbacks(case) first"
        )
    before = {id(handle) for handle in snapshot}
    leaked = [item for item in registered_callbacks(loop) if id(item[2]) not in before]
    if leaked:
        lines = "\n".join(f" - {describe_registration(*item)}" for item in leaked)
        case.fail(f"some events watched during the tests were not removed:\n{lines}")
