"""An examinee's review of a finished attempt, laid out as the result page shows it.

Each question carries its options marked with the examinee's response and — only when the
review policy shows answers and no other exam withholds the question — the key
(`serialise.marked_options`), and its mark, which the 只看错题 filter reads. Everything is
built from the examinee allow-list (`review_for_examinee`), never from the stored key, so the
page can show no more than the API would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from training.errors import NotFound
from training.exams.availability import status_for
from training.exams.models import Attempt, ExamKind
from training.exams.serialise import MarkedOption, Visibility, marked_options
from training.people.models import User


@dataclass(frozen=True)
class ReviewedQuestion:
    """One question of the review: as shown, what the policy allows of it, and its mark."""

    question: dict[str, Any]  # a `page_questions` item
    item: dict[str, Any]  # its `review_for_examinee` item
    held: bool  # another exam still withholds its key
    mark: str  # right, wrong, pending (not yet graded) or "" (no score shown)
    options: list[MarkedOption]

    @property
    def wrong(self) -> bool:
        return self.mark == "wrong"


def _mark(item: dict[str, Any], seen: Visibility, held: bool) -> str:
    if held or not seen.score:
        return ""
    if item.get("points_awarded") is None:
        return "pending"
    return "right" if item.get("correct") else "wrong"


def reviewed_questions(
    questions: list[dict[str, Any]], review: dict[int, dict[str, Any]], seen: Visibility,
    withheld: frozenset[int],
) -> list[ReviewedQuestion]:
    """The review's questions in paper order; [] when the policy shows nothing."""
    reviewed = []
    for question in questions:
        item = review.get(question["id"])
        if item is None:
            continue
        held = question["id"] in withheld
        reviewed.append(ReviewedQuestion(
            question, item, held, _mark(item, seen, held),
            marked_options(question["options"], item.get("response"), item.get("answer")),
        ))
    return reviewed


def can_retake(user: User, attempt: Attempt, now: datetime) -> bool:
    """A mock exam's result offers 再考一次 while the exam is open and attempts are left."""
    if attempt.exam.kind != ExamKind.MOCK:
        return False
    try:
        return status_for(user, attempt.exam_id, now).can_start
    except NotFound:  # no longer assigned
        return False
