"""Translatable names of lesson kinds, completion rules and learner states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "manual": _l("手册章节"), "page": _l("图文页"), "quiz": _l("课程测验"), "scenario": _l("情景演练"),
}
KIND_ICONS = {
    "manual": "journal-text", "page": "file-richtext", "quiz": "pencil-square",
    "scenario": "chat-quote",
}
COMPLETION_LABELS = {
    "opened": _l("打开即完成"),
    "min_time": _l("阅读满规定时间"),
    "quiz_passed": _l("测验及格"),
    "run_passed": _l("演练通过"),
}
STATUS_LABELS = {"done": _l("已完成"), "in_progress": _l("学习中"), "not_started": _l("未开始")}
