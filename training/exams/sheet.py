"""The trainer's answer sheet: one attempt as it was sat and graded.

Every question as its examinee saw it (options in the order shown, labelled A, B, C… as on
their page), the response, the key, the points, who graded it and when, every correction
with its reason, and the page's focus-loss events. Unlike the examinee's review it shows
everything whatever the exam's review policy: it is for the people who grade.

The sheet also knows its place in the exam's attempts list, under the same filter, so the
trainer can page through the attempts one after another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from question_bank.scoring import ScoreResult, ScoringRule
from question_bank.types import get_type
from training.audit.models import AuditEvent
from training.bank.models import QuestionVersion
from training.database import db
from training.errors import NotFound
from training.exams.attendance import Shown, exam_attempts
from training.exams.grading import rule_of, suggest
from training.exams.models import Answer, Attempt, AttemptEvent, AttemptQuestion
from training.exams.serialise import display_options, to_display
from training.exams.services import events_of
from training.exams.shown import ShownQuestion, shown_of
from training.people.models import Department


@dataclass(frozen=True)
class SheetItem:
    """One question of the sheet with what was answered and how it was scored."""

    shown: ShownQuestion
    version: QuestionVersion
    answer: Answer | None
    suggestion: ScoreResult | None  # the scoring points' suggestion, for subjective answers
    corrections: list[AuditEvent]  # `exam.answer_rescored`, oldest first

    @property
    def options(self) -> list[dict[str, str]]:
        return display_options(self.shown)

    @property
    def response(self) -> Any:
        return to_display(self.shown, self.answer.response) if self.answer else None

    @property
    def key(self) -> Any:
        return to_display(self.shown, self.version.answer)

    @property
    def by_hand(self) -> bool:
        """Scored by a person (a subjective answer), so its score can be corrected."""
        return self.answer is not None and self.answer.needs_manual

    @property
    def mark(self) -> str:
        """right, wrong, partial, pending (a grader is awaited) or '' (not scored yet)."""
        answer = self.answer
        if answer is None:
            return ""
        if answer.needs_manual and answer.graded_at is None:
            return "pending"
        if answer.points_awarded is None:
            return ""
        if answer.correct:
            return "right"
        return "partial" if answer.points_awarded > 0 else "wrong"


@dataclass(frozen=True)
class AnswerSheet:
    attempt: Attempt
    items: list[SheetItem]
    events: list[AttemptEvent]
    previous_id: int | None  # the attempt before this one in the list, under its filter
    next_id: int | None
    position: int  # 1-based place in the list; 0 when the filter leaves it out
    total: int


def answer_sheet(attempt_id: int, now: datetime, department: Department | None = None,
                 shown: Shown = Shown.ALL) -> AnswerSheet:
    """The sheet of one attempt; NotFound when there is no such attempt."""
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.id == attempt_id)
        .options(selectinload(Attempt.questions), selectinload(Attempt.user),
                 undefer(Attempt.save_count))
    )
    if attempt is None:
        raise NotFound(_("答卷不存在"))
    answers = {a.question_id: a for a in db.session.scalars(
        select(Answer).where(Answer.attempt_id == attempt.id)
        .options(selectinload(Answer.graded_by))
    )}
    corrections = _corrections([a.id for a in answers.values()])
    rule = rule_of(attempt.exam)
    items = [_item(question, answers.get(question.question_id), corrections, rule)
             for question in attempt.questions]
    order = list(db.session.scalars(
        exam_attempts(attempt.exam, department, shown, now)
        .with_only_columns(Attempt.id)
    ))
    place = order.index(attempt.id) if attempt.id in order else None
    return AnswerSheet(
        attempt, items, events_of([attempt.id])[attempt.id],
        previous_id=order[place - 1] if place else None,
        next_id=order[place + 1] if place is not None and place + 1 < len(order) else None,
        position=0 if place is None else place + 1, total=len(order),
    )


def _item(question: AttemptQuestion, answer: Answer | None,
          corrections: dict[int, list[AuditEvent]], rule: ScoringRule) -> SheetItem:
    subjective = answer is not None and not get_type(question.version.type).objective
    return SheetItem(
        shown_of(question), question.version, answer,
        suggest(question, answer, rule) if subjective and answer is not None else None,
        corrections.get(answer.id, []) if answer is not None else [],
    )


def _corrections(answer_ids: list[int]) -> dict[int, list[AuditEvent]]:
    """Each answer's score corrections with their reasons, in the order they were made."""
    by_answer: dict[int, list[AuditEvent]] = {}
    if answer_ids:
        for event in db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "exam.answer_rescored", AuditEvent.target_type == "Answer",
                AuditEvent.target_id.in_(answer_ids),
            ).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.at, AuditEvent.id)
        ):
            by_answer.setdefault(event.target_id or 0, []).append(event)
    return by_answer
