"""The rules of the documentation site (docs/README.md), checked on the sources.

- every public name (``__all__`` of asynctest, asynctest.mock, asynctest.selector
  and asynctest.pytest_plugin) has a docstring and a place in the API reference
  (an autodoc directive of docs/reference/ naming it, or, for the names of
  unittest and unittest.mock that asynctest re-exports, a mention there);
- no page has an inline code block but ``console`` ones: code comes from files;
- every ``literalinclude`` names an existing file under examples/ that a test
  names (by its path relative to examples/ or its dotted module name);
- the README's Python example is (a run of whole lines of) such a file;
- every option and marker argument of the pytest plugin is on its page.

Each rule is a function returning what breaks it, tested here on the real
sources and on small made-up inputs that must break it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import unittest
import unittest.mock
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import asynctest
import asynctest.mock
import asynctest.pytest_plugin
import asynctest.selector

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"
EXAMPLES = ROOT / "examples"
TESTS = ROOT / "tests"
README = ROOT / "README.md"

PUBLIC_MODULES = ("asynctest", "asynctest.mock", "asynctest.selector", "asynctest.pytest_plugin")
# Re-exported as they are: documented by the standard library, named in the reference.
STDLIB_MODULES = (unittest, unittest.mock)


def public_names() -> list[tuple[str, str]]:
    """(module, name) for every name of the public modules' ``__all__``."""
    return [(module, name) for module in PUBLIC_MODULES
            for name in importlib.import_module(module).__all__]


def is_stdlib_reexport(module: str, name: str) -> bool:
    obj = getattr(importlib.import_module(module), name)
    return any(getattr(stdlib, name, None) is obj for stdlib in STDLIB_MODULES)


# -- docstrings ------------------------------------------------------------------------

