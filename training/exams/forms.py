"""Forms of the exam pages: exam settings, assignment, per-user exceptions, start, grading,
regrade confirmation.

Trainers type times in the configured time zone (Asia/Shanghai); they are stored as UTC.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from training.exams.labels import (
    GRADING_LABELS,
    KIND_LABELS,
    MULTIPLE_RULE_LABELS,
    NAVIGATION_LABELS,
    REVIEW_WHEN_LABELS,
)
from training.exams.services import ExamSettings
from training.people.forms import AudienceForm
from training.timezones import to_local, to_utc

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in labels.items()]


class ExamForm(FlaskForm):
    title = StringField(_l("考试名称"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("考试说明"), validators=[Optional(), Length(max=5000)],
                                render_kw={"rows": 2})
    kind = SelectField(_l("类型"), choices=_choices(KIND_LABELS))
    paper_id = SelectField(_l("试卷"), coerce=int)
    opens_at = DateTimeLocalField(_l("开始时间"), format=LOCAL_FORMAT, validators=[DataRequired()])
    closes_at = DateTimeLocalField(_l("结束时间"), format=LOCAL_FORMAT, validators=[DataRequired()])
    time_limit_minutes = IntegerField(
        _l("考试时长（分钟）"), validators=[Optional(), NumberRange(min=1, max=1440)],
        description=_l("留空则作答到考试结束时间"),
    )
    attempts_allowed = IntegerField(
        _l("允许作答次数"), validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l("留空为不限次数"),
    )
    grading_method = SelectField(_l("多次作答取分"), choices=_choices(GRADING_LABELS))
    pass_mark = FloatField(
        _l("及格线（满分的百分比）"), default=60, validators=[NumberRange(min=0, max=100)]
    )
    multiple_rule = SelectField(_l("多选题评分"), choices=_choices(MULTIPLE_RULE_LABELS))
    shuffle_questions = BooleanField(_l("打乱题目顺序（各大题内）"))
    shuffle_options = BooleanField(_l("打乱选项顺序"))
    navigation = SelectField(_l("作答方式"), choices=_choices(NAVIGATION_LABELS))
    review_when = SelectField(_l("何时向考生公布"), choices=_choices(REVIEW_WHEN_LABELS))
    review_score = BooleanField(_l("公布成绩"), default=True)
    review_answers = BooleanField(_l("公布正确答案"))
    review_explanations = BooleanField(_l("公布解析"))
    password = PasswordField(
        _l("考试密码"), validators=[Optional(), Length(max=100)],
        description=_l("考场公布的进入密码；留空则保持不变"),
    )
    clear_password = BooleanField(_l("取消考试密码"))
    allowed_networks = TextAreaField(
        _l("允许的网段"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2},
        description=_l("每行一个，例如 10.8.0.0/16；留空则不限"),
    )

    def __init__(self, *args, papers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.paper_id.choices = [SelectChoice(p.id, p.title) for p in papers]

    def load(self, settings: ExamSettings) -> None:
        """Fill the form from an exam's settings (times shown in local time)."""
        for name, value in vars(settings).items():
            if name in ("password",) or not hasattr(self, name):
                continue
            field = getattr(self, name)
            field.data = to_local(value) if name in ("opens_at", "closes_at") else value

    def settings(self) -> ExamSettings:
        password = "" if self.clear_password.data else (self.password.data or None)
        return ExamSettings(
            paper_id=self.paper_id.data,
            title=self.title.data or "",
            description=self.description.data or "",
            kind=self.kind.data,
            opens_at=to_utc(self.opens_at.data),  # type: ignore[arg-type]
            closes_at=to_utc(self.closes_at.data),  # type: ignore[arg-type]
            time_limit_minutes=self.time_limit_minutes.data,
            attempts_allowed=self.attempts_allowed.data,
            grading_method=self.grading_method.data,
            pass_mark=float(self.pass_mark.data or 0),
            multiple_rule=self.multiple_rule.data,
            shuffle_questions=self.shuffle_questions.data,
            shuffle_options=self.shuffle_options.data,
            navigation=self.navigation.data,
            review_when=self.review_when.data,
            review_score=self.review_score.data,
            review_answers=self.review_answers.data,
            review_explanations=self.review_explanations.data,
            allowed_networks=self.allowed_networks.data or "",
            password=password,
        )


class AssignForm(AudienceForm):
    users = TextAreaField(
        _l("个别考生"), validators=[Optional(), Length(max=20_000)], render_kw={"rows": 2},
        description=_l("登录名或工号，每行一个或用逗号分隔"),
    )
    due_date = DateField(_l("应通过日期（可不填）"), validators=[Optional()],
                         description=_l("到期未通过的考生会标为逾期；考试时段不变"))


class OverrideForm(FlaskForm):
    user = StringField(_l("考生（登录名或工号）"), validators=[DataRequired(), Length(max=64)])
    extra_minutes = IntegerField(
        _l("延长时间（分钟）"), default=0, validators=[Optional(), NumberRange(min=0, max=1440)]
    )
    opens_at = DateTimeLocalField(_l("个人开始时间"), format=LOCAL_FORMAT, validators=[Optional()])
    closes_at = DateTimeLocalField(_l("个人结束时间"), format=LOCAL_FORMAT, validators=[Optional()])


class StartForm(FlaskForm):
    password = PasswordField(_l("考试密码"), validators=[Optional(), Length(max=100)])


class GradeForm(FlaskForm):
    points = FloatField(_l("得分"), validators=[InputRequired(message=_l("请填写得分")),
                                               NumberRange(min=0)])
    comment = TextAreaField(_l("评语"), validators=[Optional(), Length(max=2000)],
                            render_kw={"rows": 2})


class ScoreChangeForm(GradeForm):
    """Corrects a grader's score on the answer sheet; the reason goes to the audit log."""

    reason = StringField(_l("修改原因"), validators=[DataRequired(message=_l("请填写修改原因。")),
                                                   Length(max=500)])


class RegradeForm(FlaskForm):
    """Confirms a regrade; `digest` names the dry run the trainer saw (see `regrade.py`)."""

    digest = HiddenField(validators=[DataRequired(), Length(max=64)])
