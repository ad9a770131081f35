"""Department management views (admin only, declared on the blueprint)."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from training.database import db
from training.departments import bp
from training.departments.forms import (
    DeleteForm,
    MergeForm,
    MoveForm,
    NewDepartmentForm,
    RenameForm,
)
from training.departments.services import (
    create_department,
    delete_department,
    department_tree,
    is_within,
    merge_department,
    move_department,
    rename_department,
    usage,
)
from training.errors import NotFound
from training.people.forms import department_choices
from training.people.models import Department
from training.people.services import all_departments, chosen_department
from training.unit_of_work import unit_of_work


def _department(department_id: int) -> Department:
    return db.session.get(Department, department_id) or abort(404)


@bp.route("/")
def tree():
    form = NewDepartmentForm()
    form.parent.choices = department_choices(_("（顶层：新公司）"))
    return render_template("departments/tree.html", roots=department_tree(), form=form)


@bp.route("/new", methods=["POST"])
def create():
    form = NewDepartmentForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            department = create_department(
                form.name.data or "", chosen_department(form.parent.data), actor=current_user
            )
            work.message = _("已新建部门 %(path)s", path=department.path)
    return redirect(url_for("departments.tree"))


@bp.route("/<int:department_id>")
def detail(department_id: int):
    department = _department(department_id)
    elsewhere = [d for d in all_departments() if not is_within(d, department)]
    move, merge = MoveForm(parent=department.parent_id or 0), MergeForm()
    move.parent.choices = department_choices(_("（顶层）"), elsewhere)
    merge.target.choices = department_choices(_("请选择要并入的部门"), elsewhere)
    return render_template(
        "departments/detail.html", department=department, usage=usage(department),
        rename=RenameForm(name=department.name),
        move=move, merge=merge, delete=DeleteForm(),
    )


@bp.route("/<int:department_id>/rename", methods=["POST"])
def rename(department_id: int):
    department = _department(department_id)
    form = RenameForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            rename_department(department, form.name.data or "", actor=current_user)
            work.message = _("已改名为 %(path)s", path=department.path)
    return redirect(url_for("departments.detail", department_id=department_id))


@bp.route("/<int:department_id>/move", methods=["POST"])
def move(department_id: int):
    department = _department(department_id)
    form = MoveForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            move_department(department, chosen_department(form.parent.data), actor=current_user)
            work.message = _("已移到 %(path)s", path=department.path)
    return redirect(url_for("departments.detail", department_id=department_id))


@bp.route("/<int:department_id>/merge", methods=["POST"])
def merge(department_id: int):
    department = _department(department_id)
    form = MergeForm()
    if form.validate_on_submit():
        with unit_of_work() as work:
            target = chosen_department(form.target.data)
            if target is None:
                raise NotFound(_("请选择要并入的部门"))
            source = department.path
            merge_department(department, target, actor=current_user)
            work.message = _("已把 %(source)s 合并到 %(target)s", source=source, target=target.path)
        if work.done:
            return redirect(url_for("departments.detail", department_id=target.id))
    return redirect(url_for("departments.detail", department_id=department_id))


@bp.route("/<int:department_id>/delete", methods=["POST"])
def delete(department_id: int):
    department = _department(department_id)
    if DeleteForm().validate_on_submit():
        path = department.path
        with unit_of_work(_("已删除部门 %(path)s", path=path)) as work:
            delete_department(department, actor=current_user)
        if work.done:
            return redirect(url_for("departments.tree"))
    return redirect(url_for("departments.detail", department_id=department_id))
