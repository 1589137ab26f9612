"""Where is every task waiting: the one formatter used by every report.

Timeouts, deadlocks and the ``pending_tasks`` check show the same thing: for
each pending task its name, its coroutine and the await chain down to the
line where it waits, following awaited coroutines, generators, async
generators, and the tasks it waits for (directly, or through ``gather``,
``shield``, ``wait_for``, ``wait`` and ``TaskGroup``)::

    Task 'Task-2' main()
      test_demo.py:12 in main: `await asyncio.gather(worker(q), worker(q))`
      waits for Task 'Task-3' worker()
        test_demo.py:7 in worker: `await q.get()`
        ... 1 frame in asyncio (Queue.get)
        waits for <Future pending>

A task waited for by another pending task is shown inside that task's block,
once. Frames of the standard library and of asynctest itself are folded into
one line. Python 3.14's ``asyncio.capture_call_graph`` does not exist on
3.9-3.13: this walker reads the public ``cr_await``/``gi_yieldfrom``/
``ag_await`` chain, and asyncio's privates only through ``_compat``.

Nothing here raises: a report is made on failure paths, so whatever cannot be
read becomes a line saying so. Everything is bounded (frames, tasks, nesting).
"""

from __future__ import annotations

import asyncio
import linecache
import os
import re
import sysconfig
import types
from collections.abc import Iterable
from typing import Any, Optional

from .. import _compat

# Limits that keep a report readable and its cost bounded.
_MAX_CHAIN = 200  # awaitables followed in one task's chain
_MAX_SHOWN_FRAMES = 12  # frame lines of one task; the innermost are kept
_MAX_TASKS = 25  # task blocks (nested ones included) in one report
_MAX_DEPTH = 8  # tasks nested in tasks
_MAX_SUMMARY = 3  # tasks named in a one-line summary
_MAX_SOURCE = 60  # characters of a source line or a repr

_STDLIB = os.path.normcase(sysconfig.get_paths()["stdlib"]) + os.sep
_OWN = os.path.normcase(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) + os.sep
_DEFAULT_NAME = re.compile(r"Task-(\d+)\Z")
_THIRD_PARTY = re.compile(r"[\\/](site|dist)-packages[\\/]")


def pending_tasks(
    loop: asyncio.AbstractEventLoop, exclude: Iterable[Any] = ()
) -> list[asyncio.Task[Any]]:
    """The loop's pending tasks without those in ``exclude``, oldest first.

    Tasks with asyncio's default names (``Task-N``, numbered in creation
    order) come first, by number; tasks named by their creator follow, by name.
    """
    skip = set(exclude)
    tasks = [task for task in _compat.pending_tasks(loop) if task not in skip]
    tasks.sort(key=_creation_key)
    return tasks


def _creation_key(task: Any) -> tuple[int, int, str]:
    try:
        name = str(task.get_name())
    except Exception:
        return 2, 0, ""
    match = _DEFAULT_NAME.match(name)
    return (0, int(match.group(1)), "") if match else (1, 0, name)


def describe_task(task: asyncio.Task[Any]) -> str:
    """One line: ``<Task 'Task-3' fetch() waiting at client.py:42 `await q.get()`>``."""
    try:
        text = f"<Task {task.get_name()!r} {_coroutine_name(task)}"
        state = _finished_state(task)
        if state is not None:
            return f"{text} {state}>"
        frames, _ = _chain(task.get_coro())
        if not frames or _not_started(task.get_coro()):
            return f"{text} not started>"
        frame = _innermost_own(frames)
        text += f" waiting at {_where(frame)}"
        source = _source(frame)
        if source:
            text += f" `{source}`"
        waiter = _compat.task_waiter(task)
        if isinstance(waiter, asyncio.Task):
            text += f" for Task {waiter.get_name()!r}"
        return text + ">"
    except Exception as exc:
        return f"<{_unreadable(task, exc)}>"


def format_task(task: asyncio.Task[Any]) -> str:
    """One block of lines saying where ``task`` waits, with the tasks it waits for."""
    return "\n".join(_Report([task]).block(task, 0, ()))


