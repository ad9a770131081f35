"""Sitting an exam: idempotent start, ordered autosave, the deadline, the sweeper, submit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.helpers import both_at_once
from training.audit.models import AuditEvent
from training.bank.models import QuestionVersion
from training.database import db, utcnow
from training.errors import NotFound
from training.exams import attempts
from training.exams.attempts import (
    attempt_for,
    record_event,
    save_answer,
    start_or_resume,
    submit,
    sweep_expired,
)
from training.exams.errors import ExamForbidden, ExamRefused, InvalidResponse
from training.exams.grading import answers_of
from training.exams.models import GRACE_SECONDS, Answer, Attempt, AttemptEvent
from training.exams.predraw import prepare
from training.exams.services import set_override
from training.people.models import User


def attempts_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Attempt.id)))


def actions(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action)))


def qid(attempt: Attempt, ordinal: int) -> int:
    return attempt.questions[ordinal - 1].question_id


def test_pressing_start_twice_gives_the_same_attempt(make_exam, make_user):
    exam = make_exam()
    user = make_user()
    first = start_or_resume(user, exam.id)
    db.session.commit()
    second = start_or_resume(user, exam.id)
    db.session.commit()
    assert first.id == second.id
    assert attempts_count() == 1
    assert len(actions("exam.attempt_started")) == 1


def test_start_stores_the_deadline_and_freezes_versions(make_exam, make_user):
    exam = make_exam(time_limit_minutes=30)
    user = make_user()
    now = utcnow()
    attempt = start_or_resume(user, exam.id, now=now)
    db.session.commit()
    assert attempt.deadline == now + timedelta(minutes=30)
    assert [q.ordinal for q in attempt.questions] == [1, 2, 3, 4, 5]
    assert attempt.max_score == 10
    versions = db.session.scalars(select(QuestionVersion)).all()
    assert all(v.locked for v in versions)


def test_deadline_is_capped_by_close_and_extended_by_extra_time(make_exam, make_user):
    now = utcnow()
    exam = make_exam(time_limit_minutes=60, closes_at=now + timedelta(minutes=20))
    user = make_user()
    assert start_or_resume(user, exam.id, now=now).deadline == now + timedelta(minutes=20)

    other = make_exam(time_limit_minutes=60)
    slow = make_user()
    set_override(other, slow, 15, None, None, actor=None)
    db.session.commit()
    assert start_or_resume(slow, other.id, now=now).deadline == now + timedelta(minutes=75)


def test_unassigned_users_do_not_see_the_exam(make_exam, make_user):
    exam = make_exam()
    outsider = make_user(department_path="别的公司/客服部")
    with pytest.raises(NotFound):
        start_or_resume(outsider, exam.id)


def test_window_attempts_password_and_network(make_exam, make_user):
    now = utcnow()
    later = make_exam(opens_at=now + timedelta(hours=1))
    user = make_user()
    with pytest.raises(ExamRefused) as refused:
        start_or_resume(user, later.id)
    assert refused.value.code == "not_open"

    guarded = make_exam(password="kaochang-7", allowed_networks="10.8.0.0/16")
    with pytest.raises(ExamForbidden) as wrong:
        start_or_resume(user, guarded.id, password="nope", address="10.8.1.2")
    assert wrong.value.code == "wrong_password"
    with pytest.raises(ExamForbidden) as outside:
        start_or_resume(user, guarded.id, password="kaochang-7", address="192.168.1.9")
    assert outside.value.code == "network_not_allowed"
    attempt = start_or_resume(user, guarded.id, password="kaochang-7", address="10.8.1.2")
    submit(attempt, address="10.8.1.2")
    db.session.commit()
    with pytest.raises(ExamRefused) as used_up:
        start_or_resume(user, guarded.id, password="kaochang-7", address="10.8.1.2")
    assert used_up.value.code == "no_attempts_left"


@pytest.mark.parametrize("prepared", [False, True], ids=["drawn live", "prepared draw"])
def test_two_threads_pressing_start_get_one_attempt(
    app, make_exam, make_user, database_url, prepared
):
    if database_url.startswith("sqlite"):
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite serialises them")
    exam = make_exam()
    user = make_user()
    if prepared:
        prepare(exam)
        db.session.commit()
    exam_id, user_id = exam.id, user.id

    def press_start() -> int:
        return start_or_resume(db.session.get(User, user_id), exam_id).id

    results = both_at_once(app, press_start)
    assert len(results) == 2 and results[0] == results[1]
    assert attempts_count() == 1


def test_a_save_racing_a_submit_is_refused_not_stored_ungraded(
    monkeypatch, make_exam, make_user, database_url
):
    """SQLite has no FOR UPDATE: a submit can commit between a save's read and its write."""
    if not database_url.startswith("sqlite"):
        pytest.skip("on PostgreSQL the save holds the attempt locked, so the submit waits")
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    db.session.commit()
    real_lookup = attempts.shown_question

    def submitted_meanwhile(attempt_id: int, question_id: int):
        with db.engine.begin() as other:  # another request's connection
            other.execute(Attempt.__table__.update().where(Attempt.id == attempt_id)
                          .values(submitted_at=utcnow(), finish_reason="submitted"))
        return real_lookup(attempt_id, question_id)

    monkeypatch.setattr(attempts, "shown_question", submitted_meanwhile)
    with pytest.raises(ExamRefused) as refused:
        save_answer(attempt, qid(attempt, 1), ["B"], 1)
    assert refused.value.code == "already_submitted"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_save_is_an_upsert_and_a_stale_seq_is_ignored(make_exam, make_user):
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    question = qid(attempt, 1)
    assert save_answer(attempt, question, ["A"], 1) == 1
    assert save_answer(attempt, question, ["C"], 3) == 3
    # the request carrying seq 2 was sent earlier but arrives late: it must not win
    assert save_answer(attempt, question, ["D"], 2) == 3
    assert save_answer(attempt, question, ["D"], 3) == 3
    db.session.commit()
    rows = db.session.scalars(select(Answer).filter_by(attempt_id=attempt.id)).all()
    assert len(rows) == 1
    assert rows[0].response == ["C"] and rows[0].seq == 3