def doc_comment(module: str, name: str) -> str | None:
    """The ``#:`` comment above, or the string below, ``name = ...`` in ``module``'s source."""
    source = inspect.getsource(importlib.import_module(module))
    lines = source.splitlines()
    body = ast.parse(source).body
    for index, node in enumerate(body):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        if not any(isinstance(t, ast.Name) and t.id == name for t in targets):
            continue
        comment = []
        line = node.lineno - 2
        while line >= 0 and lines[line].strip().startswith("#:"):
            comment.insert(0, lines[line].strip()[2:].strip())
            line -= 1
        if comment:
            return " ".join(comment)
        after = body[index + 1] if index + 1 < len(body) else None
        if (isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            return after.value.value
    return None


def docstring(module: str, name: str) -> str | None:
    """What autodoc shows for ``module.name``: its own docstring, not one it inherits."""
    obj = getattr(importlib.import_module(module), name)
    if isinstance(obj, type):
        doc = obj.__dict__.get("__doc__")
    elif inspect.isroutine(obj):
        doc = obj.__doc__
    else:  # an instance: a __doc__ of its own, else a doc comment where it is assigned
        own = getattr(obj, "__dict__", {}).get("__doc__")
        homes = [home for home in PUBLIC_MODULES
                 if getattr(importlib.import_module(home), name, None) is obj]
        comments = [doc_comment(home, name) for home in homes]
        doc = own if own is not None else next((c for c in comments if c), None)
        if doc is None and callable(obj):  # a callable object (patch): its class's own
            doc = type(obj).__dict__.get("__doc__")
    return doc.strip() if isinstance(doc, str) and doc.strip() else None


def missing_docstrings() -> list[str]:
    return [f"{module}.{name}" for module, name in public_names()
            if not is_stdlib_reexport(module, name) and docstring(module, name) is None]


def test_every_public_name_has_a_docstring() -> None:
    missing = missing_docstrings()
    assert not missing, f"public names without a docstring: {', '.join(missing)}"


def test_a_name_without_docstring_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def undocumented() -> None:
        pass

    monkeypatch.setattr(asynctest.selector, "undocumented", undocumented, raising=False)
    monkeypatch.setattr(asynctest.selector, "__all__", [*asynctest.selector.__all__,
                                                        "undocumented"])
    assert missing_docstrings() == ["asynctest.selector.undocumented"]


def test_data_is_documented_by_its_doc_comment() -> None:
    assert doc_comment("asynctest.mock", "AsyncMock") == (
        "``unittest.mock.AsyncMock``'s name for :class:`CoroutineMock`."
    )
    assert docstring("asynctest.mock", "GLOBAL") is not None
    assert doc_comment("asynctest.mock", "CoroutineMock") is None  # imported, not assigned


def shown_docstrings() -> dict[str, str]:
    """The docstrings the API reference shows: modules, public names, their public members."""
    shown = {module: importlib.import_module(module).__doc__ or "" for module in PUBLIC_MODULES}
    for module, name in public_names():
        if is_stdlib_reexport(module, name):
            continue
        obj = getattr(importlib.import_module(module), name)
        shown[f"{module}.{name}"] = docstring(module, name) or ""
        if isinstance(obj, type):
            for member, value in vars(obj).items():
                if not member.startswith("_"):
                    doc = getattr(value, "__doc__", None)
                    if isinstance(value, property) or inspect.isroutine(value) or isinstance(
                            value, (classmethod, staticmethod)):
                        shown[f"{module}.{name}.{member}"] = doc or ""
    return shown


def code_in_docstring(doc: str) -> bool:
    """Whether a docstring holds a code block (``::`` literal block or a ``>>>`` session)."""
    return any(line.rstrip().endswith("::") or line.lstrip().startswith(">>>")
               for line in doc.splitlines())


def test_no_docstring_of_the_reference_shows_code() -> None:
    found = sorted(name for name, doc in shown_docstrings().items() if code_in_docstring(doc))
    assert not found, (
        f"docstrings with a code block (say it in a sentence, or show it in the tutorial "
        f"from a tested example): {', '.join(found)}"
    )


def test_code_in_a_docstring_is_found() -> None:
    assert code_in_docstring("Do it.\n\nExample::\n\n    do_it()\n")
    assert code_in_docstring("Do it.\n\n>>> do_it()\n")
    assert not code_in_docstring("Do it with ``do_it()``: see :class:`Thing`.")


# -- the API reference ----------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>[^`]*?)\s*$")
AUTODOC = re.compile(r"^\s*\.\.\s+(?P<kind>auto\w+)::\s+(?P<target>[\w.]+)")
OPTION = re.compile(r"^\s+:(?P<name>[\w-]+):\s*(?P<value>.*)$")


class Directive(NamedTuple):
    kind: str  # "autoclass", "automodule", ...
    target: str  # the dotted name it documents
    options: dict[str, str]
    line: int


def autodoc_directives(text: str) -> list[Directive]:
    """The autodoc directives of a page (in ``{eval-rst}`` blocks or an .rst page)."""
    lines = text.splitlines()
    found = []
    for index, line in enumerate(lines):
        match = AUTODOC.match(line)
        if not match:
            continue
        options = {}
        for following in lines[index + 1:]:
            option = OPTION.match(following)
            if not option:
                break
            options[option["name"]] = option["value"].strip()
        found.append(Directive(match["kind"], match["target"], options, index + 1))
    return found


def misplaced_autodoc(text: str) -> list[int]:
    """Lines of MyST-fenced autodoc directives: MyST reads their output as Markdown."""
    return [number for number, line in enumerate(text.splitlines(), 1)
            if (m := FENCE.match(line)) and m["info"].startswith("{auto")]


def documented_names(pages: dict[str, str]) -> set[str]:
    """The dotted names the autodoc directives of ``pages`` (path: text) document."""
    names = set()
    for text in pages.values():
        for directive in autodoc_directives(text):
            names.add(directive.target)
            if directive.kind == "automodule" and "members" in directive.options:
                listed = directive.options["members"]
                module = importlib.import_module(directive.target)
                members = ([part.strip() for part in listed.split(",") if part.strip()]
                           if listed else list(getattr(module, "__all__", [])))
                names.update(f"{directive.target}.{member}" for member in members)
    return names


def reference_pages() -> dict[str, str]:
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
            for path in sorted(REFERENCE.rglob("*")) if path.suffix in (".md", ".rst")}


