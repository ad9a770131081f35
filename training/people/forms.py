"""Forms for account management and the roster import."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from training.access import ROLES
from training.people.audience import Target, positions, targets
from training.people.models import Department
from training.people.services import MIN_PASSWORD_LENGTH, all_departments
from training.templating import ROLE_LABELS
from training.timezones import end_of_local_day


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AudienceForm(FlaskForm):
    """Who an assignment names (`training.people.audience`): departments, positions, people.
    A feature's form adds its due date and may relabel `users`; call `with_choices` first."""

    departments = MultiCheckboxField(_l("部门（含下级部门的客服人员）"), coerce=int)
    positions = MultiCheckboxField(
        _l("岗位"), description=_l("同时选了部门时，只包括这些部门中担任该岗位的人员"),
    )
    users = TextAreaField(
        _l("个别人员"), validators=[Optional(), Length(max=20_000)], render_kw={"rows": 2},
        description=_l("登录名或工号，每行一个或用逗号分隔"),
    )
    due_date = DateField(_l("截止日期"), validators=[Optional()])

    def with_choices(self) -> AudienceForm:
        self.departments.choices = [SelectChoice(d.id, d.path) for d in all_departments()]
        self.positions.choices = [SelectChoice(p, p) for p in positions()]
        return self

    def wanted(self, user_ids: list[int]) -> list[Target]:
        """The assignment rows the form asks for, the named users already looked up."""
        return targets(self.departments.data or [], self.positions.data or [], user_ids)

    def due_at(self) -> datetime | None:
        """The due date as the last second of that local day (UTC), None when left blank."""
        return end_of_local_day(self.due_date.data) if self.due_date.data else None


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, str(ROLE_LABELS[role])) for role in ROLES]


def department_choices(
    blank: str, departments: list[Department] | None = None
) -> list[SelectChoice]:
    """A department picker's options in tree order, by full path; `blank` labels 0 (none)."""
    chosen = all_departments() if departments is None else departments
    return [SelectChoice(0, blank)] + [SelectChoice(d.id, d.path) for d in chosen]


class UserForm(FlaskForm):
    username = StringField(
        _l("登录名"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[\w.\-@]+$", message=_l("登录名只能包含字母、数字、. - _ @")),
        ],
    )
    display_name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=100)])
    employee_no = StringField(_l("工号"), validators=[Optional(), Length(max=32)])
    department_id = SelectField(
        _l("部门"),
        coerce=int,
        validate_choice=False,  # a stale id gets the view's 所选部门不存在
        description=_l("从部门树中选择；新部门请在“部门管理”中添加"),
    )
    position = StringField(_l("岗位"), validators=[Optional(), Length(max=64)])
    roles = MultiCheckboxField(
        _l("角色"), validators=[DataRequired(message=_l("至少选择一个角色"))]
    )
    hire_date = DateField(_l("入职日期"), validators=[Optional()])
    phone = StringField(_l("手机"), validators=[Optional(), Length(max=32)])
    leaving_date = DateField(
        _l("离职日期"),
        validators=[Optional()],
        description=_l("到这一天账号自动停用；清空即取消离职"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = role_choices()
        self.department_id.choices = department_choices(str(_l("（无部门）")))


class NewUserForm(UserForm):
    """A new account starts as 客服人员, the role nearly every new account needs."""

    password = PasswordField(
        _l("初始密码"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)],
        description=_l("用户首次登录时需要修改密码"),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("roles", ["employee"])  # only fills the blank form, not a post
        super().__init__(*args, **kwargs)


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("临时密码"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)]
    )


class RosterUploadForm(FlaskForm):
    file = FileField(
        _l("员工名单文件"),
        validators=[FileRequired(), FileAllowed(["xlsx", "csv"], _l("只支持 .xlsx 或 .csv 文件"))],
    )
    whole_roster = BooleanField(
        _l("这是完整的在职员工名单"),
        description=_l("勾选后，系统中有工号但不在名单里的在职员工将按离职处理（当天停用）"),
    )


class RosterCommitForm(FlaskForm):
    """Optional here: only a file with new employees needs it (the import says so)."""

    initial_password = PasswordField(
        _l("初始密码"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=256)],
        description=_l("所有新员工使用此密码首次登录，并须立即修改"),
    )


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("搜索"), validators=[Optional()])
    department = SelectField(_l("部门"), coerce=int, validators=[Optional()])
    role = SelectField(_l("角色"), validators=[Optional()])
    status = SelectField(
        _l("状态"),
        validators=[Optional()],
        choices=[
            SelectChoice("", _l("全部状态")),
            SelectChoice("active", _l("在用")),
            SelectChoice("inactive", _l("已停用")),
        ],
    )
