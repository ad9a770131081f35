"""Scoring attempts: objective answers at once, subjective ones by a grader, and an exam's
result over several attempts (highest / last / first / average).

Regrading a whole exam after a key fix (`training.exams.regrade`) reuses the same steps:
`outcome_of` for one answer, `totals` for the attempt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Select,
    case,
    cast,
    func,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import contains_eager, selectinload

from question_bank.model import Question as PlainQuestion
from question_bank.scoring import ScoreResult, ScoringRule
from question_bank.types import score_response
from training.audit.services import record
from training.bank.models import QuestionVersion
from training.database import db
from training.errors import DomainError
from training.exams.errors import ExamRefused
from training.exams.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Exam,
    GradingMethod,
    hundredths,
    percent_of,
    to_hundredths,
)

# What other features refresh when a finished attempt's answers are scored again — a regrade
# after a key fix, a grader's correction (practice: answers now wrong join the wrong-answer book).
ON_RESCORED: list[Callable[[Attempt, datetime], None]] = []


@dataclass(frozen=True)
class FinalResult:
    """An examinee's result for an exam, from the attempts the grading method selects."""

    percent: float
    passed: bool
    attempt: Attempt | None  # None when averaged over attempts


@dataclass(frozen=True)
class Outcome:
    """What the scoring rules make of one answer: points and verdict, or a wait for a grader."""

    points: float | None
    correct: bool | None
    needs_manual: bool

    def differs_from(self, answer: Answer) -> bool:
        return (self.points, self.correct, self.needs_manual) != (
            answer.points_awarded, answer.correct, answer.needs_manual
        )


@dataclass(frozen=True)
class Totals:
    """An attempt's score and pass; score and passed are None while a grader is awaited."""

    score: float | None
    max_score: float
    passed: bool | None

    @property
    def percent(self) -> float | None:
        return percent_of(self.score, self.max_score)


def rule_of(exam: Exam) -> ScoringRule:
    return ScoringRule(multiple=exam.multiple_rule)  # type: ignore[arg-type]


def plain_for(question: AttemptQuestion, key_from: QuestionVersion | None = None) -> PlainQuestion:
    """The version as drawn, worth what the paper says it is worth in this attempt.

    `key_from` supplies a corrected key (a later version of the question) for regrading; the
    rest — type, options, blanks — stays as the examinee saw it.
    """
    plain = question.version.to_plain()
    plain.points = question.points
    if key_from is not None:
        plain.answer = key_from.answer
    return plain


def is_blank(response: Any) -> bool:
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, list):
        return not any(str(item).strip() for item in response)
    return response is None


def suggest(question: AttemptQuestion, answer: Answer, rule: ScoringRule) -> ScoreResult:
    """What the scoring rules say about one answer (a suggestion for subjective ones)."""
    return score_response(plain_for(question), answer.response, rule)


def answers_of(attempt: Attempt) -> dict[int, Answer]:
    """The attempt's answers by question id."""
    rows = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))
    return {answer.question_id: answer for answer in rows}


def outcome_of(
    answer: Answer, question: AttemptQuestion, rule: ScoringRule,
    key_from: QuestionVersion | None = None,
) -> Outcome | None:
    """The rules' verdict on an answer; None when a grader's decision stands (through regrades)."""
    if answer.graded_by_id is not None:
        return None
    result = score_response(plain_for(question, key_from), answer.response, rule)
    if result.needs_manual and not is_blank(answer.response):
        return Outcome(None, None, needs_manual=True)
    return Outcome(result.points_awarded, bool(result.correct), needs_manual=False)


def apply_outcome(answer: Answer, outcome: Outcome, now: datetime) -> None:
    """Store a verdict; one that waits for a grader clears any earlier score."""
    answer.needs_manual = outcome.needs_manual
    answer.points_awarded, answer.correct = outcome.points, outcome.correct
    answer.graded_at = None if outcome.needs_manual else now


def _auto_score(answer: Answer, question: AttemptQuestion, rule: ScoringRule, now: datetime) -> None:
    """Score by the rules; a subjective answer waits for a person unless it is empty."""
    outcome = outcome_of(answer, question, rule)
    if outcome is not None:
        apply_outcome(answer, outcome, now)


def totals(attempt: Attempt, awarded: list[float | None] | None) -> Totals:
    """Total and pass under the exam's pass mark; `awarded` None while a grader is awaited."""
    max_score = round(sum(q.points for q in attempt.questions), 2)
    if awarded is None:
        return Totals(None, max_score, None)
    score = round(sum(points or 0 for points in awarded), 2)
    percent = percent_of(score, max_score)
    return Totals(score, max_score, percent is not None and percent >= attempt.exam.pass_mark)


