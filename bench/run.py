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
    "autosave": "bench.autosave",
    "start_burst": "bench.start_burst",
    "pages": "bench.pages",
    "roleplay": "bench.roleplay",
    "certification": "bench.certification",
    "reports": "bench.reports",
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
    """Bar charts (SVG, like the app's own charts) of the figures, compared at a glance.

    A benchmark module may define `charts(figures) -> {suffix: {series: {label: value}}}` for
    nested figures; otherwise its top-level `*_seconds`/`*_ms` figures make one chart.
    """
    module = importlib.import_module(BENCHMARKS[name])
    if hasattr(module, "charts"):
        for suffix, series in module.charts(figures).items():
            _bar_chart(f"{name} · {suffix}", series, RESULTS / f"{name}-{suffix}.svg")
        return
    timings = {k: v for k, v in figures.items() if k.endswith(("_seconds", "_ms"))}
    if timings:
        _bar_chart(name, {name: timings}, RESULTS / f"{name}.svg")


def _bar_chart(title: str, series: dict[str, dict[str, float]], path: Path) -> None:
    import pygal

    labels = list(dict.fromkeys(label for values in series.values() for label in values))
    chart = pygal.HorizontalBar(title=title, show_legend=len(series) > 1, legend_at_bottom=True,
                                print_values=True,
                                height=160 + 36 * len(labels) * len(series))
    chart.x_labels = labels
    for serie, values in series.items():
        chart.add(serie, [values.get(label) for label in labels])
    chart.render_to_file(str(path))


def main(names: list[str]) -> None:
    for name in names or list(BENCHMARKS):
        record = run_one(name)
        print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
