"""Registry of question types: what each type's answer looks like, how it is checked and scored.

Importers, exporters, editors and exam pages ask this registry instead of branching on type
names, so a new type is one small class with `@register`. A name, label or alias that is
already taken fails at import time rather than silently shadowing another type.

Each type also declares its capabilities (`CAPABILITIES`): whether it is scored at once
against its key, keyed by pressing a letter, shows lettered options, can earn part of its
points, uses case material, and its `answer_kind` — how a response is entered and shown. The
web app selects questions with `type_names(objective=True)` and renders them from the
templates named after the answer kind, never from lists of type names of its own.
"""

from __future__ import annotations

import math
import re
import unicodedata
from abc import ABC, abstractmethod
from enum import StrEnum
from typing import Any, ClassVar

from question_bank.model import Answer, Problem, Question, Severity
from question_bank.scoring import (
    DEFAULT_RULE,
    ScoreResult,
    ScoringRule,
    manual_grading,
    score_fill_blank,
    score_multiple,
    score_single,
    score_true_false,
)
from question_bank.texts import N_

Response = str | list[str] | bool | None
Finding = tuple[Severity, str]

OPTION_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A blank in a fill-blank stem: a run of underscores or empty brackets, half- or full-width.
BLANK_MARKER = re.compile(r"_{2,}|[(（]\s*[)）]|[\[【]\s*[\]】]")
BLANK_SEPARATOR = "；"
ALTERNATIVE_SEPARATOR = "|"
_LABEL_SEPARATORS = re.compile(r"[\s,、;/]+")
_BLANK_SPLIT = re.compile(r"[;；\n]")
_ALTERNATIVE_SPLIT = re.compile(r"[|｜]")
_TRUE_WORDS = frozenset({"对", "正确", "是", "√", "✓", "✔", "t", "true", "y", "yes", "1"})
_FALSE_WORDS = frozenset({"错", "错误", "否", "×", "✗", "✘", "x", "f", "false", "n", "no", "0"})


class AnswerKind(StrEnum):
    """How a response is entered and shown; pages switch on this, not on type names."""

    CHOICE = "choice"  # one option label
    MULTI = "multi"  # any number of option labels
    BOOL = "bool"  # 对 or 错
    BLANKS = "blanks"  # one text per blank
    TEXT = "text"  # free text, graded by a person

    @property
    def several(self) -> bool:
        """A form sends several values for it: ticked boxes, or one field per blank."""
        return self in (AnswerKind.MULTI, AnswerKind.BLANKS)


# What every registered type must declare; `register` refuses a type that leaves one out.
CAPABILITIES: dict[str, type] = {
    "answer_kind": AnswerKind,
    "objective": bool,  # scored against its key at once: practice, the wrong-answer book
    "keyable": bool,  # a key is typed by pressing letters in keying mode
    "choice": bool,  # carries lettered options, which exams and practice may shuffle
    "partial_credit": bool,  # a response can earn part of the points
    "case_material": bool,  # the editor asks for case material above the stem
}


def _fold(text: str) -> str:
    """Full-width to half-width and lower case, so 'Ａ，Ｂ' reads like 'a,b'."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


class QuestionType(ABC):
    """One kind of question: its names, its checks, its answer text and its scoring."""

    name: ClassVar[str]
    label: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    answer_kind: ClassVar[AnswerKind]
    objective: ClassVar[bool]
    keyable: ClassVar[bool]
    choice: ClassVar[bool]
    partial_credit: ClassVar[bool]
    case_material: ClassVar[bool]

    def validate(self, question: Question) -> list[Problem]:
        """Every problem that would stop this question being used, pointing at its line."""
        line = question.source.line
        return [Problem(line, severity, message) for severity, message in self.check(question)]

    def check(self, question: Question) -> list[Finding]:
        """Checks shared by all types; subclasses extend them."""
        findings: list[Finding] = []
        if not question.stem.strip():
            findings.append(("error", N_("题干: 不能为空")))
        if not (question.points > 0 and math.isfinite(question.points)):
            findings.append(("error", N_("分值: 必须大于 0, 实际为 %(points)s", points=question.points)))
        if not 1 <= question.difficulty <= 5:
            findings.append(
                ("error", N_("难度: 必须在 1–5 之间, 实际为 %(difficulty)s", difficulty=question.difficulty))
            )
        if not question.needs_key:
            findings.extend(self.check_answer(question))
        return findings

    @abstractmethod
    def check_answer(self, question: Question) -> list[Finding]:
        """Problems of a key that is present."""

    def score(
        self, question: Question, response: Any, rule: ScoringRule = DEFAULT_RULE
    ) -> ScoreResult:
        """Score a normalised response; a draft without a key goes to a human grader."""
        if question.needs_key:
            return manual_grading(question, "", N_("题目缺少答案, 需人工评分"))
        return self.score_keyed(question, response, rule)

    @abstractmethod
    def score_keyed(self, question: Question, response: Any, rule: ScoringRule) -> ScoreResult:
        """Score a response against the question's key."""

    @abstractmethod
    def normalise_response(self, raw: Any) -> Response:
        """Turn what a form or API sent into the shape `score` expects; ValueError if bad."""

    @abstractmethod
    def parse_answer(self, text: str) -> Answer:
        """Read a key as written in a cell or text file: None if empty, ValueError if unreadable."""

    @abstractmethod
    def format_answer(self, answer: Answer) -> str:
        """Write a key the way `parse_answer` reads it back."""


