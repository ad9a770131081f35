"""Translatable names of role-play channels, dimensions and outcomes, for every page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHANNEL_LABELS = {"phone": _l("电话"), "counter": _l("柜台"), "chat": _l("在线客服")}
CHANNEL_ICONS = {"phone": "telephone", "counter": "shop", "chat": "chat-dots"}
DIMENSION_LABELS = {
    "listen": _l("倾听"),
    "empathy": _l("共鸣"),
    "apology": _l("道歉"),
    "resolve": _l("解决"),
    "ownership": _l("首问负责"),
    "compliance": _l("合规"),
    "mood": _l("客户情绪"),
}
OUTCOME_LABELS = {"resolved": _l("问题解决"), "escalated": _l("升级处理"), "lost": _l("客户流失")}