def test_the_audit_log_counts_the_saves_applied_not_the_stale_ones(make_exam, make_user):
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    first, second = qid(attempt, 1), qid(attempt, 2)
    for question, response, seq in [(first, ["A"], 1), (first, ["C"], 3), (first, ["D"], 2),
                                    (second, ["B"], 1), (second, ["B"], 1)]:
        save_answer(attempt, question, response, seq)
    submit(attempt)
    db.session.commit()
    assert attempt.save_count == 3
    [submitted] = actions("exam.attempt_submitted")
    assert submitted.details["saves"] == 3


@pytest.mark.parametrize(
    ("ordinal", "raw"),
    [(1, ["Z"]), (1, ["A", "B"]), (3, "maybe"), (2, 7), (5, ["not", "text"])],
)
def test_malformed_responses_are_refused(make_exam, make_user, ordinal, raw):
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    with pytest.raises(InvalidResponse):
        save_answer(attempt, qid(attempt, ordinal), raw, 1)


@pytest.mark.parametrize("seq", [0, -1, "1", 1.5, True, 2**31])
def test_seq_must_be_a_positive_integer(make_exam, make_user, seq):
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    with pytest.raises(InvalidResponse):
        save_answer(attempt, qid(attempt, 1), ["A"], seq)


def test_save_after_deadline_is_refused_but_grace_absorbs_latency(make_exam, make_user):
    exam = make_exam(time_limit_minutes=10)
    user = make_user()
    with time_machine.travel(utcnow(), tick=False) as clock:
        attempt = start_or_resume(user, exam.id)
        db.session.commit()
        clock.shift(timedelta(minutes=10, seconds=GRACE_SECONDS - 1))
        assert save_answer(attempt, qid(attempt, 1), ["B"], 1) == 1  # within the grace
        db.session.commit()
        clock.shift(timedelta(seconds=2))
        with pytest.raises(ExamRefused) as refused:
            save_answer(attempt, qid(attempt, 1), ["A"], 2)
        assert refused.value.code == "deadline_passed"
        assert "考试时间已到" in refused.value.message


def test_sweeper_closes_an_abandoned_attempt_at_its_deadline_and_grades_it(make_exam, make_user):
    exam = make_exam(time_limit_minutes=10)
    user = make_user()
    with time_machine.travel(utcnow(), tick=False) as clock:
        attempt = start_or_resume(user, exam.id)
        save_answer(attempt, qid(attempt, 1), ["B"], 1)  # right: 2 points
        save_answer(attempt, qid(attempt, 3), False, 1)  # right: 1 point
        db.session.commit()
        deadline = attempt.deadline
        clock.shift(timedelta(minutes=30))
        assert sweep_expired() == 1
        db.session.commit()
        assert sweep_expired() == 0
    db.session.refresh(attempt)
    assert attempt.submitted_at == deadline
    assert attempt.finish_reason == "auto_closed"
    # the short answer was left blank: 0 points with nothing for a grader, so it is graded
    assert (attempt.score, attempt.state_at(utcnow())) == (3, "graded")
    assert len(actions("exam.attempt_auto_closed")) == 1
    assert len(answers_of(attempt)) == 5  # unanswered questions get a 0-point row


