"""The score-trend chart, drawn by pygal as a standalone SVG document.

The app's Content-Security-Policy forbids inline styles and scripts, and pygal's SVG carries a
<style> element, so the chart is not inlined in the page: it is served from its own URL and
shown with <img>, where the SVG keeps its own styling and never runs scripts. pygal's tooltip
scripts are switched off (`js=[]`) and its inline config <script> is dropped, so the document
holds no script even when opened on its own. The font list starts with a CJK family so the
Chinese legend renders on machines without a Chinese default font.
"""

from __future__ import annotations

import math
from typing import Any

import pygal
from flask_babel import gettext as _
from pygal.etree import etree
from pygal.style import Style

from training.exams.history import TrendPoint
from training.templating import local_datetime

FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
PRIMARY = "#0f766e"  # --sc-primary in static/css/app.css
PASS_MARK = "#d97706"
MAX_X_LABELS = 10

STYLE = Style(
    font_family=FONT_FAMILY,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#374151",
    foreground_strong="#111827",
    foreground_subtle="#9ca3af",
    guide_stroke_color="#e5e7eb",
    major_guide_stroke_color="#d1d5db",
    colors=(PRIMARY, PASS_MARK),
    opacity="1",
    stroke_opacity="1",
    stroke_width="2.5",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
)


def trend_svg(points: list[TrendPoint]) -> bytes:
    """Percent per attempt over time, with each exam's pass mark as a dashed line."""
    chart = pygal.Line(
        style=STYLE,
        js=[],
        width=1080,
        height=340,
        range=(0, 100),
        include_x_axis=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, math.ceil(len(points) / MAX_X_LABELS)),
        truncate_label=-1,
        dots_size=4,
        value_formatter=lambda value: f"{value:g}%",
        no_data_text=_("暂无成绩"),
    )
    chart.x_labels = [local_datetime(point.at, "MM-dd HH:mm") for point in points]
    chart.add(
        _("得分率"),
        [{"value": point.percent, "label": point.title} for point in points],
    )
    chart.add(
        _("及格线"),
        [point.pass_mark for point in points],
        show_dots=False,
        stroke_style={"width": 2, "dasharray": "8, 5"},
    )
    return _without_scripts(chart.render_tree())


def _without_scripts(tree: Any) -> bytes:
    """The SVG (an lxml or ElementTree element) without pygal's config <script>, as bytes."""
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag == "script":
                parent.remove(child)
    return etree.tostring(tree, encoding="utf-8")
