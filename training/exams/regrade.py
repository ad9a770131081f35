"""Regrading an exam after a key fix: a dry run lists whose results would change, then apply.

Which key. An attempt keeps the question version it showed (`AttemptQuestion.version`): the
stem and options as the examinee saw them. Fixing the key of a question an attempt has used
creates a new version (`training.bank.services.update_question`). A regrade scores the stored
responses against the key of each question's *current* version, provided that version still
asks in the same shape: same type, same option labels (responses are stored with the original
labels) and a key at all. Otherwise the key of the version shown still applies, and the dry run
says which questions were left so. The exam's current multiple-choice rule and pass mark apply
too, so a regrade is also how a changed pass mark reaches finished attempts.

What follows. Each changed attempt is totalled again and the features that keep something of
its score refresh it (`grading.ON_RESCORED`: answers now wrong join the wrong-answer book). A
grader's correction of one answer (`grading.change_score`) goes the same way.

What stays. Answers a grader scored keep their points; subjective answers still waiting stay
in the queue and their attempts keep "待阅卷". Attempts in progress are not touched.

Idempotent. Applying writes only the differences the plan found, so a second apply finds none
and changes nothing. The confirm form carries the dry run's digest: when results moved in
between (a grader finished an essay), the apply is refused and the trainer sees the new plan.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from question_bank.scoring import ScoringRule
from training.audit.services import record
from training.bank.models import Question, QuestionVersion
from training.database import db, utcnow
from training.errors import Conflict
from training.exams.grading import (
    Outcome,
    Totals,
    apply_outcome,
    finalise,
    outcome_of,
    rescored,
    rule_of,
    totals,
)
from training.exams.models import Answer, Attempt, Exam


class PlanMoved(Conflict):
    """Results changed between the dry run and the confirmation."""


@dataclass(frozen=True)
class KeyFix:
    """A question whose current key differs from the key of a version attempts showed."""

    shown: QuestionVersion
    current: QuestionVersion

    @property
    def applies(self) -> bool:
        """Whether the current key can score responses given to the version shown."""
        return (
            self.current.type == self.shown.type
            and _labels(self.current) == _labels(self.shown)
            and self.current.answer not in (None, [], "")
        )


@dataclass
class AttemptChange:
    """One finished attempt whose result the regrade changes."""

    attempt: Attempt
    before: Totals
    after: Totals
    changed: dict[Answer, Outcome]  # answers whose points or verdict change
    answers: list[Answer]  # every answer of the attempt, for the new total

    @property
    def delta(self) -> float | None:
        """Points gained (negative: lost); None while a grader is awaited."""
        if self.before.score is None or self.after.score is None:
            return None
        return round(self.after.score - self.before.score, 2)

    @property
    def pass_flipped(self) -> bool:
        return self.before.passed != self.after.passed


@dataclass
class RegradePlan:
    """The dry run: attempts looked at, keys that changed, and what would change."""

    exam: Exam
    checked: int
    key_fixes: list[KeyFix]
    changes: list[AttemptChange]

    @property
    def pass_flips(self) -> int:
        return sum(change.pass_flipped for change in self.changes)

    @property
    def digest(self) -> str:
        """A fingerprint of the listed changes, so the confirmation applies what was seen."""
        listed = [
            [c.attempt.id, c.before.score, c.after.score, c.before.passed, c.after.passed,
             sorted([a.id, o.points] for a, o in c.changed.items())]
            for c in self.changes
        ]
        return hashlib.sha256(json.dumps(listed).encode()).hexdigest()[:32]


def _labels(version: QuestionVersion) -> list[str]:
    return [option["label"] for option in version.options or []]


def _finished(exam: Exam, lock: bool) -> list[Attempt]:
    stmt = (
        select(Attempt)
        .where(Attempt.exam_id == exam.id, Attempt.submitted_at.is_not(None))
        .order_by(Attempt.id)
        .options(selectinload(Attempt.questions), selectinload(Attempt.user))
    )
    if lock:
        stmt = stmt.with_for_update(of=Attempt).execution_options(populate_existing=True)
    return list(db.session.scalars(stmt))


def _answers_by_attempt(attempt_ids: list[int], lock: bool) -> dict[int, list[Answer]]:
    by_attempt: dict[int, list[Answer]] = {i: [] for i in attempt_ids}
    if attempt_ids:
        stmt = select(Answer).where(Answer.attempt_id.in_(attempt_ids)).order_by(Answer.id)
        if lock:
            stmt = stmt.with_for_update(of=Answer).execution_options(populate_existing=True)
        for answer in db.session.scalars(stmt):
            by_attempt[answer.attempt_id].append(answer)
    return by_attempt


def _key_fixes(attempts: list[Attempt]) -> list[KeyFix]:
    """Versions shown whose question now has another key, in question order."""
    shown = {q.version_id: q.version for a in attempts for q in a.questions}
    current = _current_versions({version.question_id for version in shown.values()})
    fixes = []
    for version in shown.values():
        latest = current.get(version.question_id)
        if latest is not None and latest.id != version.id and latest.answer != version.answer:
            fixes.append(KeyFix(version, latest))
    return sorted(fixes, key=lambda fix: (fix.shown.question_id, fix.shown.number))


def _current_versions(question_ids: set[int]) -> dict[int, QuestionVersion]:
    if not question_ids:
        return {}
    questions = db.session.scalars(
        select(Question).where(Question.id.in_(question_ids))
        .options(selectinload(Question.current_version))
    )
    return {q.id: q.current_version for q in questions if q.current_version is not None}


def _change(
    attempt: Attempt, answers: list[Answer], keys: dict[int, QuestionVersion], rule: ScoringRule
) -> AttemptChange | None:
    """What the regrade would do to one attempt, or None when its result stays as it is."""
    questions = {q.question_id: q for q in attempt.questions}
    changed: dict[Answer, Outcome] = {}
    for answer in answers:
        question = questions.get(answer.question_id)
        if question is None:
            continue
        outcome = outcome_of(answer, question, rule, keys.get(question.version_id))
        if outcome is not None and outcome.differs_from(answer):
            changed[answer] = outcome
    after = totals(attempt, _awarded_after(answers, changed))
    before = Totals(attempt.score, attempt.max_score or after.max_score, attempt.passed)
    if not changed and after == before:
        return None
    return AttemptChange(attempt, before, after, changed, answers)


def _awarded_after(answers: list[Answer], changed: dict[Answer, Outcome]) -> list[float | None] | None:
    """Every answer's points once the changes are applied; None while a grader is awaited."""
    awarded = []
    for answer in answers:
        outcome = changed.get(answer)
        if outcome is None:
            if answer.needs_manual and answer.graded_at is None:
                return None
            awarded.append(answer.points_awarded)
        elif outcome.needs_manual:
            return None
        else:
            awarded.append(outcome.points)
    return awarded


