"""Practice writes: score an answer at once, keep the wrong-answer book, toggle favourites.

The wrong-answer book (错题本) is scheduled by FSRS (the `fsrs` package), not by rules of our
own. A wrong answer — in practice, in a wrong-book review, or in an exam once its review policy
shows the answers — puts the question in the book, due at once. Each review when due is rated
Good (right) or Again (wrong) and FSRS picks the next due date; a question leaves the book once
it has been answered right on `REVIEWS_TO_LEAVE` (2) due reviews in a row, so the second of them
comes only after the interval FSRS chose. A wrong answer resets the count.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from flask_babel import gettext as _
from fsrs import Card, Rating, Scheduler
from fsrs.card import CardDict
from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError

from question_bank.types import AnswerKind, get_type, score_response
from training.bank.models import Question, QuestionVersion
from training.database import db, utcnow
from training.errors import DomainError
from training.exams.attempts import review_visibility
from training.exams.models import Answer, Attempt, AttemptQuestion, Exam
from training.exams.withheld import answers_shown, check_not_withheld
from training.i18n import translate_pure
from training.practice.models import Favourite, PracticeAnswer, WrongBookEntry
from training.practice.options import to_original
from training.practice.queries import is_practisable, wrong_book_entry

REVIEWS_TO_LEAVE = 2
# Days, not minutes: without learning steps FSRS schedules a right answer days ahead. No fuzz,
# so the same history always gives the same due date.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _is_blank(response: Any) -> bool:
    return response is None or response == [] or (isinstance(response, str) and not response.strip())


def answer_question(
    user: Any, question: Question, raw: Any, mode: str, now: datetime | None = None,
    order: list[str] | None = None,
) -> PracticeAnswer:
    """Score a practice answer against the current version, record it, update the book.

    `order` is the option order the question was shown in when it was shuffled (see
    `training.practice.options`); the response's labels are then the shown ones. A question
    an exam still withholds from the user is refused (`QuestionWithheld`): the verdict and
    the feedback page would tell them its key.
    """
    now = now or utcnow()
    if not is_practisable(question):
        raise DomainError(_("这道题不能用于练习"))
    check_not_withheld(user, question.id, now)
    version = question.current_version
    assert version is not None  # is_practisable checked it
    kind = get_type(version.type)
    try:
        response = kind.normalise_response(raw)
    except ValueError as error:
        raise DomainError(_("答案格式不正确：%(e)s", e=translate_pure(str(error)))) from error
    if order is not None and not _is_blank(response):
        response = to_original(response, order)
    if _is_blank(response) or (
        kind.answer_kind is AnswerKind.BLANKS and isinstance(response, list) and not any(response)
    ):
        raise DomainError(_("请先作答"))
    correct = bool(score_response(version.to_plain(), response).correct)
    answer = PracticeAnswer(user_id=user.id, question_id=question.id, version_id=version.id,
                            response=response, correct=correct, answered_at=now, mode=mode,
                            option_order=order)
    db.session.add(answer)
    entry = wrong_book_entry(user.id, question.id)
    if mode == "review" and entry is not None and entry.active and entry.due <= now:
        review(entry, correct, now)
    elif not correct:
        add_to_wrong_book(user.id, question.id, "practice", now)
    db.session.flush()
    return answer


def review(entry: WrongBookEntry, right: bool, now: datetime) -> None:
    """Reschedule an entry with FSRS; it leaves the book after enough right reviews."""
    card, _log = SCHEDULER.review_card(
        Card.from_dict(cast("CardDict", entry.card)), Rating.Good if right else Rating.Again, _aware(now)
    )
    entry.card = dict(card.to_dict())
    entry.due = _naive(card.due)
    entry.right_reviews = entry.right_reviews + 1 if right else 0
    if entry.right_reviews >= REVIEWS_TO_LEAVE:
        entry.removed_at = now


def _restart(entry: WrongBookEntry, source: str, now: datetime) -> None:
    entry.card = dict(Card(due=_aware(now)).to_dict())
    entry.due = now
    entry.right_reviews = 0
    entry.source = source
    entry.added_at = now
    entry.removed_at = None


def add_to_wrong_book(user_id: int, question_id: int, source: str, now: datetime) -> WrongBookEntry:
    """Put a question (back) in the book after a wrong answer; a twin insert returns the row."""
    entry = wrong_book_entry(user_id, question_id)
    if entry is not None and entry.active:
        review(entry, False, now)  # a lapse: FSRS rates it Again
        return entry
    if entry is None:
        entry = WrongBookEntry(user_id=user_id, question_id=question_id)
        _restart(entry, source, now)
        try:
            with db.session.begin_nested():
                db.session.add(entry)
        except IntegrityError:  # another request added it first
            entry = wrong_book_entry(user_id, question_id)
            assert entry is not None
        return entry
    _restart(entry, source, now)
    return entry


def fill_wrong_book(attempt: Attempt, now: datetime | None = None) -> int:
    """File the attempt's wrong objective answers in its examinee's wrong book, once.

    Runs when an attempt finishes (submit, deadline: `ON_FINISH`) and from the background job
    (`fill_due_wrong_books`), and does nothing until the exam's review policy shows the answers,
    so the book never reveals a key early. Recorded in `wrong_book_filled_at`, so it happens
    once per attempt; a question already in the book stays as it is, and one that left the book
    before this attempt was submitted comes back. Returns how many entries were added.
    """
    now = now or utcnow()
    if attempt.wrong_book_filled_at is not None or attempt.submitted_at is None:
        return 0
    if not review_visibility(attempt, now).answers:
        return 0
    rows = db.session.execute(
        select(AttemptQuestion.question_id, QuestionVersion.type, QuestionVersion.answer,
               Answer.correct)
        .join(QuestionVersion, AttemptQuestion.version_id == QuestionVersion.id)
        .outerjoin(Answer, and_(Answer.attempt_id == AttemptQuestion.attempt_id,
                                Answer.question_id == AttemptQuestion.question_id))
        .where(AttemptQuestion.attempt_id == attempt.id)
    )
    wrong: list[int] = [
        row.question_id for row in rows
        if get_type(row.type).objective and row.answer not in (None, [], "")
        and row.correct is not True
    ]
    existing = {
        entry.question_id: entry for entry in db.session.scalars(select(WrongBookEntry).where(
            WrongBookEntry.user_id == attempt.user_id, WrongBookEntry.question_id.in_(wrong)
        ))
    }
    added = 0
    for question_id in wrong:
        entry = existing.get(question_id)
        if entry is not None and (
            entry.removed_at is None or entry.removed_at >= attempt.submitted_at  # still active
        ):
            continue
        add_to_wrong_book(attempt.user_id, question_id, "exam", now)
        added += 1
    attempt.wrong_book_filled_at = now
    db.session.flush()
    return added


def refill_wrong_book(attempt: Attempt, now: datetime) -> int:
    """After the attempt was scored again (regrade, a grader's correction): file the answers
    that are wrong now. Nothing is taken out — an entry leaves the book by the learner's own
    right reviews — and a book not yet filled from this attempt waits for its fill as before."""
    if attempt.wrong_book_filled_at is None:
        return 0
    attempt.wrong_book_filled_at = None
    return fill_wrong_book(attempt, now)


def fill_due_wrong_books(now: datetime) -> int:
    """Fill the books of finished attempts whose answers have become visible since they were
    finished (review after the exam's close): a background job. Returns how many attempts."""
    due = db.session.scalars(
        select(Attempt).join(Exam, Attempt.exam_id == Exam.id)
        .where(Attempt.wrong_book_filled_at.is_(None), answers_shown(now))
        .order_by(Attempt.id).with_for_update(of=Attempt, skip_locked=True)
    ).all()
    for attempt in due:
        fill_wrong_book(attempt, now)
    return len(due)


def toggle_favourite(user: Any, question: Question) -> bool:
    """Star or unstar a question; returns whether it is now a favourite."""
    favourite = db.session.scalar(select(Favourite).where(
        Favourite.user_id == user.id, Favourite.question_id == question.id
    ))
    if favourite is not None:
        db.session.delete(favourite)
        db.session.flush()
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Favourite(user_id=user.id, question_id=question.id))
    except IntegrityError:  # a double click: the other request starred it
        pass
    return True
