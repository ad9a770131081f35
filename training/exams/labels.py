"""Translatable names of exam settings and states, shared by forms and templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"formal": _l("正式考试"), "mock": _l("模拟考试"), "quiz": _l("课程测验")}
GRADING_LABELS = {
    "highest": _l("取最高分"),
    "last": _l("取最后一次"),
    "first": _l("取第一次"),
    "average": _l("取平均分"),
}
NAVIGATION_LABELS = {"free": _l("自由跳转"), "sequential": _l("按顺序作答（不可返回）")}
REVIEW_WHEN_LABELS = {
    "immediately": _l("交卷后立即"),
    "after_close": _l("考试结束后"),
    "never": _l("不公布"),
}
MULTIPLE_RULE_LABELS = {
    "all_or_nothing": _l("多选题全对才得分"),
    "partial": _l("少选得一半，错选不得分"),
}
STATE_LABELS = {
    "in_progress": _l("作答中"),
    "expired": _l("已超时"),
    "submitted": _l("已交卷"),
    "pending_review": _l("待阅卷"),
    "graded": _l("已评分"),
}
PHASE_LABELS = {"upcoming": _l("未开始"), "open": _l("进行中"), "closed": _l("已结束")}
FINISH_LABELS = {"submitted": _l("考生交卷"), "auto_closed": _l("到时自动收卷")}
EVENT_LABELS = {
    "focus_lost": _l("离开考试页面"),
    "focus_back": _l("回到考试页面"),
    "offline": _l("网络断开"),
    "online": _l("网络恢复"),
}