_REGISTRY: dict[str, QuestionType] = {}
_BY_NAME: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator adding a type; a name, label or alias already taken raises at once,
    and so does a capability left undeclared."""
    keys = [_fold(key) for key in (cls.name, cls.label, *cls.aliases)]
    taken = [key for key in keys if key in _BY_NAME or keys.count(key) > 1]
    if taken:
        raise ValueError(f"duplicate question type name: {', '.join(taken)}")
    missing = [
        name for name, kind in CAPABILITIES.items()
        if not isinstance(getattr(cls, name, None), kind)
    ]
    if missing:
        raise TypeError(f"question type {cls.__name__} misses capabilities: {', '.join(missing)}")
    instance = cls()
    _BY_NAME.update(dict.fromkeys(keys, instance))
    _REGISTRY[cls.name] = instance
    return cls


def get_type(name: str) -> QuestionType:
    """The type registered under a canonical name such as 'single' (KeyError if unknown)."""
    if name not in _REGISTRY:
        raise KeyError(f"unknown question type: {name}")
    return _REGISTRY[name]


def lookup_type(text: str) -> QuestionType | None:
    """Find a type as people write it: 'single', '单选', '单选题', '名词解释'..."""
    return _BY_NAME.get(_fold(text))


def all_types() -> list[QuestionType]:
    """Every registered type, in registration order."""
    return list(_REGISTRY.values())


def type_names(**capabilities: Any) -> tuple[str, ...]:
    """Names of the types with the given capabilities, e.g. `type_names(objective=True)`,
    for queries that select questions by what their type can do."""
    unknown = set(capabilities) - set(CAPABILITIES)
    if unknown:
        raise KeyError(f"unknown capability: {', '.join(sorted(unknown))}")
    return tuple(
        name for name, kind in _REGISTRY.items()
        if all(getattr(kind, key) == value for key, value in capabilities.items())
    )


def capability_table() -> dict[str, dict[str, Any]]:
    """Every type's capabilities by name, for a page that follows a type chosen live."""
    return {
        name: {key: getattr(kind, key) for key in CAPABILITIES} for name, kind in _REGISTRY.items()
    }


def validate_question(question: Question) -> list[Problem]:
    """Validate any question, including one whose type is not registered."""
    if question.type not in _REGISTRY:
        return [Problem(question.source.line, "error", N_("题型: 未知题型 %(type)s", type=question.type))]
    return get_type(question.type).validate(question)


def validate_all(questions: list[Question]) -> list[Problem]:
    """Problems of many questions in order, for importers to report."""
    return [problem for question in questions for problem in validate_question(question)]


def score_response(question: Question, raw: Any, rule: ScoringRule = DEFAULT_RULE) -> ScoreResult:
    """Normalise a submitted response and score it: the one call an exam page needs."""
    question_type = get_type(question.type)
    return question_type.score(question, question_type.normalise_response(raw), rule)


def option_label(index: int) -> str:
    """The label of the option at a 0-based position: A, B, C..."""
    return OPTION_LABELS[index]


def _is_blank(raw: Any) -> bool:
    return raw is None or raw == [] or (isinstance(raw, str) and not raw.strip())


def _parse_labels(raw: Any) -> list[str]:
    """Read labels from 'ABD', 'A,B,D', 'a、b', 'Ａ Ｂ' or ['A', 'B']: sorted, unique, upper."""
    parts = raw if isinstance(raw, list | tuple) else [raw]
    labels: set[str] = set()
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(N_("选项字母必须是文字, 收到 %(part)s", part=repr(part)))
        for chunk in _LABEL_SEPARATORS.split(_fold(part).upper()):
            if not all(c in OPTION_LABELS for c in chunk):
                raise ValueError(N_("无法识别的选项字母 '%(chunk)s', 应为 A–Z", chunk=chunk))
            labels.update(chunk)
    return sorted(labels)