def missing_from_reference(pages: dict[str, str]) -> list[str]:
    """Public names the pages do not document (a re-export counts where it is documented)."""
    documented = documented_names(pages)
    text = "\n".join(pages.values())
    missing = []
    for module, name in public_names():
        obj = getattr(importlib.import_module(module), name)
        if is_stdlib_reexport(module, name):
            if f"`{name}`" not in text:
                missing.append(f"{module}.{name} (a name of the standard library: name it)")
            continue
        homes = [other for other in PUBLIC_MODULES
                 if getattr(importlib.import_module(other), name, None) is obj]
        if not any(f"{home}.{name}" in documented for home in homes):
            missing.append(f"{module}.{name}")
    return missing


def test_every_public_name_is_in_the_api_reference() -> None:
    missing = missing_from_reference(reference_pages())
    assert not missing, (
        f"public names missing from docs/reference/ (add an autodoc directive in an "
        f"{{eval-rst}} block): {', '.join(missing)}"
    )


def test_autodoc_directives_are_in_eval_rst_blocks() -> None:
    wrong = [f"{page}:{line}" for page, text in reference_pages().items()
             for line in misplaced_autodoc(text)]
    assert not wrong, f"autodoc directive in a MyST fence (use {{eval-rst}}): {wrong}"


def test_a_public_name_missing_from_the_reference_is_reported() -> None:
    pages = reference_pages()
    without = {page: text.replace(".. autoclass:: asynctest.TestCase\n", "")
               for page, text in pages.items()}
    assert missing_from_reference(without) == ["asynctest.TestCase"]
    # A re-export is documented where its module documents it.
    without = {page: text.replace(".. autoclass:: asynctest.mock.CoroutineMock\n", "")
               for page, text in pages.items()}
    assert missing_from_reference(without) == ["asynctest.CoroutineMock",
                                               "asynctest.mock.CoroutineMock"]
    # An automodule with :members: documents what it lists.
    page = ".. automodule:: asynctest.selector\n   :members: fd, isfilemock\n"
    assert {"asynctest.selector.fd", "asynctest.selector.isfilemock"} <= documented_names(
        {"page": page})
    assert misplaced_autodoc("```{autoclass} asynctest.TestCase\n```\n") == [1]


# -- no inline code in a page ----------------------------------------------------------

CODE_DIRECTIVES = ("{code-block}", "{code}", "{sourcecode}", "{code-cell}")
RST_CODE = re.compile(r"^\s*\.\.\s+(code-block|code|sourcecode)::\s*(?P<language>\S*)")


def inline_code_blocks(text: str) -> list[tuple[int, str]]:
    """(line, opening) of every code block written in the page that is not ``console``.

    Directives are scanned inside (their content is Markdown, or reStructuredText
    for ``{eval-rst}``); a code block's content is skipped to its closing fence.
    """
    found: list[tuple[int, str]] = []
    stack: list[str] = []  # open directive fences
    code_fence: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if code_fence is not None:
            if match and not match["info"] and match["fence"][0] == code_fence[0] \
                    and len(match["fence"]) >= len(code_fence):
                code_fence = None
            continue
        if match is None:
            rst = RST_CODE.match(line)
            if rst and rst["language"] != "console":
                found.append((number, line.strip()))
            continue
        fence, info = match["fence"], match["info"]
        if not info and stack and fence[0] == stack[-1][0] and len(fence) >= len(stack[-1]):
            stack.pop()  # the end of a directive
            continue
        language = info.split()[0] if info else ""
        if language.startswith("{") and language not in CODE_DIRECTIVES:
            stack.append(fence)
            continue
        if language.startswith("{"):
            language = info.split()[1] if len(info.split()) > 1 else ""
        if language != "console":
            found.append((number, line.strip()))
        code_fence = fence
    return found


