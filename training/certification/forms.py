"""Forms of the certification pages: a level with its rule (as YAML), and HR's decisions on one
person (award, revoke, decide a flag), each with the reason the history keeps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from training.certification.lifecycle import ExpiryBase
from training.certification.models import CertLevel

EXPIRY_BASE_LABELS = {
    ExpiryBase.COMPLETION: _l("从完成之日起算"),
    ExpiryBase.PREVIOUS_EXPIRY: _l("窗口内续期时从原到期日起算"),
}


class LevelForm(FlaskForm):
    """A level's terms and its rule; the rule is saved only after its preview was shown."""

    name = StringField(_l("等级名称"), validators=[DataRequired(), Length(max=100)])
    code = StringField(
        _l("代码"), validators=[DataRequired(), Length(max=40),
                               Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("代码只能包含字母、数字、_ . -"))],
        description=_l("导入导出和接口中使用的稳定名称，例如 junior"),
    )
    description = TextAreaField(_l("说明"), validators=[Optional(), Length(max=5000)],
                                render_kw={"rows": 2})
    validity_months = IntegerField(
        _l("有效期（月）"), validators=[Optional(), NumberRange(min=1, max=240)],
        description=_l("留空表示长期有效"),
    )
    expiry_base = SelectField(_l("续期起算"), choices=[SelectChoice(str(k), v) for k, v in EXPIRY_BASE_LABELS.items()])
    window_days = IntegerField(
        _l("续期窗口（天）"), default=30, validators=[InputRequired(message=_l("请填写续期窗口天数")),
                                                  NumberRange(min=0, max=3650)],
        description=_l("到期前多少天起进入“即将到期”，可以续期"),
    )
    department_ids = SelectMultipleField(_l("适用部门"), coerce=int,
                                         description=_l("不选表示全部部门；选中部门含其下级部门"))
    positions = SelectMultipleField(_l("适用岗位"), description=_l("不选表示全部岗位"))
    prerequisite_ids = SelectMultipleField(_l("前置等级"), coerce=int,
                                           description=_l("须持有这些有效认证"))
    rule = TextAreaField(_l("认证规则（YAML）"), validators=[DataRequired(message=_l("请填写认证规则"))],
                         render_kw={"rows": 14, "spellcheck": "false", "class": "font-monospace"})
    previewed = HiddenField()  # the digest of the rule text whose preview was shown

    def __init__(self, *args, departments: list[tuple[int, str]] = (),
                 positions: list[str] = (), levels: list[CertLevel] = (),
                 editing: CertLevel | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.department_ids.choices = [SelectChoice(key, label) for key, label in departments]
        self.positions.choices = [SelectChoice(position, position) for position in positions]
        self.prerequisite_ids.choices = [SelectChoice(level.id, level.name) for level in levels
                                         if editing is None or level.id != editing.id]


class ReasonForm(FlaskForm):
    """An HR decision on one person and level: the reason goes into the history."""

    level_id = SelectField(_l("认证等级"), coerce=int)
    reason = TextAreaField(_l("原因"), validators=[DataRequired(message=_l("请填写原因")),
                                                  Length(max=1000)],
                           render_kw={"rows": 2})

    def __init__(self, *args, levels: list[CertLevel] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.level_id.choices = [SelectChoice(level.id, level.name) for level in levels]


class FlagDecisionForm(ReasonForm):
    decision = SelectField(_l("决定"), choices=[SelectChoice("keep", _l("保留证书")),
                                                  SelectChoice("revoke", _l("撤销证书"))])