def format_tasks(tasks: Iterable[asyncio.Task[Any]]) -> str:
    """One block per task, separated by blank lines; empty when there is none.

    A task that another of ``tasks`` waits for is shown inside that task's
    block instead of in a block of its own.
    """
    try:
        tasks = list(tasks)
        if not tasks:
            return ""
        report = _Report(tasks)
        return "\n\n".join(report.blocks())
    except Exception as exc:
        return f"(the tasks could not be listed: {_error(exc)})"


def summarize_tasks(tasks: Iterable[asyncio.Task[Any]]) -> str:
    """The tasks in one line: :func:`describe_task` for one, names and coroutines for more.

    At most three are named, then "and N more".
    """
    tasks = list(tasks)
    if len(tasks) == 1:
        return describe_task(tasks[0])
    text = ", ".join(_name_and_coroutine(task) for task in tasks[:_MAX_SUMMARY])
    if len(tasks) > _MAX_SUMMARY:
        text += f" and {len(tasks) - _MAX_SUMMARY} more"
    return text


def _name_and_coroutine(task: Any) -> str:
    try:
        return f"<Task {task.get_name()!r} {_coroutine_name(task)}>"
    except Exception as exc:
        return f"<{_unreadable(task, exc)}>"


class _Report:
    """One report: what is shown already, and who completes which future."""

    def __init__(self, tasks: list[Any]) -> None:
        self.tasks = tasks
        self.shown: set[int] = set()
        self.budget = _MAX_TASKS
        self._completers: Optional[dict[int, list[Any]]] = None
        self._timers: Optional[dict[int, float]] = None
        self._loop: Any = None
        for task in tasks:
            try:
                self._loop = task.get_loop()
                break
            except Exception:
                continue

    def blocks(self) -> list[str]:
        waited_for: set[int] = set()
        for task in self.tasks:
            try:
                waited_for.update(id(other) for other in self.awaited(task))
            except Exception:
                continue
        roots = [t for t in self.tasks if id(t) not in waited_for]
        blocks = []
        # Roots first; what is left waits in a cycle and was reached by no root.
        for task in roots + [t for t in self.tasks if id(t) in waited_for]:
            if id(task) in self.shown:
                continue
            if self.budget <= 0:
                hidden = sum(1 for t in self.tasks if id(t) not in self.shown)
                blocks.append(f"... {hidden} more task{_s(hidden)} not shown")
                break
            blocks.append("\n".join(self.block(task, 0, ())))
        return blocks

    def block(self, task: Any, depth: int, path: tuple[int, ...]) -> list[str]:
        """The lines of one task, its waits nested below it (not indented)."""
        self.shown.add(id(task))
        self.budget -= 1
        try:
            return self._block(task, depth, path)
        except Exception as exc:
            return [_unreadable(task, exc)]

    def _block(self, task: Any, depth: int, path: tuple[int, ...]) -> list[str]:
        lines = [f"Task {task.get_name()!r} {_coroutine_name(task)}"]
        created = _created_at(task)
        if created:
            lines.append(f"  created at {created}")
        state = _finished_state(task)
        if state is not None:
            return [lines[0] + f": {state}", *lines[1:]]
        coro = task.get_coro()
        if _not_started(coro):
            return [lines[0] + ": not started", *lines[1:]]
        frames, leaf = _chain(coro)
        lines.extend("  " + line for line in _frame_lines(frames))
        if getattr(coro, "cr_running", False) is True:
            lines.append("  running now")
            return lines
        waiter = _compat.task_waiter(task)
        if waiter is None:
            what = "scheduled to resume" if leaf is None else f"waiting in {_short_repr(leaf)}"
            lines.append(f"  {what}")
            return lines
        seen = {_where(frame) for frame in frames}
        lines.extend("  " + line for line in self._wait_lines(task, waiter, depth, path, seen))
        return lines

    def _wait_lines(
        self, task: Any, waiter: Any, depth: int, path: tuple[int, ...], seen: set[str]
    ) -> list[str]:
        others = self.awaited(task, waiter)
        if not others:
            text = f"waits for {_future_repr(waiter, seen)}"
            due = self.timers().get(id(waiter))
            if due is not None:
                text += f", which a timer completes in {_seconds(due - self._now())}"
            return [text]
        lines = []
        path = (*path, id(task))
        for other in others:
            head = f"waits for Task {other.get_name()!r} {_coroutine_name(other)}"
            if id(other) in path:
                lines.append(f"{head}, shown above: a cycle, these tasks wait for each other")
            elif id(other) in self.shown:
                lines.append(f"{head}, shown above")
            elif depth + 1 >= _MAX_DEPTH or self.budget <= 0:
                lines.append(f"{head} (not shown: the report is too long)")
            else:
                nested = self.block(other, depth + 1, path)
                lines.append(f"waits for {nested[0]}")
                lines.extend(nested[1:])
        return lines

    def awaited(self, task: Any, waiter: Any = None) -> list[Any]:
        """The tasks ``task`` waits for: the task it awaits, or those completing its future."""
        if waiter is None:
            waiter = _compat.task_waiter(task)
            if waiter is None:
                return []
        if isinstance(waiter, asyncio.Future) and hasattr(waiter, "get_coro"):
            return [waiter]
        return [t for t in self.completers().get(id(waiter), ()) if t is not task]

    def completers(self) -> dict[int, list[Any]]:
        """For each future, the pending tasks whose done callbacks complete it."""
        if self._completers is None:
            index: dict[int, list[Any]] = {}
            for task in self._loop_tasks():
                for callback in _compat.future_callbacks(task):
                    for target in _compat.callback_referents(callback):
                        if isinstance(target, asyncio.Future) and target is not task:
                            found = index.setdefault(id(target), [])
                            if task not in found:
                                found.append(task)
            self._completers = index
        return self._completers

    def timers(self) -> dict[int, float]:
        """For each future a scheduled timer completes (``asyncio.sleep``), when."""
        if self._timers is None:
            self._timers = {}
            for handle in _compat.scheduled_timers(self._loop) or () if self._loop else ():
                if _compat.handle_is_cancelled(handle):
                    continue
                for arg in _compat.handle_callback(handle)[1]:
                    if isinstance(arg, asyncio.Future):
                        self._timers[id(arg)] = _compat.timer_when(handle)
        return self._timers

    def _loop_tasks(self) -> list[Any]:
        tasks = list(self.tasks)
        if self._loop is not None:
            known = set(map(id, tasks))
            tasks.extend(t for t in pending_tasks(self._loop) if id(t) not in known)
        return tasks

    def _now(self) -> float:
        return float(self._loop.time())


