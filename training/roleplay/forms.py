"""Forms of the trainer's role-play pages: import, the scenario's settings, one node, adding a
node, the limit of runs per employee and the review of a typed reply (assignment uses the
shared `training.people.forms.AudienceForm`).

The node and settings forms turn into `script` values (`to_node`, `to_settings`) and back
(`node_data`, `settings_data`), so the editor changes a frozen `script.Scenario` and saves it
through the same validation an imported file passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from training.roleplay.labels import DIMENSION_LABELS
from training.roleplay.script import (
    Brief,
    Channel,
    Dimension,
    Forbidden,
    MoodGate,
    Node,
    NodeKind,
    Option,
    Outcome,
    ScoringPoint,
)

# Dimensions a reply earns points in; `mood` is scored from the final mood, never by points.
POINT_DIMENSIONS = tuple(d for d in Dimension if d is not Dimension.MOOD)
MAX_OPTIONS = 5
SPARE_ROWS = 2  # empty rows offered for new scoring points and forbidden phrases
NODE_ID = Regexp(r"^[A-Za-z0-9_-]{1,64}$", message=_l("只能用字母、数字、- 和 _，最多 64 个字符"))


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _points(form: Form) -> dict[Dimension, float]:
    return {d: form[d.value].data for d in POINT_DIMENSIONS if form[d.value].data}


def _dimension_choices() -> list[SelectChoice]:
    return [SelectChoice(d.value, DIMENSION_LABELS[d.value]) for d in POINT_DIMENSIONS]


def _with_points(cls: type[Form]) -> type[Form]:
    """Give a subform one optional number field per scored dimension (named after it)."""
    for dimension in POINT_DIMENSIONS:
        setattr(cls, dimension.value, FloatField(dimension.value, validators=[Optional()]))
    return cls


class ImportForm(FlaskForm):
    """Upload a scenario file or paste its text; one of the two is required."""

    file = FileField(
        _l("场景文件"),
        validators=[FileAllowed(["yaml", "yml"], _l("只支持 .yaml 或 .yml 文件"))],
        description=_l("YAML 格式，见 FORMAT.md（format: servicecoach-scenario）"),
    )
    text = TextAreaField(_l("或粘贴 YAML"), validators=[Optional(), Length(max=500_000)],
                         render_kw={"rows": 18, "spellcheck": "false", "data-yaml": "1"})

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.file.data and not (self.text.data or "").strip():
            self.text.errors.append(_l("请上传文件或粘贴 YAML"))
            return False
        return True


class SettingsForm(FlaskForm):
    """What applies to the whole scenario: title, brief, start, mood, pass mark, weights."""

    title = StringField(_l("标题"), validators=[DataRequired(), Length(max=200)])
    channel = SelectField(_l("渠道"))
    customer = TextAreaField(_l("客户"), validators=[DataRequired(), Length(max=2000)],
                             render_kw={"rows": 2})
    situation = TextAreaField(_l("情况"), validators=[DataRequired(), Length(max=4000)],
                              render_kw={"rows": 3})
    screen = TextAreaField(_l("员工屏幕上看到的信息"), validators=[Optional(), Length(max=4000)],
                           render_kw={"rows": 2})
    start = SelectField(_l("开始节点"))
    mood = IntegerField(_l("开始时的客户情绪（0–100）"), validators=[NumberRange(0, 100)])
    pass_mark = FloatField(_l("及格分（0–100）"), validators=[NumberRange(0, 100)])
    reply_seconds = IntegerField(_l("每次回复的时限（秒，可空）"),
                                 validators=[Optional(), NumberRange(5, 3600)])
    articles = TextAreaField(_l("相关条文（每行一个：手册#条文）"),
                             validators=[Optional(), Length(max=4000)], render_kw={"rows": 2})

    def __init__(self, *args, channels: Iterable[SelectChoice] = (), nodes: Iterable[str] = (),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = list(channels)
        self.start.choices = [SelectChoice(node_id, node_id) for node_id in nodes]


for _dimension in Dimension:
    setattr(SettingsForm, f"weight_{_dimension.value}",
            IntegerField(_dimension.value, validators=[Optional(), NumberRange(0, 100)]))


def settings_data(scenario: Any) -> dict[str, Any]:
    """The settings form's values for a `script.Scenario`."""
    data = {
        "title": scenario.title, "channel": str(scenario.channel),
        "customer": scenario.brief.customer, "situation": scenario.brief.situation,
        "screen": scenario.brief.screen, "start": scenario.start, "mood": scenario.mood,
        "pass_mark": scenario.pass_mark, "reply_seconds": scenario.reply_seconds,
        "articles": "\n".join(scenario.articles),
    }
    data.update({f"weight_{d.value}": w for d, w in scenario.weights.items()})
    return data


