"""Sphinx configuration of asynctest-ng's documentation (built by scripts/docs)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

project = "asynctest-ng"
author = "the asynctest-ng developers"
copyright = "2026, the asynctest-ng developers"  # noqa: A001 (Sphinx's name)

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
# README.md says how the docs are built; it is not a page of the site.
exclude_patterns = ["_build", "README.md"]

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# Docstrings write names in double backquotes; a single backquote is literal too.
default_role = "literal"
autodoc_member_order = "bysource"
autodoc_typehints = "description"

html_theme = "alabaster"
html_static_path = ["_static"]
html_title = "asynctest-ng"

# Names of the standard library and of pytest that docstrings refer to: without
# intersphinx (the build is offline) they have no target to link to.
nitpick_ignore_regex = [
    (r"py:.*", r"(unittest|asyncio|selectors|socket|ssl|contextvars|enum|typing|types|"
               r"collections|threading|concurrent|io|os|re)(\..*)?"),
    (r"py:.*", r"(_pytest|pytest|pluggy)(\..*)?"),
    # Type variables of private modules, in signatures (``def f(x: T) -> T``).
    (r"py:class", r"asynctest\._[\w.]*\.T"),
    # What patch() returns: described in its docstring, not a public name.
    (r"py:class", r"(asynctest\._mock\.patching\.)?Patcher"),
    # The engine's clock, which the pytest plugin's Clock wraps (users get a Clock).
    (r"py:class", r"VirtualClock"),
]