# -- one task's chain of awaitables ----------------------------------------------------


def _chain(coro: Any) -> tuple[list[types.FrameType], Any]:
    """The frames from ``coro`` down its await chain, and what the last one awaits."""
    frames: list[types.FrameType] = []
    current = coro
    for _ in range(_MAX_CHAIN):
        frame, awaited = _frame_and_awaited(current)
        if frame is None:
            return frames, current
        frames.append(frame)
        if awaited is None:
            return frames, None
        current = awaited
    return frames, current


def _frame_and_awaited(obj: Any) -> tuple[Optional[types.FrameType], Any]:
    for frame_name, awaited_name in (
        ("cr_frame", "cr_await"), ("gi_frame", "gi_yieldfrom"), ("ag_frame", "ag_await"),
    ):
        frame = getattr(obj, frame_name, None)
        if isinstance(frame, types.FrameType):
            return frame, getattr(obj, awaited_name, None)
    generator = _compat.wrapped_generator(obj)
    if generator is not None:
        return _frame_and_awaited(generator)
    return None, None


def _not_started(coro: Any) -> bool:
    for kind in ("cr", "gi"):
        frame = getattr(coro, f"{kind}_frame", None)
        if isinstance(frame, types.FrameType):
            suspended = getattr(coro, f"{kind}_suspended", None)  # 3.11+
            if isinstance(suspended, bool):
                return not suspended and getattr(coro, f"{kind}_running", None) is False
            return frame.f_lasti < 0
    return False


def _frame_lines(frames: list[types.FrameType]) -> list[str]:
    """One line per frame, runs of library frames folded, the innermost kept."""
    lines: list[str] = []
    run: list[types.FrameType] = []

    def fold() -> None:
        if run:
            places = sorted({_library(f) for f in run})
            names = list(dict.fromkeys(_function(f) for f in run))
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            count = f"{len(run)} frame{_s(len(run))}"
            lines.append(f"... {count} in {', '.join(places)} ({shown})")
            run.clear()

    for frame in frames:
        if _library(frame):
            run.append(frame)
            continue
        fold()
        line = f"{_where(frame)} in {_function(frame)}"
        source = _source(frame)
        lines.append(f"{line}: `{source}`" if source else line)
    fold()
    if len(lines) > _MAX_SHOWN_FRAMES:
        kept = _MAX_SHOWN_FRAMES - 1
        lines = [lines[0], f"... {len(lines) - kept} more lines", *lines[-(kept - 1):]]
    return lines


