"""Scoring rules for exam responses, written down so trainees, graders and reports agree.

Points are the question's `points`; every award is rounded to 2 decimals.

* 单选 single — all or nothing: the one correct label earns full points, anything else 0.
* 多选 multiple — chosen per exam with `ScoringRule.multiple`:
    - ``all_or_nothing`` (default): exactly the correct set earns full points, anything else 0;
    - ``partial`` — "少选得一半, 错选不得分": exactly the correct set earns full points; a
      non-empty proper subset of it with no wrong pick earns `ScoringRule.partial_fraction`
      of the points (default one half); any wrong pick earns 0.
* 判断 true/false — all or nothing.
* 填空 fill-blank — each blank is worth points / number of blanks. A blank is right when the
  response equals any accepted alternative after `fold_text`: NFKC (full-width ＡＢ１ becomes
  half-width AB1), case-folded, all whitespace removed. A missing blank counts as wrong.
* 简答/论述/案例 subjective — never auto-scored: the result needs manual grading and carries
  a suggested score from the 得分点: a point is earned when its phrase or one of its synonyms
  occurs in the folded response; the suggestion is the sum of earned points, capped at the
  question's points, or None when the question has no 得分点.
* A question without a key (a draft) is never auto-scored: it needs manual grading too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from question_bank.model import Question
from question_bank.texts import N_

MultipleRule = Literal["all_or_nothing", "partial"]


@dataclass(frozen=True)
class ScoringRule:
    """Exam-level scoring settings; the default is the strictest reading."""

    multiple: MultipleRule = "all_or_nothing"
    partial_fraction: float = 0.5

    def __post_init__(self) -> None:
        if self.multiple not in ("all_or_nothing", "partial"):
            raise ValueError(f"unknown multiple-choice scoring rule: {self.multiple}")
        if not 0 <= self.partial_fraction <= 1:
            raise ValueError(f"partial_fraction must be between 0 and 1: {self.partial_fraction}")


DEFAULT_RULE = ScoringRule()


@dataclass(frozen=True)
class ScoreResult:
    """What one response earned and why, in words a trainee can read.

    `correct` is None when a person has to decide (subjective questions, drafts without a key).
    """

    points_awarded: float
    max_points: float
    correct: bool | None
    needs_manual: bool
    detail: str
    blanks: tuple[bool, ...] = ()
    suggested_points: float | None = None
    matched_phrases: tuple[str, ...] = ()


def fold_text(text: str) -> str:
    """Fold width, case and whitespace so '  Ａ Ｂ ' and 'ab' compare equal."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split())


def _award(question: Question, fraction: float) -> float:
    return round(question.points * fraction, 2)


def _all_or_nothing(question: Question, right: bool, wrong_detail: str) -> ScoreResult:
    return ScoreResult(
        points_awarded=_award(question, 1.0 if right else 0.0),
        max_points=question.points,
        correct=right,
        needs_manual=False,
        detail=N_("正确") if right else wrong_detail,
    )


def _key_labels(question: Question) -> list[str]:
    answer = question.answer if isinstance(question.answer, list) else []
    return [label for label in answer if isinstance(label, str)]


def score_single(question: Question, label: str | None) -> ScoreResult:
    """Single choice: all or nothing."""
    key = _key_labels(question)
    if label is None:
        return _all_or_nothing(question, False, N_("未作答"))
    return _all_or_nothing(question, [label] == key, N_("错误, 正确答案是 %(key)s", key="".join(key)))


def score_multiple(
    question: Question, labels: Sequence[str], rule: ScoringRule = DEFAULT_RULE
) -> ScoreResult:
    """Multiple choice: the exact set earns full points; under `partial` a clean subset a part."""
    key = set(_key_labels(question))
    picked = set(labels)
    right_labels = "".join(sorted(key))
    wrong = N_("错误, 正确答案是 %(key)s", key=right_labels)
    if not picked:
        return _all_or_nothing(question, False, N_("未作答"))
    if picked == key or rule.multiple == "all_or_nothing":
        return _all_or_nothing(question, picked == key, wrong)
    if picked < key:
        return ScoreResult(
            points_awarded=_award(question, rule.partial_fraction),
            max_points=question.points,
            correct=False,
            needs_manual=False,
            detail=N_("少选, 得部分分; 正确答案是 %(key)s", key=right_labels),
        )
    return _all_or_nothing(question, False, N_("错选不得分; 正确答案是 %(key)s", key=right_labels))


def score_true_false(question: Question, value: bool | None) -> ScoreResult:
    """True/false: all or nothing."""
    if value is None:
        return _all_or_nothing(question, False, N_("未作答"))
    key = "对" if question.answer is True else "错"
    return _all_or_nothing(question, value is question.answer, N_("错误, 正确答案是 %(key)s", key=key))


def blank_matches(response: str, accepted: Sequence[str]) -> bool:
    """A blank is right when it equals any accepted alternative after folding."""
    given = fold_text(response)
    return bool(given) and any(given == fold_text(alternative) for alternative in accepted)


def score_fill_blank(question: Question, responses: Sequence[str]) -> ScoreResult:
    """Fill-blank: points split evenly across blanks, each blank scored on its own."""
    key = question.answer if isinstance(question.answer, list) else []
    padded = [*responses, *[""] * (len(key) - len(responses))]
    blanks = tuple(
        blank_matches(given, accepted) for given, accepted in zip(padded, key, strict=False)
    )
    right = sum(blanks)
    return ScoreResult(
        points_awarded=_award(question, right / len(key)) if key else 0.0,
        max_points=question.points,
        correct=bool(key) and right == len(key),
        needs_manual=False,
        detail=N_("答对 %(right)s/%(total)s 个空", right=right, total=len(key)),
        blanks=blanks,
    )


def _mentions(folded_response: str, term: str) -> bool:
    """A blank phrase would match every response, so it never counts."""
    folded_term = fold_text(term)
    return bool(folded_term) and folded_term in folded_response


def manual_grading(question: Question, response: str, reason: str) -> ScoreResult:
    """A result a grader completes, with a suggestion from the question's 得分点."""
    folded = fold_text(response)
    matched = [
        point
        for point in question.scoring_points
        if any(_mentions(folded, term) for term in (point.phrase, *point.synonyms))
    ]
    suggested = min(sum(point.points for point in matched), question.points)
    return ScoreResult(
        points_awarded=0.0,
        max_points=question.points,
        correct=None,
        needs_manual=True,
        detail=reason,
        suggested_points=round(suggested, 2) if question.scoring_points else None,
        matched_phrases=tuple(point.phrase for point in matched),
    )
