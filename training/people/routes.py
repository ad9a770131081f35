"""Account management views (admin only, declared on the blueprint)."""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from training.database import db
from training.imports.flow import commit_staged, stage_then_preview, staged_or_back
from training.people import bp
from training.people.forms import (
    NewUserForm,
    ResetPasswordForm,
    RosterCommitForm,
    RosterUploadForm,
    UserFilterForm,
    UserForm,
    department_choices,
)
from training.people.importing import UPLOAD_KIND, stage_roster, staged_roster
from training.people.models import User
from training.people.roster import template_xlsx
from training.people.roster_update import RosterPlan, apply_roster, plan_roster
from training.people.services import (
    AccountDetails,
    UserFilter,
    chosen_department,
    create_user,
    reset_password,
    set_active,
    update_user,
    user_query,
)
from training.templating import ROLE_LABELS
from training.unit_of_work import unit_of_work


def _details(form: UserForm) -> AccountDetails:
    department = chosen_department(form.department_id.data)
    return AccountDetails(
        username=form.username.data.strip(),
        display_name=form.display_name.data,
        roles=frozenset(form.roles.data),
        employee_no=(form.employee_no.data or "").strip() or None,
        department_path=department.path if department else None,
        hire_date=form.hire_date.data,
        phone=form.phone.data,
        position=form.position.data,
        leaving_date=form.leaving_date.data,
    )


def _get_user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _filter_form() -> tuple[UserFilterForm, UserFilter]:
    form = UserFilterForm(request.args)
    form.department.choices = department_choices(_("全部部门"))
    form.role.choices = [SelectChoice("", _("全部角色"))] + [
        SelectChoice(key, str(label)) for key, label in ROLE_LABELS.items()
    ]
    form.validate()
    status = {"active": True, "inactive": False}.get(form.status.data or "")
    criteria = UserFilter(
        form.q.data or "", form.department.data or None, form.role.data or None, status
    )
    return form, criteria


@bp.route("/")
def user_list():
    form, criteria = _filter_form()
    page = db.paginate(user_query(criteria), per_page=current_app.config["PER_PAGE"])
    return render_template("people/user_list.html", form=form, page=page)


@bp.route("/new", methods=["GET", "POST"])
def user_new():
    form = NewUserForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            user = create_user(
                _details(form), form.password.data, actor=current_user, must_change=True
            )
            work.message = _("已创建用户 %(name)s", name=user.display_name)
        if work.done:
            return redirect(url_for("people.user_list"))
    return render_template("people/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = _get_user(user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.roles.data = sorted(user.role_names)
    if form.validate_on_submit():
        with unit_of_work(_("已保存")) as work:
            update_user(user, _details(form), actor=current_user)
        if work.done:
            return redirect(url_for("people.user_list"))
    return render_template(
        "people/user_form.html",
        form=form,
        user=user,
        reset_form=ResetPasswordForm(),
    )


@bp.route("/<int:user_id>/active", methods=["POST"])
def user_set_active(user_id: int):
    user = _get_user(user_id)
    activate = request.form.get("active") == "1"
    name = user.display_name
    with unit_of_work(_("已启用 %(name)s", name=name) if activate else _("已停用 %(name)s", name=name)):
        set_active(user, activate, actor=current_user)
    return redirect(url_for("people.user_edit", user_id=user.id))


@bp.route("/<int:user_id>/password", methods=["POST"])
def user_reset_password(user_id: int):
    user = _get_user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        done = _("已重置密码，%(name)s 下次登录时需修改密码", name=user.display_name)
        with unit_of_work(done):
            reset_password(user, form.new_password.data, actor=current_user)
    else:
        flash(_("临时密码至少 8 个字符"), "danger")
    return redirect(url_for("people.user_edit", user_id=user.id))


@bp.route("/import", methods=["GET", "POST"])
def roster_upload():
    form = RosterUploadForm()
    if form.validate_on_submit():
        file = form.file.data
        whole = {"whole": 1} if form.whole_roster.data else {}
        staged = stage_then_preview(
            lambda: stage_roster(file.filename, file.read(), current_user),
            "people.roster_preview",
            **whole,
        )
        if staged:
            return staged
    return render_template("people/roster_upload.html", form=form)


@bp.route("/import/template.xlsx")
def roster_template():
    return send_file(
        io.BytesIO(template_xlsx()),
        as_attachment=True,
        download_name="员工名单模板.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.route("/import/<upload_id>", methods=["GET", "POST"])
def roster_preview(upload_id: str):
    upload = staged_or_back(upload_id, UPLOAD_KIND, "people.roster_upload")
    whole = request.args.get("whole") == "1"
    plan = plan_roster(staged_roster(upload), whole_roster=whole, actor=current_user)
    form = RosterCommitForm()
    if form.validate_on_submit() and commit_staged(
        upload,
        lambda: sum(apply_roster(plan, form.initial_password.data or "", actor=current_user).values()),
        lambda _n: _roster_done(plan),
    ):
        return redirect(url_for("people.user_list"))
    return render_template("people/roster_preview.html", upload=upload, plan=plan, form=form)


def _roster_done(plan: RosterPlan) -> str:
    return _("已导入：新增 %(new)d 人，更新 %(changed)d 人，离职 %(leaving)d 人", **plan.counts())
