"""Import rules: the engine never imports unittest; private names live in _compat only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "asynctest"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_engine_never_imports_unittest_or_pytest() -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(
            name for name in _imports(path) if name.split(".")[0] in ("unittest", "pytest")
        )
        for path in (SRC / "_engine").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


# asyncio attributes that are private but reached through `asyncio.events` in
# _compat only; other modules must not spell them.
_PRIVATE_ASYNCIO = re.compile(
    r"(?<!self)\.(_ready|_scheduled|_selector|_asyncgens|_default_executor|_clock_resolution|"
    r"_event_loop_policy|_local|_callback|_args|_source_traceback|_get_running_loop|"
    r"_set_running_loop|_ssock|_signal_handlers|_log_destroy_pending|_fut_waiter|_children|"
    r"_threads|_current_frames|_work_queue)\b"
)


def test_asyncio_privates_are_touched_in_compat_only() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "_compat.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if _PRIVATE_ASYNCIO.search(code):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []
