"""What every template can use: navigation, languages, role labels, date formatting, code,
and the question types (`question_type(name)`), whose capabilities pages ask instead of names."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, request
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from question_bank.types import capability_table, get_type
from training.highlights import HIGHLIGHTS
from training.navigation import nav_for

ROLE_LABELS = {
    "employee": _l("客服人员"),
    "trainer": _l("培训师"),
    "hr": _l("人力资源"),
    "admin": _l("系统管理员"),
}


# Human labels of audit actions; features add theirs with ACTION_LABELS.update(...).
ACTION_LABELS = {
    "auth.login": _l("登录"),
    "auth.login_failed": _l("登录失败"),
    "user.created": _l("创建用户"),
    "user.updated": _l("修改用户"),
    "user.activated": _l("启用账号"),
    "user.deactivated": _l("停用账号"),
    "user.password_reset": _l("重置密码"),
    "user.password_changed": _l("修改密码"),
    "user.roster_imported": _l("批量导入员工"),
}


def local_datetime(value: datetime | None, format: str = "yyyy-MM-dd HH:mm") -> str:
    """Show a stored UTC timestamp in the configured timezone."""
    if value is None:
        return ""
    return format_datetime(value.replace(tzinfo=UTC), format)


def reject_page(args: dict[str, Any]) -> dict[str, Any]:
    """This page's path and query arguments without its page number, for pagination links."""
    merged = {**(request.view_args or {}), **args}
    return {key: value for key, value in merged.items() if key != "page"}


_FENCED = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)


def with_code(text: str | None) -> Markup:
    """Question text with its ``` fenced code shown in a monospace block, verbatim; the rest
    escaped as usual (imported papers and blog posts quote commands and configuration)."""
    text = text or ""
    parts, position = [], 0
    for match in _FENCED.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<code class="sc-code">%s</code>') % match.group(2).rstrip("\n"))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def template_globals() -> dict[str, Any]:
    roles = current_user.role_names if current_user.is_authenticated else frozenset()
    return {
        "nav_items": nav_for(roles) if current_user.is_authenticated else [],
        "languages": current_app.config["LANGUAGES"],
        "current_locale": str(get_locale()),
        "role_labels": ROLE_LABELS,
        "action_labels": ACTION_LABELS,
        "highlights": HIGHLIGHTS,
    }


def init_app(app: Flask) -> None:
    app.context_processor(template_globals)
    app.add_template_filter(local_datetime, "datetime")
    app.add_template_filter(reject_page)
    app.add_template_filter(with_code)
    app.add_template_global(get_type, "question_type")
    app.add_template_global(capability_table, "question_capabilities")