def pages() -> list[Path]:
    build = DOCS / "_build"
    return [path for path in sorted(DOCS.rglob("*"))
            if path.suffix in (".md", ".rst") and build not in path.parents
            and path != DOCS / "README.md"]


def test_no_page_has_inline_code_but_console_blocks() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}: {opening}"
             for path in pages()
             for line, opening in inline_code_blocks(path.read_text(encoding="utf-8"))]
    assert not found, (
        "code written in a page (include it from a file under examples/ with "
        "{literalinclude}; only ```console blocks of commands may be inline):\n"
        + "\n".join(found)
    )


def test_inline_code_blocks_are_found() -> None:
    page = "\n".join([
        "```console",            # 1: allowed
        "$ bash scripts/test",
        "```",
        "```python",             # 4: inline Python
        "x = 1",
        "```",
        "````{note}",            # 7: a directive, scanned inside
        "```py",                 # 8
        "```",
        "````",
        "```{code-block} python",  # 11
        "```",
        "```{eval-rst}",
        ".. code-block:: python",  # 14
        "```",
        "```{literalinclude} ../examples/x.py",
        ":language: python",
        "```",
        "~~~",                   # 19: no language is not console either
        "~~~",
    ])
    assert [line for line, _ in inline_code_blocks(page)] == [4, 8, 11, 14, 19]


# -- literalinclude targets ------------------------------------------------------------

INCLUDE = re.compile(r"^\s*(?:(?:`{3,}|~{3,}|:{3,})\s*\{literalinclude\}|\.\.\s+literalinclude::)"
                     r"\s+(?P<path>\S+)")


def texts_of_tests() -> str:
    """The text of every test module but this one (whose examples name made-up files)."""
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(TESTS.rglob("*.py"))
                     if path != Path(__file__).resolve())


def named_by_a_test(example: Path, texts: str) -> bool:
    relative = example.relative_to(EXAMPLES)
    dotted = ".".join(relative.with_suffix("").parts)
    return relative.as_posix() in texts or (example.suffix == ".py" and re.search(
        rf"(?<![\w.]){re.escape(dotted)}(?![\w])", texts) is not None) or (
        # "from clock import test_backoff" names clock.test_backoff
        example.suffix == ".py" and len(relative.parts) > 1 and re.search(
            rf"from {re.escape('.'.join(relative.parts[:-1]))} import [^\n]*\b"
            rf"{re.escape(relative.stem)}\b", texts) is not None)


def imported_by_a_named_example(example: Path, texts: str) -> bool:
    """Whether an example module a test names imports ``example`` (a module it tests)."""
    if example.suffix != ".py":
        return False
    relative = example.relative_to(EXAMPLES).with_suffix("")
    names = {relative.name, ".".join(relative.parts)}
    pattern = re.compile(
        r"^\s*(?:import|from)\s+(" + "|".join(re.escape(name) for name in names) + r")\b",
        re.MULTILINE,
    )
    return any(
        other != example and pattern.search(other.read_text(encoding="utf-8")) is not None
        and named_by_a_test(other, texts)
        for other in EXAMPLES.rglob("*.py")
    )


