"""The certification pages: 我的认证 for everyone, a team view for department heads, and for HR
the levels with their rules, the status board and a person's history with HR's decisions.

Views load, check, call one service and render; the board's figures come from `queries`, the
evaluation, preview and every write from `services` (cert-data's module).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from training.access import authenticated
from training.certification import bp, labels, queries, services
from training.certification.charts import board_svg
from training.certification.codes import format_code
from training.certification.display import Names, rule_lines
from training.certification.forms import EXPIRY_BASE_LABELS, FlagDecisionForm, LevelForm, ReasonForm
from training.certification.lifecycle import ACTIVE, ExpiryBase
from training.certification.models import CertLevel
from training.certification.rule_text import RuleTextError, read_rule, rule_text
from training.certification.rule_yaml import Level
from training.certification.rules import Rule, from_dict, to_dict
from training.certification.sheets import board_workbook
from training.certification.verification import valid_through
from training.database import db, utcnow
from training.navigation import LEARN, MANAGE, register_nav
from training.people.audience import positions as known_positions
from training.people.models import Department, User
from training.spreadsheets import xlsx_download
from training.timezones import local_day
from training.unit_of_work import unit_of_work

register_nav("certification.mine", _l("我的认证"), "award", "employee", order=38, group=LEARN)
register_nav("certification.board", _l("认证看板"), "bar-chart-steps", "hr", order=850, group=MANAGE)
register_nav("certification.levels", _l("认证等级"), "patch-check", "hr", order=855, group=MANAGE)


@bp.context_processor
def certification_labels() -> dict[str, object]:
    return {"status_labels": labels.STATUS_LABELS, "status_badges": labels.STATUS_BADGES,
            "bucket_labels": labels.BUCKET_LABELS, "event_labels": labels.EVENT_LABELS,
            "event_icons": labels.EVENT_ICONS, "expiry_base_labels": EXPIRY_BASE_LABELS,
            "format_code": format_code, "valid_through": valid_through}


def _today():
    return local_day(utcnow())


# --- employee ---------------------------------------------------------------------------------


@bp.route("/mine")
@authenticated
def mine():
    today = _today()
    entries = queries.my_levels(current_user, today)
    names = Names.of(entry.state.rule for entry in entries)
    for entry in entries:
        entry.tree = rule_lines(entry.state.rule, names, entry.state, links=True)
    return render_template("certification/mine.html", entries=entries, today=today,
                           certificates=queries.certificates_of(current_user),
                           manages=queries.manages(current_user))


@bp.route("/team")
@authenticated
def team():
    """A department head's people (see `queries.manages`); HR and admins pick any department."""
    department = queries.manages(current_user)
    picks = bool(current_user.role_names & {"hr", "admin"})
    if picks:
        department = _department_arg() or department or next(iter(_departments()), None)
    if department is None:
        abort(403)
    today = _today()
    return render_template("certification/team.html", team=queries.team_view(department, today),
                           today=today, departments=_departments() if picks else [])


# --- levels and rules (HR) --------------------------------------------------------------------


@bp.route("/levels")
def levels():
    return render_template("certification/levels.html", summaries=queries.level_summaries())


@bp.route("/levels/new", methods=["GET", "POST"])
def level_new():
    return _level_page(None)


@bp.route("/levels/<int:level_id>", methods=["GET", "POST"])
def level_edit(level_id: int):
    return _level_page(db.get_or_404(CertLevel, level_id))


def _level_form(level: CertLevel | None) -> LevelForm:
    form = LevelForm(obj=level, departments=[(d.id, d.path) for d in _departments()],
                     positions=sorted(set(known_positions()) | set(level.positions if level else ())),
                     levels=queries.active_levels(), editing=level)
    if level is not None and request.method == "GET" and level.current_version is not None:
        form.rule.data = rule_text(from_dict(level.current_version.rule))
    return form


def _level_page(level: CertLevel | None):
    """Edit a level; a changed rule (or audience) is saved only once its preview was shown."""
    form = _level_form(level)
    current = from_dict(level.current_version.rule) if level and level.current_version else None
    context = {"level": level, "form": form, "problems": [], "preview": None,
               "tree": rule_lines(current, Names.of([current])) if current else None,
               "tree_typed": False, "versions": queries.rule_versions(level) if level else []}
    if request.method == "GET":
        return render_template("certification/level_form.html", **context)
    valid = form.validate()
    try:
        rule = read_rule(form.rule.data or "")
    except RuleTextError as error:
        context["problems"] = error.problems
        return render_template("certification/level_form.html", **context), 422
    context.update(tree=rule_lines(rule, Names.of([rule])), tree_typed=True)
    if not valid:
        return render_template("certification/level_form.html", **context), 422
    values = form_values(form, rule)
    digest = _digest(form)
    if _may_change_holders(level, values) and (request.form.get("action") != "save"
                                               or form.previewed.data != digest):
        context["preview"] = services.preview_change(values, _today(), level=level)
        form.previewed.data = digest
        return render_template("certification/level_form.html", **context)
    with unit_of_work(_("认证等级已保存")) as work:
        saved = services.save_level(values, actor=current_user, level=level)
    if not work.done:
        return render_template("certification/level_form.html", **context), 422
    return redirect(url_for("certification.level_edit", level_id=saved.id))


