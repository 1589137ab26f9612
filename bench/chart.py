"""Draw the per-test cost chart (SVG) from the output of overhead.py and pytest_overhead.py.

    python bench/chart.py bench/results/overhead-3.13.txt \\
        bench/results/pytest-overhead-3.13.txt -o docs/_static/per-test-cost.svg
    python bench/overhead.py --rounds 1 | python bench/chart.py -

Each input is the text one of the two benchmarks prints (a file, or ``-`` for
standard input); lines starting with ``#`` (a note of the date and the
machine) are skipped. The chart has one panel per input: the µs per test of
each variant, as horizontal bars on the panel's own scale. Standard library
only: the SVG is written by hand.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "_static" / "per-test-cost.svg"

# overhead.py: "ratio <label> <µs> µs/test <ratio>x floor"
_RATIO = re.compile(r"^ratio (?P<label>.+?) +(?P<us>\d+(?:\.\d+)?) µs/test "
                    r"+(?P<ratio>[\d.]+)x floor$")
_OVERHEAD_HEAD = re.compile(r"^Python (?P<python>\S+), (?P<tests>\d+) tests per variant, "
                            r"median of (?P<rounds>\d+) round\(s\)$")
# pytest_overhead.py: "cost <name> <µs> µs/test[   adds <µs> µs over sync]"
_COST = re.compile(r"^cost (?P<label>\S+) +(?P<us>-?\d+(?:\.\d+)?) µs/test"
                   r"(?: +adds +(?P<adds>-?\d+(?:\.\d+)?) µs over sync)?")
_PYTEST_HEAD = re.compile(r"^pytest per-test CPU time, (?P<tests>\d+) tests, median of "
                          r"(?P<rounds>\d+) round\(s\), Python (?P<python>[^:]+):$")

# What each variant is called on the chart (the benchmark's label otherwise).
_OVERHEAD_NAMES = {
    "floor: new_event_loop + run_until_complete": "floor: a bare new loop",
    "unittest.IsolatedAsyncioTestCase": "unittest.IsolatedAsyncioTestCase",
    "asynctest.TestCase": "asynctest.TestCase",
    "asynctest.TestCase @strict": "asynctest.TestCase, @strict",
}
_PYTEST_NAMES = {
    "sync": "pytest, a sync test",
    "pytest-asyncio": "pytest-asyncio",
    "asynctest": "asynctest's plugin",
    "bare-loop": "floor: a bare new loop per test",
}


@dataclass
class Panel:
    """One benchmark's figures: a title and (label, µs per test) bars, in print order.

    ``notes`` (one per bar, may be empty) are written after the figure.
    """

    title: str
    bars: list[tuple[str, float]]
    notes: list[str] = field(default_factory=list)


def parse(text: str, source: str = "<input>") -> Panel:
    """Read the output of overhead.py or pytest_overhead.py; ValueError if it is neither."""
    lines = [line.rstrip() for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    for line in lines:
        head = _OVERHEAD_HEAD.match(line)
        if head:
            found = [m for m in map(_RATIO.match, lines) if m]
            bars = [(_OVERHEAD_NAMES.get(m["label"], m["label"]), float(m["us"])) for m in found]
            notes = [f"{float(m['ratio']):.2f}× the floor" for m in found]
            title = (f"unittest, wall time per trivial async test (Python {head['python']}, "
                     f"{head['tests']} tests, {_rounds(head['rounds'])})")
            return _checked(Panel(title, bars, notes), source)
        head = _PYTEST_HEAD.match(line)
        if head:
            found = [m for m in map(_COST.match, lines) if m]
            bars = [(_PYTEST_NAMES.get(m["label"], m["label"]), float(m["us"])) for m in found]
            notes = [f"adds {float(m['adds']):,.1f} µs to a sync test" if m["adds"] else ""
                     for m in found]
            title = (f"pytest, CPU time per trivial test (Python {head['python']}, "
                     f"{head['tests']} tests, {_rounds(head['rounds'])})")
            return _checked(Panel(title, bars, notes), source)
    raise ValueError(
        f"{source}: not the output of bench/overhead.py or bench/pytest_overhead.py "
        f"(no line 'Python X, N tests per variant, ...' or 'pytest per-test CPU time, ...')"
    )


def _rounds(count: str) -> str:
    return "1 round" if count == "1" else f"median of {count} rounds"


def _checked(panel: Panel, source: str) -> Panel:
    if not panel.bars:
        raise ValueError(f"{source}: the benchmark's header is there but no figure follows it")
    return panel


# -- drawing ---------------------------------------------------------------------------

_WIDTH = 820
_LABEL_WIDTH = 260  # left column: the variant's name
_BAR_AREA = 290  # the longest bar
_BAR_HEIGHT = 22
_GAP = 8
_TITLE_HEIGHT = 34
_PANEL_GAP = 22
_OURS = "#2a7ab9"  # asynctest's bars
_THEIRS = "#9a9a9a"


def _panel_svg(panel: Panel, top: float) -> tuple[list[str], float]:
    parts = [f'<text x="10" y="{top + 20:.0f}" class="title">{escape(panel.title)}</text>']
    y = top + _TITLE_HEIGHT
    longest = max(us for _, us in panel.bars) or 1.0
    notes = panel.notes or [""] * len(panel.bars)
    for (label, us), note in zip(panel.bars, notes):
        width = max(us, 0.0) / longest * _BAR_AREA
        colour = _OURS if "asynctest" in label else _THEIRS
        middle = y + _BAR_HEIGHT / 2 + 4
        parts.append(f'<text x="{_LABEL_WIDTH - 8}" y="{middle:.0f}" class="label">'
                     f"{escape(label)}</text>")
        parts.append(f'<rect x="{_LABEL_WIDTH}" y="{y:.0f}" width="{width:.1f}" '
                     f'height="{_BAR_HEIGHT}" fill="{colour}"/>')
        parts.append(f'<text x="{_LABEL_WIDTH + width + 6:.1f}" y="{middle:.0f}" '
                     f'class="value">{us:,.1f} µs{escape(f"  ({note})" if note else "")}</text>')
        y += _BAR_HEIGHT + _GAP
    return parts, y


def render(panels: list[Panel]) -> str:
    """The SVG document of the chart: one panel per benchmark, top to bottom."""
    if not panels:
        raise ValueError("nothing to draw: give at least one benchmark output")
    body: list[str] = []
    y = 0.0
    for panel in panels:
        parts, y = _panel_svg(panel, y)
        body += parts
        y += _PANEL_GAP
    height = y - _PANEL_GAP + 10
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {_WIDTH} {height:.0f}" role="img">\n'
        "<title>Per-test cost: asynctest against the standard library and pytest-asyncio"
        "</title>\n"
        "<style>text{font-family:sans-serif;font-size:13px;fill:#222}"
        ".title{font-weight:bold}.label{text-anchor:end}.value{font-size:12px}</style>\n"
        f'<rect width="{_WIDTH}" height="{height:.0f}" fill="#ffffff"/>\n'
    )
    return head + "\n".join(body) + "\n</svg>\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", metavar="OUTPUT",
                        help="a file the benchmark's output was saved to, or - for stdin")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help="the SVG file to write (default docs/_static/per-test-cost.svg)")
    args = parser.parse_args(argv)
    panels = []
    for name in args.inputs:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            panels.append(parse(text, "standard input" if name == "-" else name))
        except (OSError, ValueError) as exc:
            print(f"chart.py: {exc}", file=sys.stderr)
            return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(panels), encoding="utf-8")
    print(f"chart.py: wrote {os.path.relpath(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