def bad_includes(page: Path, text: str, texts: str) -> list[str]:
    """What is wrong with each literalinclude of ``page`` (missing, elsewhere, untested)."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        match = INCLUDE.match(line)
        if not match:
            continue
        name = match["path"]
        target = (DOCS / name.lstrip("/")) if name.startswith("/") else page.parent / name
        target = target.resolve()
        where = f"{page.relative_to(ROOT)}:{number}: {name}"
        if not target.is_file():
            problems.append(f"{where}: no such file")
        elif EXAMPLES not in target.parents:
            problems.append(f"{where}: not under examples/")
        elif not (named_by_a_test(target, texts) or imported_by_a_named_example(target, texts)):
            relative = target.relative_to(EXAMPLES)
            problems.append(f"{where}: no test names {relative.as_posix()!r} (or its module)")
    return problems


def test_every_included_file_is_an_example_a_test_names() -> None:
    texts = texts_of_tests()
    problems = [problem for path in pages()
                for problem in bad_includes(path, path.read_text(encoding="utf-8"), texts)]
    assert not problems, "\n".join(problems)


def test_bad_includes_are_reported() -> None:
    page = DOCS / "tutorial" / "made-up.md"
    text = "\n".join([
        "```{literalinclude} ../../examples/no/such_file.py",
        "```",
        "```{literalinclude} ../../pyproject.toml",
        "```",
        "```{literalinclude} ../../examples/readme/test_readme.py",
        "```",
    ])
    problems = bad_includes(page, text, texts="")
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "../../examples/no/such_file.py: no such file",
        "../../pyproject.toml: not under examples/",
        "../../examples/readme/test_readme.py: no test names 'readme/test_readme.py' "
        "(or its module)",
    ]
    readme_example = EXAMPLES / "readme" / "test_readme.py"
    assert named_by_a_test(readme_example, "run('readme/test_readme.py')")
    assert named_by_a_test(readme_example, "import readme.test_readme")
    assert named_by_a_test(readme_example, "from readme import test_readme")
    assert not named_by_a_test(readme_example, "import readme.test_readme_two")
    # A module that a named example imports is run with it; unimported, it is not.
    protocol = EXAMPLES / "selector" / "line_protocol.py"
    assert imported_by_a_named_example(protocol, "selector/test_line_protocol.py")
    assert not imported_by_a_named_example(protocol, "selector/other.py")
    assert not imported_by_a_named_example(EXAMPLES / "hidden" / "test_timeout.txt",
                                           "selector/test_line_protocol.py")


# -- the README's example --------------------------------------------------------------

def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line, content) of the ```python blocks of a Markdown text."""
    blocks, current, start = [], None, 0
    for number, line in enumerate(text.splitlines(), 1):
        if current is None:
            if re.match(r"^```\s*python\s*$", line):
                current, start = [], number
        elif line.startswith("```"):
            blocks.append((start, "\n".join(current)))
            current = None
        else:
            current.append(line)
    return blocks


def source_of(block: str) -> Path | None:
    """The file under examples/ whose whole lines ``block`` is, if any."""
    wanted = block.strip("\n").splitlines()
    for path in sorted(EXAMPLES.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for start in range(len(lines) - len(wanted) + 1):
            if lines[start:start + len(wanted)] == wanted:
                return path
    return None


def test_the_readme_example_is_a_tested_example_file() -> None:
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert blocks, "README.md has no ```python example"
    texts = texts_of_tests()
    for line, block in blocks:
        source = source_of(block)
        assert source is not None, (
            f"README.md:{line}: the example is not (a run of whole lines of) a file under "
            f"examples/: copy it from the file a test runs"
        )
        assert named_by_a_test(source, texts), (
            f"README.md:{line}: {source.relative_to(ROOT)} is named by no test"
        )


def test_a_readme_example_not_from_a_file_is_reported() -> None:
    assert python_blocks("text\n```python\nx = 1\n```\n") == [(2, "x = 1")]
    assert source_of("import asynctest\nprint('not an example')") is None


# -- the pytest plugin's options -------------------------------------------------------

class _Recorder:
    """A stand-in for pytest's parser that records the names the plugin registers."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def getgroup(self, *args: Any, **kwargs: Any) -> _Recorder:
        return self

    def addoption(self, *names: str, **kwargs: Any) -> None:
        self.names.extend(names)

    def addini(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.names.append(name)


def test_every_option_and_marker_argument_of_the_plugin_is_documented() -> None:
    recorder = _Recorder()
    asynctest.pytest_plugin.pytest_addoption(recorder)  # type: ignore[arg-type]
    assert "--asynctest-timeout" in recorder.names and "asynctest_mode" in recorder.names
    arguments = [f"{name}=" for name in asynctest.pytest_plugin._MARKER_ARGUMENTS]
    text = (REFERENCE / "pytest-plugin.md").read_text(encoding="utf-8")
    missing = [name for name in recorder.names + arguments if f"`{name}" not in text]
    assert not missing, f"docs/reference/pytest-plugin.md does not name: {missing}"