def test_reading_an_abandoned_attempt_closes_it_lazily(make_exam, make_user):
    exam = make_exam(time_limit_minutes=10)
    user = make_user()
    with time_machine.travel(utcnow(), tick=False) as clock:
        attempt = start_or_resume(user, exam.id)
        db.session.commit()
        clock.shift(timedelta(hours=1))
        found = attempt_for(user, attempt.id)
        assert found.finish_reason == "auto_closed"
        assert found.submitted_at == found.deadline


def test_double_submit_gives_one_result(make_exam, make_user):
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    save_answer(attempt, qid(attempt, 1), ["B"], 1)
    first = submit(attempt)
    db.session.commit()
    finished_at = first.submitted_at
    second = submit(attempt)
    db.session.commit()
    assert second.id == first.id and second.submitted_at == finished_at
    assert len(actions("exam.attempt_submitted")) == 1
    with pytest.raises(ExamRefused) as refused:
        save_answer(attempt, qid(attempt, 1), ["A"], 2)
    assert refused.value.code == "already_submitted"


def test_submit_grades_objective_and_queues_subjective(make_exam, make_user):
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    save_answer(attempt, qid(attempt, 1), ["B"], 1)
    save_answer(attempt, qid(attempt, 2), ["A", "C"], 1)
    save_answer(attempt, qid(attempt, 3), True, 1)  # wrong
    save_answer(attempt, qid(attempt, 4), ["秘密填空答案", "解决"], 1)
    save_answer(attempt, qid(attempt, 5), "要倾听客户，再道歉。", 1)
    submit(attempt)
    db.session.commit()
    assert attempt.state_at(utcnow()) == "pending_review"
    answers = answers_of(attempt)
    points = {q.ordinal: answers[q.question_id].points_awarded for q in attempt.questions}
    assert points == {1: 2, 2: 2, 3: 0, 4: 2, 5: None}
    assert answers[qid(attempt, 5)].needs_manual


def test_objective_only_attempt_is_graded_at_submit(make_exam, make_user, objective_only):
    exam = make_exam(pass_mark=50)
    attempt = start_or_resume(make_user(), exam.id)
    save_answer(attempt, qid(attempt, 1), ["B"], 1)
    save_answer(attempt, qid(attempt, 2), ["A", "C"], 1)
    submit(attempt)
    db.session.commit()
    assert attempt.state_at(utcnow()) == "graded"
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (4, 7, 57.14, True)


def test_shuffled_options_are_translated_both_ways(make_exam, make_user):
    exam = make_exam(shuffle_options=True, shuffle_questions=True)
    attempt = start_or_resume(make_user(), exam.id)
    single = next(q for q in attempt.questions if q.version.type == "single")
    shown = "ABCD"[single.option_order.index("B")]  # where the right option landed
    save_answer(attempt, single.question_id, [shown], 1)
    assert answers_of(attempt)[single.question_id].response == ["B"]
    submit(attempt)
    assert answers_of(attempt)[single.question_id].points_awarded == 2


def test_one_way_navigation_closes_questions_left_behind(make_exam, make_user):
    exam = make_exam(navigation="sequential")
    attempt = start_or_resume(make_user(), exam.id)
    save_answer(attempt, qid(attempt, 1), ["A"], 1)
    save_answer(attempt, qid(attempt, 2), None, 1)  # the page saves on moving forward
    with pytest.raises(ExamRefused) as refused:
        save_answer(attempt, qid(attempt, 1), ["B"], 2)
    assert refused.value.code == "question_closed"


def test_focus_events_are_recorded_with_server_time(make_exam, make_user):
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    record_event(attempt, "focus_lost", 1_700_000_000_000)
    record_event(attempt, "focus_back")
    db.session.commit()
    events = db.session.scalars(select(AttemptEvent).order_by(AttemptEvent.id)).all()
    assert [e.kind for e in events] == ["focus_lost", "focus_back"]
    assert events[0].client_at is not None and events[1].client_at is None
    with pytest.raises(InvalidResponse):
        record_event(attempt, "cheating_detected")


def test_other_users_attempts_are_not_found(make_exam, make_user):
    exam = make_exam()
    attempt = start_or_resume(make_user(), exam.id)
    db.session.commit()
    with pytest.raises(NotFound):
        attempt_for(make_user(), attempt.id)