def awaiting_grader(answers: list[Answer]) -> bool:
    return any(a.needs_manual and a.graded_at is None for a in answers)


def finalise(attempt: Attempt, answers: list[Answer], now: datetime) -> bool:
    """Total the attempt once nothing waits for a grader; True when it is now graded."""
    result = totals(attempt, None if awaiting_grader(answers) else
                    [a.points_awarded for a in answers])
    attempt.score, attempt.max_score, attempt.passed = result.score, result.max_score, result.passed
    attempt.graded_at = None if result.score is None else now
    return result.score is not None


def grade_attempt(attempt: Attempt, now: datetime) -> bool:
    """Score every question of a finished attempt, giving unanswered ones a row (0 points)."""
    rule = rule_of(attempt.exam)
    answers = answers_of(attempt)
    for question in attempt.questions:
        answer = answers.get(question.question_id)
        if answer is None:
            answer = Answer(
                attempt_id=attempt.id,
                attempt_question_id=question.id,
                question_id=question.question_id,
                response=None,
                seq=0,
            )
            db.session.add(answer)
            answers[question.question_id] = answer
        _auto_score(answer, question, rule, now)
    return finalise(attempt, list(answers.values()), now)


def _check_points(answer: Answer, points: float) -> None:
    maximum = answer.attempt_question.points
    if not 0 <= points <= maximum:
        raise DomainError(_("分数必须在 0 到 %(max)s 之间。", max=f"{maximum:g}"))


def _award(answer: Answer, points: float, comment: str, actor: Any, now: datetime) -> None:
    """A grader's points for one answer: the grader and the time are what the sheet shows."""
    answer.points_awarded = round(points, 2)
    answer.correct = points >= answer.attempt_question.points
    answer.comment = comment.strip()
    answer.graded_by_id = actor.id
    answer.graded_at = now


def grade_answer(
    answer: Answer, points: float, comment: str, *, actor: Any, now: datetime
) -> bool:
    """A grader's score for one subjective answer; finalises the attempt when none is left."""
    attempt = answer.attempt
    if not attempt.finished:
        raise ExamRefused("not_submitted", _("答卷尚未交卷，不能评分。"))
    if not answer.needs_manual:
        raise ExamRefused("not_manual", _("此题已自动评分，无需人工评分。"))
    _check_points(answer, points)
    again = answer.graded_at is not None
    _award(answer, points, comment, actor, now)
    record(
        actor, "exam.answer_regraded" if again else "exam.answer_graded", answer,
        attempt_id=attempt.id, question_id=answer.question_id, points=answer.points_awarded,
    )
    done = finalise(attempt, list(answers_of(attempt).values()), now)
    if done:
        record(actor, "exam.attempt_graded", attempt, score=attempt.score, passed=attempt.passed)
    return done


def change_score(
    answer: Answer, points: float, comment: str, reason: str, *, actor: Any, now: datetime
) -> Totals:
    """Correct the score a grader gave, for a stated reason; returns the attempt's new totals.

    The attempt is totalled again and audited as a regrade audits it (score and pass before and
    after), so every list, report and course step that reads the attempt follows, and the
    features that keep something of the score refresh it (`ON_RESCORED`).
    """
    if answer.graded_by_id is None or not answer.needs_manual:
        raise DomainError(_("只能修改已人工评分的题目。"))
    if not reason.strip():
        raise DomainError(_("请填写修改原因。"))
    _check_points(answer, points)
    attempt = answer.attempt
    before = Totals(attempt.score, attempt.max_score or 0, attempt.passed)
    points_before = answer.points_awarded
    _award(answer, points, comment, actor, now)
    finalise(attempt, list(answers_of(attempt).values()), now)
    after = Totals(attempt.score, attempt.max_score or 0, attempt.passed)
    record(actor, "exam.answer_rescored", answer, attempt_id=attempt.id,
           question_id=answer.question_id, points_before=points_before,
           points_after=answer.points_awarded, reason=reason.strip())
    record(actor, "exam.attempt_regraded", attempt, exam_id=attempt.exam_id,
           user_id=attempt.user_id, score_before=before.score, score_after=after.score,
           passed_before=before.passed, passed_after=after.passed,
           questions=[answer.question_id], reason=reason.strip())
    rescored(attempt, now)
    return after


def rescored(attempt: Attempt, now: datetime) -> None:
    """Tell the features that keep something of a finished attempt's score that it changed."""
    for hook in ON_RESCORED:
        hook(attempt, now)


