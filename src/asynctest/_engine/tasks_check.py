"""The ``pending_tasks`` check: tasks a test left pending on its loop.

Its verdict runs once the test and its cleanups are done, before the engine
cancels the leftover tasks; the message names each task and where it waits
(see :mod:`asynctest._engine.report`).
"""

from __future__ import annotations

from typing import Optional

from .. import _compat
from . import report
from .checks import Check, CheckContext, register


def _pending_tasks_after(ctx: CheckContext, state: None) -> Optional[str]:
    if not _compat.pending_tasks(ctx.loop):
        return None  # the common case: one look at the task registry
    tasks = report.pending_tasks(ctx.loop)
    if not tasks:
        return None
    count = len(tasks)
    them = "it" if count == 1 else "them"
    return (
        f"{ctx.test_name} left {count} task{'' if count == 1 else 's'} pending: "
        f"{report.summarize_tasks(tasks)}; await or cancel {them}, "
        f"or use @fail_on(pending_tasks=False)\n\n{report.format_tasks(tasks)}"
    )


register(Check(
    name="pending_tasks",
    default=False,
    after=_pending_tasks_after,
    description="tasks still pending at the end of the test, with where they wait",
))