def to_settings(form: SettingsForm) -> dict[str, Any]:
    """The `script.Scenario` fields the settings form sets (for `dataclasses.replace`)."""
    weights = {d: form[f"weight_{d.value}"].data for d in Dimension if form[f"weight_{d.value}"].data}
    return {
        "title": form.title.data.strip(), "channel": Channel(form.channel.data),
        "brief": Brief(form.customer.data.strip(), form.situation.data.strip(),
                       (form.screen.data or "").strip()),
        "start": form.start.data, "mood": form.mood.data, "pass_mark": form.pass_mark.data,
        "weights": weights, "reply_seconds": form.reply_seconds.data or None,
        "articles": _lines(form.articles.data),
    }


@_with_points
class OptionForm(Form):
    """One reply option of a decision; a row left without text is no option."""

    id = StringField(_l("编号"), validators=[Optional(), NODE_ID])
    text = TextAreaField(_l("回复"), validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 2})
    next = SelectField(_l("下一步"), validate_choice=False)
    mood = IntegerField(_l("情绪变化"), validators=[Optional(), NumberRange(-100, 100)])
    feedback = TextAreaField(_l("讲评"), validators=[Optional(), Length(max=2000)],
                             render_kw={"rows": 2})
    model_reply = TextAreaField(_l("示范回复"), validators=[Optional(), Length(max=2000)],
                                render_kw={"rows": 2})
    critical = StringField(_l("严重错误（一票否决）的原因"),
                           validators=[Optional(), Length(max=500)])
    at_least = IntegerField(_l("情绪不低于"), validators=[Optional(), NumberRange(0, 100)])
    below = IntegerField(_l("情绪低于"), validators=[Optional(), NumberRange(0, 101)])

    def to_option(self, fallback_id: str) -> Option | None:
        if not (self.text.data or "").strip():
            return None
        gate = None
        if self.at_least.data is not None or self.below.data is not None:
            gate = MoodGate(self.at_least.data, self.below.data)
        return Option(
            id=(self.id.data or "").strip() or fallback_id, text=self.text.data.strip(),
            next=self.next.data or "", points=_points(self), mood=self.mood.data or 0,
            feedback=(self.feedback.data or "").strip(),
            model_reply=(self.model_reply.data or "").strip(),
            critical=(self.critical.data or "").strip() or None, gate=gate,
        )


class ScoringForm(Form):
    """A scoring point of a typed reply, phrases one a line."""

    label = StringField(_l("得分点"), validators=[Optional(), Length(max=200)])
    dimension = SelectField(_l("维度"), choices=_dimension_choices())
    points = FloatField(_l("分值"), validators=[Optional()])
    phrases = TextAreaField(_l("关键词（每行一条，| 分隔同义词，空格分隔须同时出现的词）"),
                            validators=[Optional(), Length(max=4000)], render_kw={"rows": 2})

    def to_point(self) -> ScoringPoint | None:
        phrases = _lines(self.phrases.data)
        if not phrases:
            return None
        return ScoringPoint(Dimension(self.dimension.data), self.points.data or 0, phrases,
                            (self.label.data or "").strip())


class ForbiddenForm(Form):
    """A phrase a typed reply must not contain, and what it costs."""

    phrases = TextAreaField(_l("禁用语（每行一条）"), validators=[Optional(), Length(max=4000)],
                            render_kw={"rows": 2})
    reason = StringField(_l("原因"), validators=[Optional(), Length(max=500)])
    critical = BooleanField(_l("严重错误（一票否决）"))
    dimension = SelectField(_l("扣分维度"), choices=[SelectChoice("", "—"), *_dimension_choices()])
    penalty = FloatField(_l("扣分"), validators=[Optional()])

    def to_forbidden(self) -> Forbidden | None:
        phrases = _lines(self.phrases.data)
        if not phrases:
            return None
        dimension = Dimension(self.dimension.data) if self.dimension.data else None
        return Forbidden(phrases, (self.reason.data or "").strip(), self.critical.data,
                         dimension, self.penalty.data or 0)