def final_result(exam: Exam, attempts: list[Attempt]) -> FinalResult | None:
    """The exam's result for one examinee under its grading method, from graded attempts."""
    graded = [a for a in attempts if a.graded_at is not None and a.percent is not None]
    if not graded:
        return None
    chosen: Attempt | None
    if exam.grading_method == GradingMethod.AVERAGE:
        chosen = None
        percent = to_hundredths(sum(a.percent for a in graded) / len(graded))  # type: ignore[misc]
    else:
        if exam.grading_method == GradingMethod.LAST:
            chosen = max(graded, key=lambda a: a.number)
        elif exam.grading_method == GradingMethod.FIRST:
            chosen = min(graded, key=lambda a: a.number)
        else:  # highest; the earlier attempt wins a tie
            chosen = max(graded, key=lambda a: (a.percent, -a.number))
        percent = chosen.percent  # type: ignore[assignment]
    return FinalResult(percent, percent >= exam.pass_mark, chosen)


def final_results(*criteria: ColumnElement[bool]) -> Select[tuple[int, int, int | None, float, bool]]:
    """SQL twin of `final_result` over the attempts matching `criteria` (e.g. one exam, the
    attempts whose score is shown): per (exam id, user id), the counted attempt's id (None when
    averaged), the percentage and the pass."""
    method = Exam.grading_method
    ranked = _ranked(_counted_first(method), *criteria)
    counted = select(ranked.c.exam_id, ranked.c.user_id, ranked.c.id, ranked.c.percent).where(
        ranked.c.rank == 1, ranked.c.method != GradingMethod.AVERAGE)
    averaged = (
        select(ranked.c.exam_id, ranked.c.user_id, cast(null(), Integer),
               hundredths(func.avg(ranked.c.percent)))
        .where(ranked.c.method == GradingMethod.AVERAGE)
        .group_by(ranked.c.exam_id, ranked.c.user_id)
    )
    results = union_all(counted, averaged).subquery()
    exam_id, user_id, attempt_id, percent = results.c
    return (
        select(exam_id, user_id, attempt_id, percent,
               type_coerce(percent >= Exam.pass_mark, Boolean).label("passed"))
        .join(Exam, Exam.id == exam_id)
    )


def _counted_first(method: ColumnElement[str], *,
                   latest_for_average: bool = False) -> ColumnElement[float]:
    """The order in which an examinee's graded attempts compete to be counted, first wins
    (ties: the earlier attempt): last, first, or the highest percentage."""
    latest = (GradingMethod.LAST, GradingMethod.AVERAGE) if latest_for_average else (
        GradingMethod.LAST,)
    return case((method.in_(latest), -Attempt.number),
                (method == GradingMethod.FIRST, Attempt.number), else_=-Attempt.percent)


def _ranked(order: ColumnElement[float], *criteria: ColumnElement[bool]) -> Any:
    """The graded attempts matching `criteria`, ranked per (exam, user) by `order`."""
    return (
        select(Attempt.exam_id, Attempt.user_id, Attempt.id, Attempt.percent.label("percent"),
               Attempt.score.label("score"), Exam.grading_method.label("method"),
               func.row_number().over(partition_by=(Attempt.exam_id, Attempt.user_id),
                                      order_by=(order, Attempt.number)).label("rank"))
        .join(Exam, Exam.id == Attempt.exam_id)
        .where(Attempt.graded_at.is_not(None), Attempt.percent.is_not(None), *criteria)
        .subquery()
    )


def counted_attempts(*criteria: ColumnElement[bool]) -> Select[tuple[int, int, int, float, float]]:
    """One graded attempt per (exam, user) among those matching `criteria`: the one
    `final_results` counts, and for an averaged exam the latest (item analysis needs one
    attempt's answers per examinee). Columns exam_id, user_id, id, percent, score."""
    ranked = _ranked(_counted_first(Exam.grading_method, latest_for_average=True), *criteria)
    return select(ranked.c.exam_id, ranked.c.user_id, ranked.c.id, ranked.c.percent,
                  ranked.c.score).where(ranked.c.rank == 1)


def grading_queue(exam: Exam) -> Select[tuple[Answer]]:
    """Subjective answers of finished attempts still waiting for a grader, oldest first, with
    who wrote them (exams are not anonymous: the grader sees the examinee's name)."""
    return (
        select(Answer)
        .join(Answer.attempt)
        .join(Answer.attempt_question)
        .options(contains_eager(Answer.attempt), contains_eager(Answer.attempt_question))
        .options(selectinload(Answer.attempt_question, AttemptQuestion.version),
                 selectinload(Answer.attempt, Attempt.user))
        .where(
            Attempt.exam_id == exam.id,
            Attempt.submitted_at.is_not(None),
            Answer.needs_manual.is_(True),
            Answer.graded_at.is_(None),
        )
        .order_by(Attempt.submitted_at, Attempt.id, AttemptQuestion.ordinal)
    )
