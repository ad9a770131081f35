"""Questions an examinee may not see with their key yet, because an exam of theirs hides it.

Practice scores an answer at once and 背题 shows every key, so without this rule an employee
sitting (or about to sit) an exam could look its answers up. One rule, in SQL so every list
can leave the questions out in the same query, decides it. A question is withheld from a user
at a time when

* an exam assigned to them can still ask it — the exam has not closed for its last examinee
  (`closes_after`) — unless that exam gives its key away on demand (answers shown right after
  any attempt, unlimited attempts: mocks and lesson quizzes by default, see `key_on_demand`).
  "Can ask" is every question of a fixed paper and, for a rule paper, every question of its
  bank that one of its sections could draw by type and difficulty (a superset of the pool:
  categories, tags and knowledge points are not narrowed); or
* they were asked it in an attempt whose review does not show them the answers now
  (`answers_shown`, the SQL twin of `visibility(...).answers`): an attempt in progress, one
  reviewed only after the close before the last close, one whose answers are never shown.

So an exam assigned but not yet taken withholds its questions from the moment it is assigned,
and after it closes for everyone only the questions a user was actually asked stay withheld,
for as long as the review policy hides their answers from that user.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, CompoundSelect, and_, exists, not_, or_, select, union

from training.bank.models import Question
from training.database import db
from training.errors import DomainError
from training.exams.availability import assigned_exam_ids
from training.exams.models import Attempt, AttemptQuestion, Exam, ExamOverride, ReviewWhen
from training.exams.serialise import Visibility
from training.papers.models import Paper, PaperItem, PaperSection
from training.people.models import User


class QuestionWithheld(DomainError):
    """The question belongs to an exam that still hides its key from this user."""

    def __init__(self) -> None:
        super().__init__(_("这道题属于您尚未结束的考试，考试结束并公布答案前不能练习或查看答案。"))


def closes_after(now: datetime) -> ColumnElement[bool]:
    """SQL on Exam: some examinee's window is still open at `now` (`now < last_close(exam)`)."""
    later_override = exists().where(ExamOverride.exam_id == Exam.id, ExamOverride.closes_at > now)
    return or_(Exam.closes_at > now, later_override)


def review_shows(part: ColumnElement[bool], now: datetime) -> ColumnElement[bool]:
    """SQL on Attempt joined with its Exam: `visibility(exam, attempt, now, last_close)` shows
    this part of the review (`Exam.review_score`, `review_answers`, `review_explanations`)."""
    return and_(
        Attempt.submitted_at.is_not(None),
        part.is_(True),
        or_(Exam.review_when == ReviewWhen.IMMEDIATELY,
            and_(Exam.review_when == ReviewWhen.AFTER_CLOSE, not_(closes_after(now)))),
    )


def answers_shown(now: datetime) -> ColumnElement[bool]:
    """SQL on Attempt joined with its Exam: `visibility(exam, attempt, now, last_close).answers`."""
    return review_shows(Exam.review_answers, now)


def key_on_demand() -> ColumnElement[bool]:
    """SQL on Exam: it hands its key to an examinee whenever they like (submit, read the
    review, start again), so withholding its questions from practice would protect nothing."""
    return and_(Exam.review_answers.is_(True), Exam.review_when == ReviewWhen.IMMEDIATELY,
                Exam.attempts_allowed.is_(None))


def _live(user: User, now: datetime, apart_from: int | None) -> list[ColumnElement[bool]]:
    """SQL on Exam: assigned to the user, still open for someone, not giving its key away."""
    live = [Exam.id.in_(assigned_exam_ids(user)), closes_after(now), not_(key_on_demand())]
    return live if apart_from is None else [*live, Exam.id != apart_from]


def _listed(user: User, now: datetime, apart_from: int | None) -> CompoundSelect:
    """SQL selecting the withheld question ids that can be listed: the fixed papers of live
    exams and the user's attempts whose answers are hidden (a few hundred at most)."""
    fixed = (
        select(PaperItem.question_id)
        .join(PaperSection, PaperItem.paper_section_id == PaperSection.id)
        .join(Exam, Exam.paper_id == PaperSection.paper_id)
        .where(*_live(user, now, apart_from))
    )
    asked = [Attempt.user_id == user.id, not_(answers_shown(now))]
    if apart_from is not None:
        asked.append(Attempt.exam_id != apart_from)
    seen = (
        select(AttemptQuestion.question_id)
        .join(Attempt, AttemptQuestion.attempt_id == Attempt.id)
        .join(Exam, Attempt.exam_id == Exam.id)
        .where(*asked)
    )
    return union(fixed, seen)


def _in_live_pool(user: User, now: datetime, apart_from: int | None) -> ColumnElement[bool]:
    """SQL on Question: a section of a live exam's rule paper could draw it.

    Not listed (a pool is a whole bank) but checked per question against the live rule
    sections, gathered once (a materialised CTE: a handful of rows, not a join per question).
    """
    sections = (
        select(Paper.bank_id, PaperSection.type, PaperSection.difficulty_min,
               PaperSection.difficulty_max)
        .join(Paper, PaperSection.paper_id == Paper.id)
        .join(Exam, Exam.paper_id == Paper.id)
        .where(Paper.kind == "rules", PaperSection.count > 0, *_live(user, now, apart_from))
        .cte()
        .prefix_with("MATERIALIZED")
    )
    return exists().where(
        sections.c.bank_id == Question.bank_id,
        or_(sections.c.type.is_(None), sections.c.type == "", sections.c.type == Question.type),
        Question.difficulty.between(sections.c.difficulty_min, sections.c.difficulty_max),
    )


def not_withheld(user: User, now: datetime, apart_from: int | None = None) -> ColumnElement[bool]:
    """SQL on Question: the question may be shown to `user` with its key at `now` (see the
    module). `apart_from` leaves one exam out: its own review follows its own policy."""
    return and_(
        Question.id.not_in(_listed(user, now, apart_from)),
        not_(_in_live_pool(user, now, apart_from)),
    )


def withheld_among(
    user: User, question_ids: Iterable[int], now: datetime, apart_from: int | None = None
) -> frozenset[int]:
    """Which of these questions are withheld from the user (one query; none asked, none run)."""
    ids = set(question_ids)
    if not ids:
        return frozenset()
    return frozenset(db.session.scalars(
        select(Question.id).where(Question.id.in_(ids), not_(not_withheld(user, now, apart_from)))
    ))


def check_not_withheld(user: User, question_id: int, now: datetime) -> None:
    """Refuse a question whose key an exam still hides from the user."""
    if withheld_among(user, [question_id], now):
        raise QuestionWithheld()


def withheld_in_review(
    attempt: Attempt, question_ids: Iterable[int], seen: Visibility, now: datetime
) -> frozenset[int]:
    """The attempt's questions whose key another exam of its examinee still hides, for its
    review (a mock or lesson quiz may draw a question of a formal exam); no query when the
    review shows nothing."""
    if not seen.any:
        return frozenset()
    return withheld_among(attempt.user, question_ids, now, apart_from=attempt.exam_id)
