"""Forms of the course pages: course details, a lesson of each kind, assignment, image upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from training.courses.labels import COMPLETION_LABELS, KIND_LABELS
from training.courses.models import Lesson
from training.courses.sections import SectionOption
from training.courses.services import MAX_MIN_SECONDS, LessonValues
from training.exams.models import Exam
from training.people.forms import AudienceForm
from training.roleplay.models import Scenario


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "") else None  # type: ignore[arg-type]


class CourseForm(FlaskForm):
    title = StringField(_l("课程名称"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("课程简介"), validators=[Optional(), Length(max=5000)],
                                render_kw={"rows": 3})
    sequential = BooleanField(
        _l("按顺序学习"), description=_l("勾选后，学员须完成前一课时才能打开下一课时")
    )


class LessonForm(FlaskForm):
    """One form for the four kinds; the page shows the fields of the chosen kind."""

    kind = SelectField(_l("课时类型"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    title = StringField(_l("课时名称"), validators=[Optional(), Length(max=200)],
                        description=_l("留空则使用所选章节或测验的名称"))
    completion = SelectField(
        _l("完成条件"),
        choices=[SelectChoice(k, COMPLETION_LABELS[k]) for k in ("opened", "min_time")],
        validate_choice=False,  # a quiz or scenario has none; the service checks each kind's
    )
    min_seconds = IntegerField(
        _l("最短阅读时间（秒）"), validators=[Optional(), NumberRange(min=1, max=MAX_MIN_SECONDS)],
        description=_l("从学员首次打开本课时算起，按服务器时间计"),
    )
    section = SelectField(_l("制度章节"), validate_choice=False)
    body = TextAreaField(
        _l("图文内容"), validators=[Optional(), Length(max=100_000)], render_kw={"rows": 14},
        description=_l("支持 Markdown；可直接粘贴 HTML，保存和显示时会清除不安全的内容"),
    )
    exam_id = SelectField(_l("课程测验"), coerce=_optional_int, validate_choice=False)
    scenario_id = SelectField(_l("情景演练"), coerce=_optional_int, validate_choice=False)

    def __init__(self, *args, sections: list[SectionOption] = (), quizzes: list[Exam] = (),
                 scenarios: list[Scenario] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.section.choices = [
            SelectChoice(option.value, option.label, optgroup=option.manual.title)
            for option in sections
        ]
        self.exam_id.choices = [SelectChoice("", _l("— 请选择 —"))] + [
            SelectChoice(exam.id, exam.title) for exam in quizzes
        ]
        self.scenario_id.choices = [SelectChoice("", _l("— 请选择 —"))] + [
            SelectChoice(scenario.id, scenario.title) for scenario in scenarios
        ]

    def load(self, lesson: Lesson) -> None:
        """Fill the form from a stored lesson."""
        self.kind.data, self.title.data, self.body.data = lesson.kind, lesson.title, lesson.body
        self.completion.data = lesson.completion if lesson.kind in ("manual", "page") else "opened"
        self.min_seconds.data = lesson.min_seconds or None
        self.section.data = f"{lesson.manual_id}:{lesson.anchor}" if lesson.manual_id else None
        self.exam_id.data = lesson.exam_id
        self.scenario_id.data = lesson.scenario_id

    def values(self) -> LessonValues:
        manual_id, _sep, anchor = (self.section.data or "").partition(":")
        return LessonValues(
            kind=self.kind.data,
            title=self.title.data or "",
            completion=self.completion.data,
            min_seconds=self.min_seconds.data or 0,
            manual_id=int(manual_id) if manual_id.isdigit() else None,
            anchor=anchor or None,
            body=self.body.data or "",
            exam_id=self.exam_id.data,
            scenario_id=self.scenario_id.data,
        )


class AssignForm(AudienceForm):
    users = TextAreaField(
        _l("个别学员"), validators=[Optional(), Length(max=20_000)], render_kw={"rows": 2},
        description=_l("登录名或工号，每行一个或用逗号分隔"),
    )
    due_date = DateField(_l("截止日期"), validators=[DataRequired()])


class ImageForm(FlaskForm):
    image = FileField(_l("图片"), validators=[FileRequired()])