def plan_regrade(exam: Exam, *, lock: bool = False) -> RegradePlan:
    """The dry run: every finished attempt scored again under the current keys; nothing written."""
    attempts = _finished(exam, lock)
    answers = _answers_by_attempt([a.id for a in attempts], lock)
    fixes = _key_fixes(attempts)
    keys = {fix.shown.id: fix.current for fix in fixes if fix.applies}
    rule = rule_of(exam)
    changes = [
        change for attempt in attempts
        if (change := _change(attempt, answers[attempt.id], keys, rule)) is not None
    ]
    return RegradePlan(exam, len(attempts), fixes, changes)


def apply_regrade(
    exam: Exam, *, actor: Any, expected: str | None = None, now: datetime | None = None
) -> RegradePlan:
    """Write the dry run's changes, each attempt and the whole regrade audited; caller commits.

    `expected` is the digest of the plan the trainer confirmed; a different plan now is
    refused (`PlanMoved`) rather than applied unseen.
    """
    now = now or utcnow()
    plan = plan_regrade(exam, lock=True)
    if expected is not None and plan.digest != expected:
        raise PlanMoved(_("预览之后成绩又有变化，请核对新的预览后再确认。"))
    for change in plan.changes:
        for answer, outcome in change.changed.items():
            apply_outcome(answer, outcome, now)
        finalise(change.attempt, change.answers, now)
        record(
            actor, "exam.attempt_regraded", change.attempt, exam_id=exam.id,
            user_id=change.attempt.user_id, score_before=change.before.score,
            score_after=change.after.score, passed_before=change.before.passed,
            passed_after=change.after.passed,
            questions=sorted(answer.question_id for answer in change.changed),
        )
        rescored(change.attempt, now)
    if plan.changes:
        record(
            actor, "exam.regraded", exam, attempts_checked=plan.checked,
            attempts_changed=len(plan.changes), pass_flips=plan.pass_flips,
            keys_applied=sorted({f.shown.question_id for f in plan.key_fixes if f.applies}),
        )
    db.session.flush()
    return plan
