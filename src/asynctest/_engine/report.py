"""Where is every task waiting: the one formatter used by every report.

Timeouts, deadlocks and the ``pending_tasks`` check all show the same thing:
for each pending task its name, its coroutine and the line where it waits.

This first version shows the innermost frame of each task's own coroutine;
the await chain through awaited tasks and futures comes with the full
formatter (same interface).
"""

from __future__ import annotations

import asyncio
import linecache
from collections.abc import Iterable
from typing import Any

from .. import _compat


def pending_tasks(
    loop: asyncio.AbstractEventLoop, exclude: Iterable[Any] = ()
) -> list[asyncio.Task[Any]]:
    """The loop's pending tasks, oldest first, without those in ``exclude``."""
    skip = set(exclude)
    return [task for task in _compat.pending_tasks(loop) if task not in skip]


def _innermost(task: asyncio.Task[Any]) -> str:
    frames = task.get_stack()
    if not frames:
        return "not started"
    frame = frames[-1]
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    source = linecache.getline(filename, lineno).strip()
    where = f"{filename}:{lineno}"
    return f"waiting at {where} `{source}`" if source else f"waiting at {where}"


def _coroutine_name(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    name = getattr(coro, "__qualname__", None) or type(coro).__name__
    return f"{name}()"


def describe_task(task: asyncio.Task[Any]) -> str:
    """One line: ``<Task 'Task-3' fetch() waiting at client.py:42 `await q.get()`>``."""
    return f"<Task {task.get_name()!r} {_coroutine_name(task)} {_innermost(task)}>"


def format_task(task: asyncio.Task[Any]) -> str:
    """One block of lines saying where ``task`` waits."""
    return f"Task {task.get_name()!r} running {_coroutine_name(task)}\n  {_innermost(task)}"


def format_tasks(tasks: Iterable[asyncio.Task[Any]]) -> str:
    """One block per task, separated by blank lines; empty when there is none."""
    return "\n\n".join(format_task(task) for task in tasks)
