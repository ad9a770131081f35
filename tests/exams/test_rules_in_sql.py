"""Each exam rule a report asks about has a SQL form that agrees with the Python one.

Rules: an attempt's percentage (`Attempt.percent`), the result the grading method counts with
its pass (`final_result` / `final_results`), and what a review shows (`visibility` /
`review_shows`), on edge cases: ties at half a hundredth, zero maximum, ungraded and regraded
attempts, a pass mark met only after rounding, a per-user window closing after the exam,
the clock exactly at a close.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import select

from training.database import db, utcnow
from training.exams.availability import last_close
from training.exams.grading import final_result, final_results
from training.exams.models import Attempt, Exam, ExamOverride, GradingMethod, ReviewWhen
from training.exams.serialise import visibility
from training.exams.withheld import review_shows

NOW = utcnow().replace(microsecond=0)
_numbers = count(1)


def _attempt(exam, user, score, max_score=100.0, *, graded=True, submitted=True) -> Attempt:
    attempt = Attempt(
        exam_id=exam.id, user_id=user.id, number=next(_numbers), seed=1,
        started_at=NOW - timedelta(hours=2), deadline=NOW - timedelta(hours=1),
        submitted_at=NOW - timedelta(hours=1) if submitted else None,
        score=score, max_score=max_score, graded_at=NOW - timedelta(hours=1) if graded else None,
    )
    db.session.add(attempt)
    return attempt


PERCENT_CASES = [
    (1, 800, 0.13),         # 0.125: a half, rounded up (Python's round() gave 0.12)
    (59.995, 100, 60.0),    # meets a 60 % pass mark once rounded (round() gave 59.99)
    (2.675, 100, 2.68),
    (11.999, 20, 60.0),
    (1, 3, 33.33),
    (7, 7, 100.0),
    (0, 10, 0.0),
    (5, 0, None),           # no maximum: no percentage
    (None, 10, None),       # awaiting a grader
]


def test_an_attempts_percentage_is_the_same_in_sql(make_exam, make_user):
    exam, user = make_exam(), make_user()
    attempts = [(_attempt(exam, user, s, m), expected) for s, m, expected in PERCENT_CASES]
    db.session.commit()
    for attempt, expected in attempts:
        in_sql = db.session.scalar(select(Attempt.percent).where(Attempt.id == attempt.id))
        assert attempt.percent == in_sql == expected, (attempt.score, attempt.max_score)


@pytest.mark.parametrize("method", list(GradingMethod))
def test_the_counted_result_and_its_pass_are_the_same_in_sql(make_exam, make_user, method):
    exam = make_exam(grading_method=method, pass_mark=60.0, attempts_allowed=None)
    histories = {
        "tie": [(80, True), (50, True), (80, True)],          # highest: the earlier 80 counts
        "ungraded_best": [(40, True), (99, False)],           # a pending attempt never counts
        "rounds_to_pass": [(59.99, True), (60.0, True)],      # average 59.995 → 60.00, a pass
        "just_below": [(59.994, True)],
        "regraded": [(30, True), (70, True)],
        "nothing_graded": [(90, False)],
    }
    users = {}
    for name, history in histories.items():
        users[name] = make_user()
        for score, graded in history:
            _attempt(exam, users[name], score, graded=graded)
    db.session.commit()
    regraded = db.session.scalars(select(Attempt).where(
        Attempt.user_id == users["regraded"].id, Attempt.score == 70)).one()
    regraded.score = 65.5  # a regrade after a key fix changes the stored score
    db.session.commit()

    rows = {row.user_id: row for row in db.session.execute(
        final_results(Attempt.exam_id == exam.id))}
    for name, user in users.items():
        attempts = list(db.session.scalars(select(Attempt).filter_by(exam_id=exam.id, user_id=user.id)))
        expected = final_result(exam, attempts)
        row = rows.get(user.id)
        if expected is None:
            assert row is None, name
            continue
        counted = expected.attempt.id if expected.attempt else None
        assert (row.id, row.percent, bool(row.passed)) == (counted, expected.percent,
                                                           expected.passed), name


def test_what_a_review_shows_is_the_same_in_sql(make_exam, make_user):
    user = make_user()
    past = {"opens_at": NOW - timedelta(days=2), "closes_at": NOW - timedelta(hours=1)}
    exams = [
        make_exam(review_when=ReviewWhen.IMMEDIATELY),
        make_exam(review_when=ReviewWhen.AFTER_CLOSE),  # still open
        make_exam(review_when=ReviewWhen.AFTER_CLOSE, **past),
        make_exam(review_when=ReviewWhen.AFTER_CLOSE, **past),  # a colleague's window runs on
        make_exam(review_when=ReviewWhen.NEVER, **past),
        make_exam(review_when=ReviewWhen.IMMEDIATELY, review_score=False),
    ]
    db.session.add(ExamOverride(exam_id=exams[3].id, user_id=make_user().id,
                                closes_at=NOW + timedelta(hours=3)))
    attempts = [_attempt(exam, user, 70) for exam in exams]
    attempts.append(_attempt(exams[0], user, None, graded=False, submitted=False))  # in progress
    db.session.commit()
    moments = [NOW, NOW + timedelta(hours=3), NOW + timedelta(days=1), exams[1].closes_at]
    for now in moments:
        for attempt in attempts:
            exam = db.session.get(Exam, attempt.exam_id)
            seen = visibility(exam, attempt, now, last_close(exam))
            both = db.session.execute(
                select(review_shows(Exam.review_score, now), review_shows(Exam.review_answers, now))
                .select_from(Attempt).join(Exam, Exam.id == Attempt.exam_id)
                .where(Attempt.id == attempt.id)
            ).one()
            assert (seen.score, seen.answers) == tuple(bool(x) for x in both), (exam.id, now)
