"""The audit-log page's filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    actor = StringField(_l("操作人"), validators=[Optional(), Length(max=100)])
    action = SelectField(_l("操作"), validators=[Optional()])
    since = DateField(_l("开始日期"), validators=[Optional()])
    until = DateField(_l("结束日期"), validators=[Optional()])

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("结束日期不能早于开始日期"))
