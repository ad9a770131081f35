"""Translatable names and badge colours of statuses, board buckets and history events."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from training.certification.lifecycle import Status
from training.certification.models import EventKind

STATUS_LABELS = {
    Status.NOT_STARTED: _l("未开始"),
    Status.IN_PROGRESS: _l("进行中"),
    Status.CERTIFIED: _l("已认证"),
    Status.EXPIRING: _l("即将到期"),
    Status.EXPIRED: _l("已过期"),
    Status.REVOKED: _l("已撤销"),
}
STATUS_BADGES = {  # Bootstrap text-bg-* classes
    Status.NOT_STARTED: "secondary",
    Status.IN_PROGRESS: "info",
    Status.CERTIFIED: "success",
    Status.EXPIRING: "warning",
    Status.EXPIRED: "danger",
    Status.REVOKED: "dark",
}
BUCKET_LABELS = {
    "certified": _l("已认证"),
    "expiring_30": _l("30 天内到期"),
    "expiring_60": _l("60 天内到期"),
    "expired": _l("已过期"),
    "in_progress": _l("进行中"),
    "not_started": _l("未开始"),
    "revoked": _l("已撤销"),
}
EVENT_LABELS = {
    EventKind.AWARDED: _l("获得认证"),
    EventKind.RENEWED: _l("续期"),
    EventKind.MANUAL: _l("人工授予"),
    EventKind.EXPIRED: _l("过期"),
    EventKind.REVOKED: _l("撤销"),
    EventKind.FLAGGED: _l("复核标记"),
    EventKind.FLAG_KEPT: _l("复核：保留"),
}
EVENT_ICONS = {
    EventKind.AWARDED: "award",
    EventKind.RENEWED: "arrow-repeat",
    EventKind.MANUAL: "person-check",
    EventKind.EXPIRED: "hourglass-bottom",
    EventKind.REVOKED: "x-octagon",
    EventKind.FLAGGED: "flag",
    EventKind.FLAG_KEPT: "check2-circle",
}