def _may_change_holders(level: CertLevel | None, values: Level) -> bool:
    """A new level, or a changed rule or audience: saving may change who holds the level."""
    if level is None or level.current_version is None:
        return True
    return (to_dict(values.rule) != level.current_version.rule
            or (values.department_ids, values.positions, values.prerequisite_ids)
            != (tuple(level.department_ids), tuple(level.positions), tuple(level.prerequisite_ids)))


def _digest(form: LevelForm) -> str:
    """What the preview was computed for: the rule and whom the level applies to."""
    parts = [form.rule.data or "", repr(sorted(form.department_ids.data or [])),
             repr(sorted(form.positions.data or [])), repr(sorted(form.prerequisite_ids.data or []))]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def form_values(form: LevelForm, rule: Rule) -> Level:
    """The level as the form gives it, for the preview and the save."""
    return Level(
        code=form.code.data.strip(), name=form.name.data.strip(), rule=rule,
        description=(form.description.data or "").strip(),
        validity_months=form.validity_months.data, expiry_base=ExpiryBase(form.expiry_base.data),
        window_days=form.window_days.data, department_ids=tuple(form.department_ids.data or ()),
        positions=tuple(form.positions.data or ()),
        prerequisite_ids=tuple(form.prerequisite_ids.data or ()),
    )


# --- status board (HR) ------------------------------------------------------------------------


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.path)))


def _department_arg() -> Department | None:
    department_id = request.args.get("department", type=int)
    return db.session.get(Department, department_id) if department_id else None


@bp.route("/board")
def board():
    root = _department_arg()
    return render_template("certification/board.html", board=queries.status_board(_today(), root),
                           root=root, departments=_departments())


@bp.route("/board.xlsx")
def board_xlsx():
    board = queries.status_board(_today(), _department_arg())
    return xlsx_download(board_workbook(board), f"{_('认证状态')}-{_today().isoformat()}.xlsx")


@bp.route("/board.svg")
def board_chart():
    response = make_response(board_svg(queries.status_board(_today(), _department_arg())))
    response.mimetype = "image/svg+xml"
    return response


@bp.route("/board/people")
def board_people():
    level = db.get_or_404(CertLevel, request.args.get("level", type=int) or 0)
    bucket = request.args.get("bucket", "")
    if bucket not in queries.BUCKETS:
        abort(404)
    root, today = _department_arg(), _today()
    return render_template("certification/board_people.html", level=level, bucket=bucket,
                           root=root, today=today,
                           people=queries.people_in_bucket(level, bucket, today, root))


# --- a person's history and HR's decisions ------------------------------------------------------


@bp.route("/people/<int:user_id>")
def person(user_id: int):
    return _person_page(db.get_or_404(User, user_id))


def _person_page(user: User, **forms: ReasonForm) -> str:
    """The history page; a refused decision's form comes back in `forms` with its errors."""
    statuses = queries.statuses_of(user)
    held = [s.level for s in statuses if s.status in ACTIVE]
    flagged = [s.level for s in statuses if s.flagged_at is not None]
    forms = {"award": ReasonForm(levels=queries.active_levels(), prefix="award"),
             "revoke": ReasonForm(levels=held, prefix="revoke"),
             "flag": FlagDecisionForm(levels=flagged, prefix="flag"), **forms}
    return render_template(
        "certification/person.html", person=user, history=queries.history(user),
        statuses=statuses, today=_today(), forms=forms,
    )


def _decision(user_id: int, form_class: type[ReasonForm], prefix: str,
              act: Callable[[User, CertLevel, ReasonForm], object]) -> object:
    """Validate an HR decision's form, then `act(user, level, form)` in one unit of work."""
    user = db.get_or_404(User, user_id)
    form = form_class(levels=queries.active_levels(), prefix=prefix)
    if not form.validate_on_submit():
        return _person_page(user, **{prefix: form}), 422
    level = db.session.get(CertLevel, form.level_id.data)
    with unit_of_work(_("已记录")) as work:
        act(user, level, form)
    if not work.done:
        return _person_page(user, **{prefix: form}), 422
    return redirect(url_for("certification.person", user_id=user.id))


@bp.route("/people/<int:user_id>/award", methods=["POST"])
def award(user_id: int):
    return _decision(user_id, ReasonForm, "award", lambda user, level, form: services.award_manually(
        user, level, form.reason.data, actor=current_user, as_of=_today(), now=utcnow()))


@bp.route("/people/<int:user_id>/revoke", methods=["POST"])
def revoke(user_id: int):
    return _decision(user_id, ReasonForm, "revoke", lambda user, level, form: services.revoke(
        queries.held_certificate(user, level), form.reason.data, actor=current_user,
        as_of=_today(), now=utcnow()))


@bp.route("/people/<int:user_id>/flag", methods=["POST"])
def decide_flag(user_id: int):
    def decide(user: User, level: CertLevel, form: FlagDecisionForm) -> None:
        settle = services.keep_flagged if form.decision.data == "keep" else services.revoke_flagged
        settle(queries.flagged_status(user, level), form.reason.data, actor=current_user,
               as_of=_today(), now=utcnow())

    return _decision(user_id, FlagDecisionForm, "flag", decide)
