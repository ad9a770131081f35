"""The form that saves a report's filters under a name (other actions are CSRF-only buttons)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from training.reports.exports import Format

FORMAT_LABELS = {Format.XLSX: "Excel", Format.CSV: "CSV", Format.PDF: "PDF"}


class SaveReportForm(FlaskForm):
    name = StringField(_l("报表名称"), validators=[DataRequired(), Length(max=100)])
    format = SelectField(_l("格式"), choices=[SelectChoice(k, v) for k, v in FORMAT_LABELS.items()])
    monthly = BooleanField(_l("每月自动生成（上个月的数据）"))
    email = StringField(_l("同时发送到邮箱"), validators=[Optional(), Length(max=200)],
                        description=_l("仅当系统配置了邮件服务器时发送；多个地址用逗号分隔"))