def _library(frame: types.FrameType) -> str:
    """The package a frame of the standard library or of asynctest is in; "" for others."""
    filename = os.path.normcase(frame.f_code.co_filename)
    if filename.startswith(_OWN):
        return "asynctest"
    if filename.startswith(_STDLIB) and "site-packages" not in filename:
        module = frame.f_globals.get("__name__")
        return module.partition(".")[0] if isinstance(module, str) and module else "stdlib"
    return ""


def _innermost_own(frames: list[types.FrameType]) -> types.FrameType:
    for frame in reversed(frames):
        if not _library(frame):
            return frame
    return frames[-1]


def _where(frame: Any) -> str:
    return f"{_short_path(frame.f_code.co_filename)}:{frame.f_lineno}"


def _short_path(filename: str) -> str:
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive (Windows)
        return filename
    return filename if relative.startswith(os.pardir) else relative


def _function(frame: types.FrameType) -> str:
    code = frame.f_code
    return _short_name(getattr(code, "co_qualname", code.co_name))  # co_qualname: 3.11+


def _short_name(qualname: str) -> str:
    # "test_x.<locals>.fetch" reads "fetch": the enclosing function is one line up.
    return str(qualname).rpartition("<locals>.")[2]


def _source(frame: Any) -> str:
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return line if len(line) <= _MAX_SOURCE else line[: _MAX_SOURCE - 3] + "..."


# -- names and states ------------------------------------------------------------------


def _coroutine_name(task: Any) -> str:
    coro = task.get_coro()
    try:
        name = getattr(coro, "__qualname__", None)
    except Exception:  # a coroutine-like object of the user's, broken
        name = None
    if not isinstance(name, str):
        name = type(coro).__name__
    return f"{_short_name(name)}()"


def _finished_state(task: Any) -> Optional[str]:
    if not task.done():
        return None
    if task.cancelled():
        return "cancelled"
    exc = _compat.future_exception(task)
    return f"failed with {_short_repr(exc)}" if exc is not None else "done"


def _created_at(future: Any, seen: Iterable[str] = ()) -> str:
    """Where user code created ``future`` (debug mode), "" if unknown or in ``seen``."""
    stack = _compat.future_source_traceback(future)
    if not stack:
        return ""
    frames = list(stack)
    for entry in reversed(frames):
        filename = os.path.normcase(entry.filename)
        if not filename.startswith(_OWN) and not filename.startswith(_STDLIB):
            break
    else:
        entry = frames[-1]
    where = f"{_short_path(entry.filename)}:{entry.lineno}"
    return "" if where in seen else f"{where} in {_short_name(entry.name)}"


def _future_repr(future: Any, seen: Iterable[str] = ()) -> str:
    if not isinstance(future, asyncio.Future):
        return _short_repr(future)
    state = "pending" if not future.done() else (_finished_state(future) or "done")
    text = f"<{type(future).__name__} {state}>"
    created = _created_at(future, seen)
    return f"{text} created at {created}" if created else text


def _short_repr(obj: Any) -> str:
    try:
        text = repr(obj)
    except Exception as exc:
        return f"<{type(obj).__name__} object, repr() failed: {_error(exc)}>"
    return text if len(text) <= _MAX_SOURCE else text[: _MAX_SOURCE - 3] + "..."


def _unreadable(task: Any, exc: BaseException) -> str:
    try:
        label = f"Task {task.get_name()!r}"
    except Exception:
        label = _short_repr(task)
    return f"{label}: cannot tell where it waits ({_error(exc)})"


def _error(exc: BaseException) -> str:
    try:
        return f"{type(exc).__name__}: {exc}"
    except Exception:
        return type(exc).__name__


def _seconds(delay: float) -> str:
    delay = max(delay, 0.0)
    return f"{delay:.0f} s" if delay >= 100 else f"{delay:.3g} s"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
