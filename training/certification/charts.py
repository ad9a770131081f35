"""The status board's chart: one stacked bar per level, drawn by pygal as its own SVG document
(served from its own URL and shown with <img>: see `training.exams.charts` for why)."""

from __future__ import annotations

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from training.certification.labels import BUCKET_LABELS
from training.certification.queries import Board
from training.exams.charts import FONT_FAMILY, without_scripts

# The stacked parts partition each level's people; "certified" leaves out the 60-day expiring.
PARTS = (
    ("certified", "#0f766e"),
    ("expiring_60", "#d97706"),
    ("expired", "#b91c1c"),
    ("revoked", "#475569"),
    ("in_progress", "#2563eb"),
    ("not_started", "#cbd5e1"),
)


def _style() -> Style:
    return Style(
        font_family=FONT_FAMILY, background="#ffffff", plot_background="#ffffff",
        foreground="#374151", foreground_strong="#111827", foreground_subtle="#9ca3af",
        guide_stroke_color="#e5e7eb", major_guide_stroke_color="#d1d5db",
        colors=tuple(colour for _, colour in PARTS), opacity="1", opacity_hover=".85",
        label_font_size=12, major_label_font_size=12, legend_font_size=13,
    )


def board_svg(board: Board) -> bytes:
    """People per level and status, for the departments the board shows."""
    chart = pygal.StackedBar(
        style=_style(), js=[], width=1080, height=360, legend_at_bottom=True,
        legend_at_bottom_columns=len(PARTS), truncate_label=-1, truncate_legend=-1,
        y_title=_("人数"), print_values=False, no_data_text=_("暂无认证数据"),
        value_formatter=lambda value: f"{value:g}",
    )
    chart.x_labels = [level.name for level in board.levels]
    for bucket, _colour in PARTS:
        values = []
        for level in board.levels:
            counts = board.totals[level.id]
            value = counts[bucket]
            if bucket == "certified":
                value -= counts["expiring_60"]
            values.append(value)
        label = _("已认证（60 天后到期）") if bucket == "certified" else str(BUCKET_LABELS[bucket])
        chart.add(label, values)
    return without_scripts(chart.render_tree())
