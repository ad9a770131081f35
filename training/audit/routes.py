"""The audit-log page (admin only, declared on the blueprint)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from training.audit import bp
from training.audit.forms import AuditFilterForm
from training.audit.queries import AuditFilter, audit_query, recorded_actions
from training.database import db
from training.templating import ACTION_LABELS
from training.timezones import local_midnight

# What an event's target is, in words; a type missing here is shown by its class name.
TARGET_LABELS = {
    "User": _l("用户"),
    "Department": _l("部门"),
    "QuestionBank": _l("题库"),
    "Question": _l("试题"),
    "Paper": _l("试卷"),
    "Exam": _l("考试"),
    "Attempt": _l("答卷"),
    "Course": _l("课程"),
    "Manual": _l("制度"),
    "ManualEdition": _l("制度版本"),
}


def _filter_form() -> tuple[AuditFilterForm, AuditFilter]:
    """The filter as typed; a field with an error is left out of the query."""
    form = AuditFilterForm(request.args)
    actions = sorted(set(ACTION_LABELS) | recorded_actions())
    form.action.choices = [SelectChoice("", _("全部操作"))] + [
        SelectChoice(name, ACTION_LABELS.get(name, name)) for name in actions
    ]
    form.validate()
    first = None if form.since.errors else form.since.data
    last = None if form.since.errors or form.until.errors else form.until.data
    return form, AuditFilter(
        actor=form.actor.data or "",
        action=None if form.action.errors else form.action.data or None,
        since=local_midnight(first) if first else None,
        until=local_midnight(last + timedelta(days=1)) if last else None,
    )


@bp.app_template_filter("audit_value")
def audit_value(value: object) -> str:
    """An event detail in words: lists joined, mappings as "key value" (never a Python repr)."""
    if isinstance(value, dict):
        return "，".join(f"{key} {audit_value(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return "、".join(audit_value(item) for item in value)
    return str(value)


@bp.route("/")
def log():
    form, criteria = _filter_form()
    page = db.paginate(audit_query(criteria), per_page=current_app.config["PER_PAGE"])
    return render_template(
        "audit/log.html", form=form, page=page, target_labels=TARGET_LABELS
    )
