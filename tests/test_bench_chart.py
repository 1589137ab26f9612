"""bench/chart.py reads the benchmarks' output and draws the chart the docs show.

Fast: it parses the recorded outputs under bench/results/ (and made-up ones);
it runs no benchmark.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from _support import clean_environment

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SVG = ROOT / "docs" / "_static" / "per-test-cost.svg"
OVERHEAD = RESULTS / "overhead-3.13.txt"
PYTEST_OVERHEAD = RESULTS / "pytest-overhead-3.13.txt"

_spec = importlib.util.spec_from_file_location("bench_chart", ROOT / "bench" / "chart.py")
assert _spec is not None and _spec.loader is not None
chart = importlib.util.module_from_spec(_spec)
sys.modules["bench_chart"] = chart  # dataclasses look the module up
_spec.loader.exec_module(chart)

NS = {"svg": "http://www.w3.org/2000/svg"}


def test_reads_every_variant_of_overhead_output() -> None:
    panel = chart.parse(OVERHEAD.read_text(encoding="utf-8"), str(OVERHEAD))
    assert [label for label, _ in panel.bars] == [
        "floor: a bare new loop",
        "unittest.IsolatedAsyncioTestCase",
        "asynctest.TestCase",
        "asynctest.TestCase, @strict",
    ]
    assert "Python 3.13" in panel.title and "2000 tests" in panel.title
    assert all(us > 0 for _, us in panel.bars)


def test_reads_every_variant_of_pytest_overhead_output() -> None:
    panel = chart.parse(PYTEST_OVERHEAD.read_text(encoding="utf-8"), str(PYTEST_OVERHEAD))
    assert [label for label, _ in panel.bars] == [
        "pytest, a sync test", "pytest-asyncio", "asynctest's plugin",
        "floor: a bare new loop per test",
    ]
    assert panel.title.startswith("pytest, CPU time per trivial test")


def test_reads_the_figures_as_printed() -> None:
    text = "\n".join([
        "# a note",
        "Python 3.12.1, 50 tests per variant, median of 3 round(s)",
        "ratio floor: new_event_loop + run_until_complete        55.0 µs/test   1.00x floor",
        "ratio asynctest.TestCase                                66.5 µs/test   1.21x floor",
        "PASS asynctest.TestCase: 1.21x floor (target <= 1.25x)",
    ])
    panel = chart.parse(text)
    assert panel.bars == [("floor: a bare new loop", 55.0), ("asynctest.TestCase", 66.5)]
    assert "median of 3 rounds" in panel.title


@pytest.mark.parametrize("text", ["", "Traceback (most recent call last):\n  boom"])
def test_other_text_is_refused_naming_its_source(text: str) -> None:
    with pytest.raises(ValueError, match=r"^results\.txt: not the output of bench/overhead\.py"):
        chart.parse(text, "results.txt")


def test_a_header_without_figures_is_refused() -> None:
    with pytest.raises(ValueError, match="no figure follows it"):
        chart.parse("Python 3.13.0, 50 tests per variant, median of 1 round(s)\n", "out")


def test_bars_are_proportional_to_the_figures() -> None:
    svg = chart.render([chart.Panel("t", [("a", 100.0), ("asynctest", 25.0)])])
    root = ET.fromstring(svg)
    widths = [float(rect.get("width")) for rect in root.findall("svg:rect", NS)[1:]]
    assert widths == [chart._BAR_AREA, chart._BAR_AREA / 4]
    texts = [element.text for element in root.iter(f"{{{NS['svg']}}}text")]
    assert texts == ["t", "a", "100.0 µs", "asynctest", "25.0 µs"]


def test_the_committed_chart_is_drawn_from_the_committed_outputs(tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "chart.py"), str(OVERHEAD), str(PYTEST_OVERHEAD),
         "-o", str(out)],
        capture_output=True, text=True, timeout=60, env=clean_environment(),
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == SVG.read_text(encoding="utf-8"), (
        "docs/_static/per-test-cost.svg is not the chart of bench/results/: run "
        "python bench/chart.py bench/results/overhead-3.13.txt "
        "bench/results/pytest-overhead-3.13.txt"
    )


def test_a_bad_input_file_fails_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing here\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "chart.py"), str(bad), "-o", str(tmp_path / "x.svg")],
        capture_output=True, text=True, timeout=60, env=clean_environment(),
    )
    assert done.returncode == 2
    assert f"chart.py: {bad}: not the output of bench/overhead.py" in done.stderr
    assert not (tmp_path / "x.svg").exists()
