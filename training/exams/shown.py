"""An attempt's questions as its examinee sees them: the draw's rows joined with version faces.

Start, the exam page and every autosave need these, and need nothing of a version beyond its
face (`training.exams.faces`), so they are read as plain rows plus cached faces instead of
ORM objects with their versions joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select

from training.database import db
from training.exams.faces import Face, face_of, faces
from training.exams.models import AttemptQuestion


@dataclass(frozen=True)
class ShownQuestion:
    """One drawn question of an attempt, with the face of the version it froze."""

    id: int  # the attempt question's own id
    question_id: int
    ordinal: int
    points: float
    section_title: str
    option_order: list[str]  # original labels in the order shown; empty: the bank's order
    face: Face

    @property
    def type(self) -> str:
        return self.face.type

    @property
    def shown_order(self) -> list[str]:
        """The original labels in the order this attempt shows them."""
        return self.option_order or self.face.labels


def shown_of(question: AttemptQuestion) -> ShownQuestion:
    """The shown form of an ORM attempt question (whose version is already loaded)."""
    return ShownQuestion(
        question.id, question.question_id, question.ordinal, question.points,
        question.section_title, question.option_order or [], face_of(question.version),
    )


# What a shown question is made of, in ShownQuestion's order, the version id last.
COLUMNS = (
    AttemptQuestion.id, AttemptQuestion.question_id, AttemptQuestion.ordinal,
    AttemptQuestion.points, AttemptQuestion.section_title, AttemptQuestion.option_order,
    AttemptQuestion.version_id,
)


def _shown(rows: list) -> list[ShownQuestion]:
    by_version = faces(row.version_id for row in rows)
    return [
        ShownQuestion(row.id, row.question_id, row.ordinal, row.points, row.section_title,
                      row.option_order or [], by_version[row.version_id])
        for row in rows
    ]


def shown_questions(attempt_id: int) -> list[ShownQuestion]:
    """The attempt's questions in the order drawn."""
    rows = db.session.execute(
        select(*COLUMNS).where(AttemptQuestion.attempt_id == attempt_id)
        .order_by(AttemptQuestion.ordinal)
    ).all()
    return _shown(rows)


# Built once: every autosave runs it, and building a statement costs more than SQLite running it.
_ONE_QUESTION = select(*COLUMNS).where(
    AttemptQuestion.attempt_id == bindparam("attempt_id"),
    AttemptQuestion.question_id == bindparam("question_id"),
)


def shown_question(attempt_id: int, question_id: int) -> ShownQuestion | None:
    """One question of the attempt, None when the attempt did not draw it."""
    rows = db.session.execute(
        _ONE_QUESTION, {"attempt_id": attempt_id, "question_id": question_id}
    ).all()
    shown = _shown(rows)
    return shown[0] if shown else None


def shown_from(values: Sequence[Any]) -> ShownQuestion | None:
    """The question from `COLUMNS`' values read as part of a larger row (None: not drawn)."""
    if values[0] is None:
        return None
    version_id = values[-1]
    return ShownQuestion(*values[:5], values[5] or [], faces([version_id])[version_id])
