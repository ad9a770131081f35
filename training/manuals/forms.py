"""Forms of the manual library: upload, settings, search and the confirmation report filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

MANUAL_EXTENSIONS = ["txt", "md", "docx"]


class ManualUploadForm(FlaskForm):
    file = FileField(
        _l("制度文件"),
        validators=[
            FileRequired(),
            FileAllowed(MANUAL_EXTENSIONS, _l("只支持 .txt、.md 或 .docx 文件")),
        ],
    )
    title = StringField(
        _l("制度名称"),
        validators=[Optional(), Length(max=200)],
        description=_l("留空则使用文件中的标题；与已有制度同名时导入为新版本"),
    )


class ManualSettingsForm(FlaskForm):
    title = StringField(_l("制度名称"), validators=[DataRequired(), Length(max=200)])
    requires_confirmation = BooleanField(
        _l("必读：员工须确认已阅读当前版本"),
        description=_l("导入新版本后，员工需要重新确认"),
    )


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("搜索"), validators=[Optional(), Length(max=100)])
    # the slug of the manual to search in; empty: the whole library
    manual = StringField(validators=[Optional(), Length(max=200)])