def _parse_bool(raw: Any) -> bool:
    """Read true/false as 对/错, √/×, T/F, true/false, 1/0 or a real bool."""
    if isinstance(raw, bool):
        return raw
    word = _fold(str(raw))
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(N_("判断题答案应为 对/错, 收到 '%(raw)s'", raw=raw))


def _blank_text(item: Any) -> str:
    """One blank of a fill-blank response: text or a number; None means left empty."""
    if item is None:
        return ""
    if isinstance(item, bool) or not isinstance(item, str | int | float):
        raise ValueError(N_("填空题每空的作答必须是文字, 收到 %(item)s", item=repr(item)))
    return str(item)


class ChoiceType(QuestionType):
    """Single and multiple choice: options, label keys, label answer text."""

    objective = True
    keyable = True
    choice = True
    case_material = False

    def check(self, question: Question) -> list[Finding]:
        findings = super().check(question)
        labels = [option.label for option in question.options]
        if len(labels) < 2:
            findings.append(("error", N_("选项: 至少需要两个选项")))
        findings.extend(
            ("error", N_("选项: 标签 '%(label)s' 应为一个字母 A–Z", label=label))
            for label in labels
            if len(label) != 1 or label not in OPTION_LABELS
        )
        for label in sorted({label for label in labels if labels.count(label) > 1}):
            findings.append(("error", N_("选项: 选项 %(label)s 重复", label=label)))
        findings.extend(
            ("error", N_("选项%(label)s: 内容为空", label=option.label))
            for option in question.options
            if not option.text.strip()
        )
        return findings

    def check_answer(self, question: Question) -> list[Finding]:
        answer = question.answer
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            return [("error", N_("答案: 应为选项字母, 例如 A 或 ABD"))]
        known = {option.label for option in question.options}
        return [
            ("error", N_("答案: 选项 %(label)s 不存在", label=label))
            for label in answer
            if label not in known
        ]

    def parse_answer(self, text: str) -> Answer:
        return _parse_labels(text) or None

    def format_answer(self, answer: Answer) -> str:
        return "".join(map(str, answer)) if isinstance(answer, list) else ""


@register
class SingleChoice(ChoiceType):
    name = "single"
    label = "单选题"
    aliases = ("单选", "单项选择", "单项选择题", "single_choice")
    answer_kind = AnswerKind.CHOICE
    partial_credit = False

    def check_answer(self, question: Question) -> list[Finding]:
        findings = super().check_answer(question)
        if isinstance(question.answer, list) and len(question.answer) > 1:
            labels = "".join(map(str, question.answer))
            findings.append(
                ("error", N_("答案: 单选题只能有一个答案, 实际为 %(labels)s", labels=labels))
            )
        return findings

    def score_keyed(self, question: Question, response: Any, rule: ScoringRule) -> ScoreResult:
        return score_single(question, response)

    def normalise_response(self, raw: Any) -> str | None:
        if _is_blank(raw):
            return None
        labels = _parse_labels(raw)
        if len(labels) != 1:
            raise ValueError(N_("单选题只能选一个选项, 收到 %(labels)s", labels="".join(labels)))
        return labels[0]


@register
class MultipleChoice(ChoiceType):
    name = "multiple"
    label = "多选题"
    aliases = ("多选", "多项选择", "多项选择题", "不定项", "不定项选择题", "multiple_choice")
    answer_kind = AnswerKind.MULTI
    partial_credit = True  # under the exam's `partial` rule

    def check_answer(self, question: Question) -> list[Finding]:
        findings = super().check_answer(question)
        if isinstance(question.answer, list) and len(question.answer) == 1:
            findings.append(("warning", N_("答案: 多选题只有一个正确选项")))
        return findings

    def score_keyed(self, question: Question, response: Any, rule: ScoringRule) -> ScoreResult:
        return score_multiple(question, response, rule)

    def normalise_response(self, raw: Any) -> list[str]:
        return [] if _is_blank(raw) else _parse_labels(raw)


class NoOptionsType(QuestionType):
    """Types that show no options: options left in a row or file are ignored, so say so."""

    choice = False
    case_material = False

    def check(self, question: Question) -> list[Finding]:
        findings = super().check(question)
        if question.options:
            findings.append(("warning", N_("选项: %(type)s不使用选项, 已忽略", type=self.label)))
        return findings


