"""Run every benchmark, write its figures to bench/results/<name>.json and draw them as charts.

`python -m bench.run [name ...]` runs the named ones (default: all).
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS = {
    "import": "bench.import_bench",
    "search": "bench.search_bench",
    "exam_day": "bench.exam_day",
}


def run_one(name: str) -> dict:
    figures = importlib.import_module(BENCHMARKS[name]).run()
    record = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": figures,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    _chart(name, figures)
    return record


def _chart(name: str, figures: dict) -> None:
    """A bar chart (SVG, like the app's own charts) of the timings, compared at a glance."""
    import pygal

    timings = {k: v for k, v in figures.items() if k.endswith(("_seconds", "_ms"))}
    if not timings:
        return
    chart = pygal.HorizontalBar(title=name, show_legend=False, print_values=True, height=120 + 40 * len(timings))
    chart.x_labels = list(timings)
    chart.add(name, list(timings.values()))
    chart.render_to_file(str(RESULTS / f"{name}.svg"))


def main(names: list[str]) -> None:
    for name in names or list(BENCHMARKS):
        record = run_one(name)
        print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
