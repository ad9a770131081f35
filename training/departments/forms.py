"""Forms of the department pages; the services check names and places, with Chinese reasons."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField


def department_select(label: LazyString) -> SelectField:
    """A choice of department by id (0: none / top level). A stale id is reported by the
    view as 所选部门不存在, not by WTForms' generic message."""
    return SelectField(label, coerce=int, validate_choice=False, default=0)


class NewDepartmentForm(FlaskForm):
    name = StringField(_l("部门名称"))
    parent = department_select(_l("上级部门"))


class RenameForm(FlaskForm):
    name = StringField(_l("新名称"))


class MoveForm(FlaskForm):
    parent = department_select(_l("新的上级部门"))


class MergeForm(FlaskForm):
    target = department_select(_l("合并到"))


class DeleteForm(FlaskForm):
    """Only the CSRF token: deleting needs no other input."""
