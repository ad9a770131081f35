"""Forms for account management and the roster import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from training.access import ROLES
from training.people.services import MIN_PASSWORD_LENGTH
from training.templating import ROLE_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, str(ROLE_LABELS[role])) for role in ROLES]


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
    department_path = StringField(
        _l("部门"),
        validators=[Optional(), Length(max=500)],
        description=_l("用 / 分隔层级，例如 示范公司/客服中心/热线一组"),
    )
    position = StringField(_l("岗位"), validators=[Optional(), Length(max=64)])
    roles = MultiCheckboxField(
        _l("角色"), validators=[DataRequired(message=_l("至少选择一个角色"))]
    )
    hire_date = DateField(_l("入职日期"), validators=[Optional()])
    phone = StringField(_l("手机"), validators=[Optional(), Length(max=32)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = role_choices()


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


class RosterCommitForm(FlaskForm):
    initial_password = PasswordField(
        _l("初始密码"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)],
        description=_l("所有导入的员工使用此密码首次登录，并须立即修改"),
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