class NodeForm(FlaskForm):
    """One node; which fields apply depends on its kind (the template shows only those)."""

    text = TextAreaField(_l("内容"), validators=[Optional(), Length(max=4000)],
                         render_kw={"rows": 3})
    next = SelectField(_l("下一步"), validate_choice=False)
    mood_shown = BooleanField(_l("显示客户情绪"))
    options = FieldList(FormField(OptionForm), min_entries=MAX_OPTIONS, max_entries=MAX_OPTIONS)
    scoring = FieldList(FormField(ScoringForm))
    forbidden = FieldList(FormField(ForbiddenForm))
    model_reply = TextAreaField(_l("示范回复"), validators=[Optional(), Length(max=4000)],
                                render_kw={"rows": 3})
    mood_matched = IntegerField(_l("命中得分点时的情绪变化"),
                                validators=[Optional(), NumberRange(-100, 100)])
    mood_missed = IntegerField(_l("未命中时的情绪变化"),
                               validators=[Optional(), NumberRange(-100, 100)])
    outcome = SelectField(_l("结局"), validate_choice=False)
    debrief = TextAreaField(_l("讲评"), validators=[Optional(), Length(max=4000)],
                            render_kw={"rows": 3})
    articles = TextAreaField(_l("相关条文（每行一个：手册#条文）"),
                             validators=[Optional(), Length(max=4000)], render_kw={"rows": 2})

    def __init__(self, *args, targets: Iterable[SelectChoice] = (),
                 outcomes: Iterable[SelectChoice] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        targets = list(targets)
        self.next.choices = targets
        for option in self.options:
            option.next.choices = targets
        self.outcome.choices = list(outcomes)
        if not self.is_submitted():  # a posted form brings its own rows back
            for rows in (self.scoring, self.forbidden):
                for _spare in range(SPARE_ROWS):
                    rows.append_entry()

    def to_node(self, node: Node) -> Node:
        """The node as the form has it (same id and kind)."""
        common = {"id": node.id, "kind": node.kind, "text": (self.text.data or "").strip(),
                  "articles": _lines(self.articles.data)}
        match node.kind:
            case NodeKind.CUSTOMER | NodeKind.NARRATION:
                return Node(**common, next=self.next.data or None,
                            mood_shown=self.mood_shown.data)
            case NodeKind.DECISION:
                found = (row.form.to_option(f"o{i}") for i, row in enumerate(self.options, 1))
                return Node(**common, options=tuple(o for o in found if o is not None))
            case NodeKind.FREE_TEXT:
                scoring = (row.form.to_point() for row in self.scoring)
                forbidden = (row.form.to_forbidden() for row in self.forbidden)
                return Node(
                    **common, next=self.next.data or None,
                    scoring=tuple(p for p in scoring if p is not None),
                    forbidden=tuple(f for f in forbidden if f is not None),
                    model_reply=(self.model_reply.data or "").strip(),
                    mood_matched=self.mood_matched.data or 0,
                    mood_missed=self.mood_missed.data or 0,
                )
        return Node(**common, outcome=Outcome(self.outcome.data),
                    debrief=(self.debrief.data or "").strip())


def _point_fields(points: dict[Dimension, float]) -> dict[str, float]:
    return {d.value: value for d, value in points.items() if d in POINT_DIMENSIONS}


def node_data(node: Node) -> dict[str, Any]:
    """The node form's values for a node."""
    options = [
        {"id": o.id, "text": o.text, "next": o.next, "mood": o.mood or None,
         "feedback": o.feedback, "model_reply": o.model_reply, "critical": o.critical or "",
         "at_least": o.gate.at_least if o.gate else None,
         "below": o.gate.below if o.gate else None, **_point_fields(o.points)}
        for o in node.options
    ]
    return {
        "text": node.text, "next": node.next or "", "mood_shown": node.mood_shown,
        "options": options + [{}] * (MAX_OPTIONS - len(options)),
        "scoring": [{"label": p.label, "dimension": p.dimension.value, "points": p.points,
                     "phrases": "\n".join(p.phrases)} for p in node.scoring],
        "forbidden": [{"phrases": "\n".join(f.phrases), "reason": f.reason,
                       "critical": f.critical,
                       "dimension": f.dimension.value if f.dimension else "",
                       "penalty": f.penalty or None} for f in node.forbidden],
        "model_reply": node.model_reply, "mood_matched": node.mood_matched or None,
        "mood_missed": node.mood_missed or None,
        "outcome": node.outcome.value if node.outcome else "", "debrief": node.debrief,
        "articles": "\n".join(node.articles),
    }


class AddNodeForm(FlaskForm):
    """A new node, put on an existing link: the link now leads to it, and it leads on to where
    the link went (so the conversation stays connected)."""

    id = StringField(_l("新节点编号"), validators=[DataRequired(), NODE_ID])
    kind = SelectField(_l("类型"))
    after = SelectField(_l("插入到连线"))

    def __init__(self, *args, kinds: Iterable[SelectChoice] = (),
                 links: Iterable[SelectChoice] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = list(kinds)
        self.after.choices = list(links)


class DeleteForm(FlaskForm):
    """A POST with CSRF only (delete a node, start a play-test)."""


class LimitForm(FlaskForm):
    """How many times each employee may play the scenario (blank: unlimited)."""

    max_runs = IntegerField(_l("每人可练习次数（空：不限）"),
                            validators=[Optional(), NumberRange(1, 1000)])


@_with_points
class ReviewForm(FlaskForm):
    """The points a trainer gives a typed reply, per dimension, and why."""

    reason = StringField(_l("理由"), validators=[DataRequired(), Length(max=1000)])
