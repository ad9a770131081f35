"""Forms of the sign-in pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from training.people.services import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    username = StringField(_l("登录名 / 工号"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("记住我"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("新密码"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)]
    )
    confirm = PasswordField(
        _l("确认新密码"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("两次输入的密码不一致"))],
    )


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[DataRequired()])
    next = HiddenField()
