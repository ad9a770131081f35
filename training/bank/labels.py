"""Translatable names of question types and statuses, shared by forms, filters and templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TYPE_LABELS = {
    "single": _l("单选题"),
    "multiple": _l("多选题"),
    "true_false": _l("判断题"),
    "fill_blank": _l("填空题"),
    "short_answer": _l("简答题"),
    "essay": _l("论述题"),
    "case": _l("案例分析题"),
}

STATUS_LABELS = {
    "draft": _l("草稿"),
    "ready": _l("可用"),
    "archived": _l("已删除"),
}
