"""Sitting an exam in a test, the way every feature's tests need it: one helper, not six copies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from training.database import db
from training.exams.attempts import save_answer, start_or_resume, submit
from training.exams.models import Attempt, Exam
from training.people.models import User


def sit_exam(
    exam: Exam,
    user: User,
    by_ordinal: Mapping[int, object] | None = None,
    *,
    by_question: Mapping[int, object] | None = None,
    now: datetime | None = None,
    hand_in: bool = True,
) -> Attempt:
    """Start (or resume) `exam` as `user` and save answers, keyed by the question's place in the
    drawn attempt (1 = first) or by its question id; then submit and commit unless `hand_in` is
    False (the attempt stays open for the test to go on)."""
    attempt = start_or_resume(user, exam.id, now=now)
    answers = {attempt.questions[ordinal - 1].question_id: raw
               for ordinal, raw in (by_ordinal or {}).items()}
    answers.update(by_question or {})
    for seq, (question_id, raw) in enumerate(answers.items(), start=1):
        save_answer(attempt, question_id, raw, seq, now=now)
    if hand_in:
        submit(attempt, now=now)
        db.session.commit()
    return attempt
