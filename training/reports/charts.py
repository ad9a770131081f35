"""The reports' charts: pygal SVG documents, drawn once per report build and kept in its
`Chart`s, so the page, the PDF and a saved export show the very same picture.

The look is the exam history's (`training.exams.charts`): white, grey guides, a CJK font first,
no scripts (pygal's tooltips off, its config <script> removed). The page shows each chart with
<img> — the SVG carries its own <style>, which the Content-Security-Policy forbids inline in the
page but allows inside an image document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pygal
from flask_babel import gettext as _

from question_bank.statistics import HistogramBin
from training.exams.charts import (
    PASS_MARK,
    PRIMARY,
    SERIES_COLOURS,
    chart_style,
    time_axis,
    without_scripts,
)
from training.reports.document import Chart

WIDTH, HEIGHT = 1080, 360
FAILING = "#94a3b8"  # bins below the pass mark, beside PRIMARY for those at or above it


def _colours(count: int, first: tuple[str, ...] = ()) -> tuple[str, ...]:
    return (*first, *(SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(count)))


def _common(**options: Any) -> dict[str, Any]:
    """What every report chart shares: size, no scripts, legend below, nothing truncated."""
    return {
        "js": [], "width": WIDTH, "height": HEIGHT, "legend_at_bottom": True,
        "truncate_label": -1, "truncate_legend": -1, "no_data_text": _("暂无数据"),
        **options,
    }


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:g}%"


def _chart(title: str, chart: Any) -> Chart:
    return Chart(title, without_scripts(chart.render_tree()))


def whole_steps(most: int, ticks: int = 5) -> list[int]:
    """Axis labels for a count: whole numbers from 0 to at least `most`, about `ticks` of them
    (a count of people has no 0.1)."""
    step = max(1, -(-most // ticks))
    return list(range(0, most + step, step))


def histogram(title: str, bins: Sequence[HistogramBin], pass_mark: float) -> Chart:
    """Examinees per score band, true to scale, the bands below the pass mark in grey and those
    at or above it in the primary colour: the pass mark is where the colour changes, and the
    legend names it."""
    steps = whole_steps(max([b.count for b in bins] + [1]))
    chart = pygal.Histogram(**_common(
        style=chart_style((FAILING, PRIMARY)), x_title=_("得分率（%）"), y_title=_("人数"),
        range=(0, steps[-1]), y_labels=steps, legend_at_bottom_columns=2,
        x_labels=[0, 20, 40, 60, 80, 100], x_label_rotation=0,
        value_formatter=lambda value: f"{value:g}",
    ))
    below = [(b.count, b.start, b.end) for b in bins if b.end <= pass_mark and b.start < pass_mark]
    above = [(b.count, b.start, b.end) for b in bins if b.start >= pass_mark]
    chart.add(_("低于及格线 %(p)s%%", p=f"{pass_mark:g}"), below or [None])
    chart.add(_("达到及格线 %(p)s%%", p=f"{pass_mark:g}"), above or [None])
    return _chart(title, chart)


def grouped_bars(
    title: str, categories: Sequence[str], series: Mapping[str, Sequence[float | None]],
    *, percent: bool = True,
) -> Chart:
    """One group of bars per category (a department), one bar per series (pass rate, mean)."""
    chart = pygal.Bar(**_common(
        style=chart_style(_colours(len(series))), x_label_rotation=20 if len(categories) > 6 else 0,
        legend_at_bottom_columns=max(1, min(4, len(series))),
        range=(0, 100) if percent else None,
        value_formatter=_percent if percent else (lambda value: f"{value:g}"),
    ))
    chart.x_labels = list(categories)
    for name, values in series.items():
        chart.add(name, list(values))
    return _chart(title, chart)


def over_time(
    title: str, series: Mapping[str, Sequence[tuple[datetime | date, float]]],
    *, pass_mark: float | None = None, y_title: str | None = None,
) -> Chart:
    """One line per series over local time (days or minutes on the axis), a percent scale, and
    the pass mark as a dashed amber line when given."""
    moments = [_as_datetime(at) for points in series.values() for at, _value in points]
    ticks, formatter, axis_title = time_axis(moments) if moments else ([], str, "")
    colours = _colours(len(series)) + ((PASS_MARK,) if pass_mark is not None else ())
    chart = pygal.DateTimeLine(**_common(
        style=chart_style(colours), range=(0, 100), include_x_axis=True, dots_size=4,
        legend_at_bottom_columns=min(3, max(1, len(colours))), x_title=axis_title or None,
        y_title=y_title or _("得分率"), x_value_formatter=formatter, value_formatter=_percent,
    ))
    chart.x_labels = ticks
    for name, points in series.items():
        chart.add(name, [(_as_datetime(at), value) for at, value in points])
    if pass_mark is not None and moments:
        chart.add(_("及格线"), [(min(moments + ticks), pass_mark), (max(moments + ticks), pass_mark)],
                  show_dots=False, stroke_style={"width": 2, "dasharray": "8, 5"})
    return _chart(title, chart)


def radar(
    title: str, axes: Sequence[str], series: Mapping[str, Sequence[float | None]],
    *, maximum: float = 100,
) -> Chart:
    """One polygon per series over the same axes (role-play dimensions), 0 to `maximum`."""
    chart = pygal.Radar(**_common(
        style=chart_style(_colours(len(series))), range=(0, maximum), fill=False,
        legend_at_bottom_columns=max(1, min(4, len(series))),
        value_formatter=lambda value: f"{value:g}",
    ))
    chart.x_labels = list(axes)
    for name, values in series.items():
        chart.add(name, list(values))
    return _chart(title, chart)


def _as_datetime(moment: datetime | date) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day)
