"""Forms of papers: the paper itself, a section (title, and for rule papers what it draws), the builder."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from training.bank.labels import TYPE_LABELS
from training.bank.models import QuestionBank
from training.errors import DomainError
from training.papers.models import PaperSection
from training.papers.services import SectionValues
from training.people.forms import MultiCheckboxField

NO_BANK = 0


class PaperDetailsForm(FlaskForm):
    title = StringField(_l("试卷名称"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)])
    bank_id = SelectField(
        _l("题库"), coerce=int, description=_l("随机组卷从这个题库抽题；固定试卷默认在这里选题")
    )

    def __init__(self, *args, banks: Iterable[QuestionBank], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bank_id.choices = [SelectChoice(str(NO_BANK), _l("（未指定）"))] + [
            SelectChoice(str(bank.id), bank.name) for bank in banks
        ]


class PaperForm(PaperDetailsForm):
    kind = SelectField(
        _l("组卷方式"),
        choices=[
            SelectChoice("fixed", _l("固定试卷：逐题挑选")),
            SelectChoice("rules", _l("随机组卷：按规则抽题")),
        ],
    )


class SectionTitleForm(FlaskForm):
    """A fixed paper's section: only its title; the questions are placed in the builder."""

    title = StringField(_l("部分名称"), validators=[DataRequired(), Length(max=200)])

    def values(self) -> SectionValues:
        return SectionValues(title=self.title.data)


class SectionRuleForm(FlaskForm):
    """A rule paper's section: what it draws from the paper's bank and what each is worth."""

    title = StringField(_l("部分名称"), validators=[Optional(), Length(max=200)],
                        description=_l("留空则用题型名称"))
    type = SelectField(_l("题型"), choices=[SelectChoice("", _l("任意题型"))] + [
        SelectChoice(key, label) for key, label in TYPE_LABELS.items()
    ])
    count = IntegerField(_l("题目数量"), default=5, validators=[NumberRange(min=1, max=500)])
    points_each = DecimalField(_l("每题分值"), default=2, places=1,
                               validators=[NumberRange(min=0.5, max=100)])
    difficulty_min = IntegerField(_l("最低难度"), default=1, validators=[NumberRange(min=1, max=5)])
    difficulty_max = IntegerField(_l("最高难度"), default=5, validators=[NumberRange(min=1, max=5)])
    categories = MultiCheckboxField(_l("分类（含子分类）"), description=_l("不选则不限分类"))
    tags = MultiCheckboxField(_l("标签"), description=_l("有其中任一标签即可；不选则不限"))
    knowledge_points = MultiCheckboxField(_l("知识点"), description=_l("有其中任一知识点即可；不选则不限"))

    def set_choices(self, categories: list[str], tags: list[str], knowledge_points: list[str]) -> None:
        """Offer the bank's labels, keeping saved ones the bank no longer has (they match nothing)."""
        for field, names in ((self.categories, categories), (self.tags, tags),
                             (self.knowledge_points, knowledge_points)):
            kept = [name for name in field.data or [] if name not in names]
            field.choices = [SelectChoice(name, name) for name in [*names, *kept]]

    def validate_difficulty_max(self, field: IntegerField) -> None:
        if self.difficulty_min.data and field.data and field.data < self.difficulty_min.data:
            raise ValidationError(_l("最高难度不能低于最低难度"))

    def values(self) -> SectionValues:
        qtype = self.type.data or None
        return SectionValues(
            title=(self.title.data or "").strip() or str(TYPE_LABELS.get(qtype, _l("综合题"))),
            type=qtype,
            count=self.count.data,
            points_each=float(self.points_each.data),
            categories=list(self.categories.data or []),
            tags=list(self.tags.data or []),
            knowledge_points=list(self.knowledge_points.data or []),
            difficulty_min=self.difficulty_min.data,
            difficulty_max=self.difficulty_max.data,
        )


class AddQuestionsForm(FlaskForm):
    """Questions ticked in the builder's search (`ids`) go to the chosen section."""

    section_id = SelectField(_l("加入到"), coerce=int)

    def __init__(self, *args, sections: Iterable[PaperSection], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.section_id.choices = [SelectChoice(str(s.id), s.title) for s in sections]


class ItemsForm(FlaskForm):
    """The builder's list: `points-<item id>` inputs, and `move` / `remove` row buttons."""


def item_changes(formdata: Mapping[str, str]) -> tuple[dict[int, float], tuple[int, int] | None, int | None]:
    """Read the builder's points and the pressed row button ('12:-1' moves item 12 up)."""
    points: dict[int, float] = {}
    for name, value in formdata.items():
        if name.startswith("points-") and name[7:].isdigit():
            try:
                number = float(value)
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                raise DomainError(str(_l("分值必须是数字")))
            points[int(name[7:])] = number
    move = None
    item_id, _sep, offset = formdata.get("move", "").partition(":")
    if item_id.isdigit() and offset in ("-1", "1"):
        move = (int(item_id), int(offset))
    remove = formdata.get("remove", "")
    return points, move, int(remove) if remove.isdigit() else None
