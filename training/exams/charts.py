"""The score-trend chart, drawn by pygal as a standalone SVG document.

The app's Content-Security-Policy forbids inline styles and scripts, and pygal's SVG carries a
<style> element, so the chart is not inlined in the page: it is served from its own URL and
shown with <img>, where the SVG keeps its own styling and never runs scripts. pygal's tooltip
scripts are switched off (`js=[]`) and its inline config <script> is dropped, so the document
holds no script even when opened on its own. The font list starts with a CJK family so the
Chinese legend renders on machines without a Chinese default font.

Each exam is its own line on a time axis: a mock exam sat ten times and a formal exam sat once
are different things, and one line through both would suggest a trend that is not there. The
time axis is labelled by day when the scores span several days and by minute when they fall on
one day, one label per distinct text, so no two labels read the same.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import pygal
from flask_babel import gettext as _
from pygal.etree import etree
from pygal.style import Style

from training.exams.history import TrendPoint
from training.exams.labels import KIND_LABELS
from training.timezones import to_local

FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
PRIMARY = "#0f766e"  # --sc-primary in static/css/app.css
PASS_MARK = "#d97706"
# One colour per exam line; the pass-mark lines are amber and dashed.
SERIES_COLOURS = (PRIMARY, "#2563eb", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#475569",
                  "#b91c1c")
MAX_X_LABELS = 10


def _style(exams: int, pass_marks: int) -> Style:
    colours = [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(exams)]
    return chart_style((*colours, *[PASS_MARK] * pass_marks))


def chart_style(colours: tuple[str, ...]) -> Style:
    """The app's chart look (white, grey guides, the CJK font) with these series colours."""
    return Style(
        font_family=FONT_FAMILY,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#374151",
        foreground_strong="#111827",
        foreground_subtle="#9ca3af",
        guide_stroke_color="#e5e7eb",
        major_guide_stroke_color="#d1d5db",
        colors=colours,
        opacity="1",
        stroke_opacity="1",
        stroke_width="2.5",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        title_font_size=13,
    )


def _thinned(items: list[Any], most: int) -> list[Any]:
    """At most `most` items, evenly spread, keeping the first and the last."""
    if len(items) <= most:
        return items
    step = (len(items) - 1) / (most - 1)
    return [items[round(i * step)] for i in range(most)]


def time_axis(times: list[datetime]) -> tuple[list[datetime], Callable[[datetime], str], str]:
    """(tick times, their format, the axis title) for local times: days or minutes, no twins."""
    days = sorted({moment.date() for moment in times})
    if len(days) > 1:
        pattern = "%Y-%m-%d" if days[0].year != days[-1].year else "%m-%d"
        ticks = [datetime.combine(day, time.min) for day in days]
        title = ""
    else:
        pattern = "%H:%M"
        ticks = sorted({moment.replace(second=0, microsecond=0) for moment in times})
        title = days[0].isoformat()
    return _thinned(ticks, MAX_X_LABELS), lambda moment: moment.strftime(pattern), title


def _series_name(point: TrendPoint) -> str:
    return f"{point.title}（{KIND_LABELS.get(point.kind, point.kind)}）"


def trend_svg(points: list[TrendPoint]) -> bytes:
    """Percent per attempt over time, one line per exam, each pass mark as a dashed line."""
    by_exam: dict[int, list[TrendPoint]] = {}
    for point in points:
        by_exam.setdefault(point.exam_id, []).append(point)
    marks = sorted({point.pass_mark for point in points})
    local = [to_local(point.at) for point in points]
    ticks, formatter, title = time_axis(local) if points else ([], str, "")
    chart = pygal.DateTimeLine(
        style=_style(len(by_exam), len(marks)),
        js=[],
        width=1080,
        height=360,
        range=(0, 100),
        include_x_axis=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(3, max(1, len(by_exam) + len(marks))),
        truncate_label=-1,
        truncate_legend=-1,
        dots_size=4,
        x_title=title or None,
        y_title=_("得分率"),
        x_value_formatter=formatter,
        value_formatter=lambda value: f"{value:g}%",
        no_data_text=_("暂无成绩"),
    )
    chart.x_labels = ticks
    for exam_points in by_exam.values():
        chart.add(_series_name(exam_points[0]), [
            {"value": (to_local(point.at), point.percent), "label": point.title}
            for point in exam_points
        ])
    span = (min(local + ticks), max(local + ticks)) if points else ()
    for mark in marks:
        name = _("及格线") if len(marks) == 1 else _("及格线 %(p)s%%", p=f"{mark:g}")
        chart.add(name, [(moment, mark) for moment in span], show_dots=False,
                  stroke_style={"width": 2, "dasharray": "8, 5"})
    return without_scripts(chart.render_tree())


def without_scripts(tree: Any) -> bytes:
    """The SVG (an lxml or ElementTree element) without pygal's config <script>, as bytes."""
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag == "script":
                parent.remove(child)
    return etree.tostring(tree, encoding="utf-8")