@register
class TrueFalse(NoOptionsType):
    name = "true_false"
    label = "判断题"
    aliases = ("判断", "是非题", "truefalse")
    answer_kind = AnswerKind.BOOL
    objective = True
    keyable = True
    partial_credit = False

    def check_answer(self, question: Question) -> list[Finding]:
        if isinstance(question.answer, bool):
            return []
        return [("error", N_("答案: 判断题答案应为 对/错"))]

    def score_keyed(self, question: Question, response: Any, rule: ScoringRule) -> ScoreResult:
        return score_true_false(question, response)

    def normalise_response(self, raw: Any) -> bool | None:
        return None if _is_blank(raw) else _parse_bool(raw)

    def parse_answer(self, text: str) -> Answer:
        return None if _is_blank(text) else _parse_bool(text)

    def format_answer(self, answer: Answer) -> str:
        if not isinstance(answer, bool):
            return ""
        return "对" if answer else "错"


@register
class FillBlank(NoOptionsType):
    name = "fill_blank"
    label = "填空题"
    aliases = ("填空",)
    answer_kind = AnswerKind.BLANKS
    objective = True
    keyable = False
    partial_credit = True  # each blank scores on its own

    def check_answer(self, question: Question) -> list[Finding]:
        answer = question.answer
        if not isinstance(answer, list) or not all(
            isinstance(blank, list) and all(isinstance(a, str) for a in blank) for blank in answer
        ):
            return [("error", N_("答案: 填空题答案应为每空一组可接受答案"))]
        findings: list[Finding] = [
            ("error", N_("答案: 第 %(number)s 空没有可接受的答案", number=number))
            for number, blank in enumerate(answer, 1)
            if not any(alternative.strip() for alternative in blank)
        ]
        marked = len(BLANK_MARKER.findall(question.stem))
        if marked and marked != len(answer):
            findings.append(
                ("error", N_("答案: 题干有 %(marked)s 个空, 答案有 %(given)s 个", marked=marked, given=len(answer)))
            )
        return findings

    def score_keyed(self, question: Question, response: Any, rule: ScoringRule) -> ScoreResult:
        return score_fill_blank(question, response)

    def normalise_response(self, raw: Any) -> list[str]:
        if _is_blank(raw):
            return []
        items = raw if isinstance(raw, list | tuple) else [raw]
        return [_blank_text(item) for item in items]

    def parse_answer(self, text: str) -> Answer:
        """Blanks are separated by '；' ';' or line breaks, alternatives within one by '|'."""
        blanks = [
            [alt.strip() for alt in _ALTERNATIVE_SPLIT.split(chunk) if alt.strip()]
            for chunk in _BLANK_SPLIT.split(text)
            if chunk.strip()
        ]
        return blanks or None

    def format_answer(self, answer: Answer) -> str:
        if not isinstance(answer, list):
            return ""
        return BLANK_SEPARATOR.join(ALTERNATIVE_SEPARATOR.join(blank) for blank in answer)


class SubjectiveType(NoOptionsType):
    """Short answer, essay and case: a reference answer and 得分点, graded by a person."""

    answer_kind = AnswerKind.TEXT
    objective = False
    keyable = False
    partial_credit = True  # the grader awards any points up to the question's

    def check(self, question: Question) -> list[Finding]:
        findings = super().check(question)
        findings.extend(
            ("error", N_("得分点: '%(phrase)s' 需要内容和正分值", phrase=point.phrase))
            for point in question.scoring_points
            if not point.phrase.strip() or not point.points > 0
        )
        total = sum(point.points for point in question.scoring_points)
        if total > question.points:
            findings.append(
                ("warning", N_("得分点: 合计 %(total)s 分, 超过题目分值 %(points)s",
                               total=format(total, "g"), points=format(question.points, "g")))
            )
        return findings

    def check_answer(self, question: Question) -> list[Finding]:
        if isinstance(question.answer, str):
            return []
        return [("error", N_("答案: 参考答案应为文字"))]

    def score(
        self, question: Question, response: Any, rule: ScoringRule = DEFAULT_RULE
    ) -> ScoreResult:
        """Subjective answers are always graded by a person, key or not."""
        return self.score_keyed(question, response, rule)

    def score_keyed(self, question: Question, response: Any, rule: ScoringRule) -> ScoreResult:
        return manual_grading(question, response, N_("主观题需人工评分"))

    def normalise_response(self, raw: Any) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, str):
            raise ValueError(N_("主观题的作答必须是文字"))
        return raw.strip()

    def parse_answer(self, text: str) -> Answer:
        return text.strip() or None

    def format_answer(self, answer: Answer) -> str:
        return answer if isinstance(answer, str) else ""


@register
class ShortAnswer(SubjectiveType):
    name = "short_answer"
    label = "简答题"
    aliases = ("简答", "名词解释", "名词解释题")


@register
class Essay(SubjectiveType):
    name = "essay"
    label = "论述题"
    aliases = ("论述",)


@register
class Case(SubjectiveType):
    name = "case"
    label = "案例分析题"
    aliases = ("案例分析", "案例", "案例题")
    case_material = True
