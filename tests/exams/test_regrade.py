"""Regrade after a key fix: the dry run writes nothing, apply changes exactly what it listed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.exams.helpers import sit_exam as sit
from training.audit.models import AuditEvent
from training.bank.services import plain_of, update_question
from training.database import db, utcnow
from training.exams.attempts import save_answer, start_or_resume
from training.exams.grading import grade_answer
from training.exams.models import Answer, Attempt
from training.exams.regrade import PlanMoved, apply_regrade, plan_regrade

# The objective paper (conftest): single B (2 points), multiple A+C (2), true/false 错 (1),
# fill-blank (2) — 7 points. With a 40% pass mark 3 points pass (42.86%), 1 point fails.



def fix_key(question, answer) -> None:
    """What the trainer does in the editor: the used version stays, a new one is current."""
    plain = plain_of(question)
    plain.answer = answer
    update_question(question, plain)
    db.session.commit()


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action)))


@pytest.fixture
def exam(make_exam, objective_only):
    return make_exam(pass_mark=40, attempts_allowed=None)


@pytest.fixture
def sat(exam, make_user, questions):
    """Alice chose C (wrong under the old key), Bob chose B (right), Carol skipped question 1."""
    attempts = {
        "alice": sit(exam, make_user(display_name="Alice"), {1: ["C"], 3: False}),
        "bob": sit(exam, make_user(display_name="Bob"), {1: ["B"], 3: False}),
        "carol": sit(exam, make_user(display_name="Carol"), {3: False}),
    }
    assert [attempts[n].score for n in ("alice", "bob", "carol")] == [1, 3, 1]
    fix_key(questions[0], ["C"])  # the key of question 1 was wrong: C, not B
    return attempts


def test_dry_run_lists_whose_scores_change_and_writes_nothing(exam, sat):
    in_progress = start_or_resume(sat["carol"].user, exam.id)
    save_answer(in_progress, in_progress.questions[0].question_id, ["B"], 1)
    db.session.commit()
    plan = plan_regrade(exam)
    assert plan.checked == 3  # finished attempts only
    by_attempt = {change.attempt.id: change for change in plan.changes}
    assert set(by_attempt) == {sat["alice"].id, sat["bob"].id}
    alice, bob = by_attempt[sat["alice"].id], by_attempt[sat["bob"].id]
    assert (alice.before.score, alice.after.score, alice.delta) == (1, 3, 2)
    assert (alice.before.passed, alice.after.passed, alice.pass_flipped) == (False, True, True)
    assert (bob.delta, bob.after.passed) == (-2, False)
    assert plan.pass_flips == 2
    [fix] = plan.key_fixes
    assert (fix.shown.answer, fix.current.answer, fix.applies) == (["B"], ["C"], True)

    db.session.expire_all()
    assert [db.session.get(Attempt, sat[n].id).score for n in ("alice", "bob")] == [1, 3]
    assert audit("exam.attempt_regraded") == [] and audit("exam.regraded") == []


def test_apply_changes_exactly_the_listed_attempts_and_is_logged(exam, sat, make_user):
    trainer = make_user(roles=("trainer",))
    carol_graded_at = sat["carol"].graded_at
    plan = apply_regrade(exam, actor=trainer, expected=plan_regrade(exam).digest)
    db.session.commit()
    db.session.expire_all()
    alice, bob, carol = (db.session.get(Attempt, sat[n].id) for n in ("alice", "bob", "carol"))
    assert (alice.score, alice.passed) == (3, True)
    assert (bob.score, bob.passed) == (1, False)
    assert (carol.score, carol.graded_at) == (1, carol_graded_at)  # untouched
    first = db.session.scalar(select(Answer).filter_by(
        attempt_id=alice.id, question_id=alice.questions[0].question_id))
    assert (first.points_awarded, first.correct) == (2, True)

    events = {e.target_id: e for e in audit("exam.attempt_regraded")}
    assert set(events) == {alice.id, bob.id} == {c.attempt.id for c in plan.changes}
    assert events[bob.id].actor_id == trainer.id
    assert events[bob.id].details["score_before"] == 3 and events[bob.id].details["score_after"] == 1
    assert events[bob.id].details["passed_after"] is False
    [summary] = audit("exam.regraded")
    assert summary.target_id == exam.id and summary.actor_id == trainer.id
    assert summary.details["attempts_changed"] == 2 and summary.details["pass_flips"] == 2


def test_a_second_apply_changes_nothing(exam, sat, make_user):
    trainer = make_user(roles=("trainer",))
    apply_regrade(exam, actor=trainer)
    db.session.commit()
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    again = apply_regrade(exam, actor=trainer)
    db.session.commit()
    assert again.changes == []
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def test_apply_refuses_when_results_moved_since_the_dry_run(exam, sat, make_user, questions):
    seen = plan_regrade(exam).digest
    fix_key(questions[2], True)  # another fix after the trainer looked
    with pytest.raises(PlanMoved):
        apply_regrade(exam, actor=make_user(roles=("trainer",)), expected=seen)


def test_a_changed_pass_mark_flips_pass_without_touching_answers(exam, make_user):
    attempt = sit(exam, make_user(), {3: False, 1: ["B"]})  # 3 of 7
    assert attempt.passed is True
    exam.pass_mark = 50
    db.session.commit()
    [change] = plan_regrade(exam).changes
    assert (change.delta, change.changed, change.after.passed) == (0, {}, False)
    apply_regrade(exam, actor=None)
    assert attempt.passed is False and attempt.score == 3


def test_a_changed_multiple_choice_rule_is_applied(exam, make_user):
    attempt = sit(exam, make_user(), {2: ["A"]})  # half of A+C
    assert attempt.score == 0
    exam.multiple_rule = "partial"
    apply_regrade(exam, actor=None)
    assert attempt.score == 1


def test_a_new_version_with_other_options_keeps_the_key_shown(exam, sat, questions):
    plain = plain_of(questions[1])
    plain.options = plain.options[:3]  # option D removed: responses no longer line up
    plain.answer = ["A"]
    update_question(questions[1], plain)
    db.session.commit()
    plan = plan_regrade(exam)
    fixes = {fix.shown.question_id: fix for fix in plan.key_fixes}
    assert fixes[questions[1].id].applies is False
    assert {c.attempt.id for c in plan.changes} == {sat["alice"].id, sat["bob"].id}  # q1 only


def test_grader_scores_stay_and_waiting_essays_stay_in_the_queue(make_exam, make_user, questions):
    exam = make_exam(pass_mark=40, attempts_allowed=None)
    essay = {1: ["C"], 5: "先倾听客户，再道歉。"}
    graded, waiting = sit(exam, make_user(), essay), sit(exam, make_user(), essay)
    graded_essay = db.session.scalar(select(Answer).filter_by(
        attempt_id=graded.id, question_id=questions[4].id))
    grade_answer(graded_essay, 2.5, "", actor=make_user(roles=("trainer",)), now=utcnow())
    db.session.commit()
    fix_key(questions[0], ["C"])
    changes = {c.attempt.id: c for c in plan_regrade(exam).changes}
    assert changes[graded.id].delta == 2
    assert changes[waiting.id].delta is None and changes[waiting.id].after.score is None
    apply_regrade(exam, actor=None)
    assert graded.score == 4.5 and graded_essay.points_awarded == 2.5
    assert waiting.score is None and waiting.graded_at is None  # still 待阅卷
    first = db.session.scalar(select(Answer).filter_by(
        attempt_id=waiting.id, question_id=questions[0].id))
    assert first.points_awarded == 2  # counted once the essay is graded


def test_trainer_previews_then_confirms(client, login_as, exam, sat):
    login_as("trainer")
    preview = client.get(f"/exams/manage/{exam.id}/regrade")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Alice" in html and "Bob" in html and "Carol" not in html
    assert "+2" in html and "-2" in html and "v1 → v2" in html
    assert db.session.get(Attempt, sat["alice"].id).score == 1
    digest = plan_regrade(exam).digest
    done = client.post(f"/exams/manage/{exam.id}/regrade", data={"digest": digest},
                       follow_redirects=True)
    assert "2 份答卷的成绩已更新" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, sat["alice"].id).score == 3
    stale = client.post(f"/exams/manage/{exam.id}/regrade", data={"digest": digest})
    assert stale.headers["Location"].endswith(f"/exams/manage/{exam.id}/regrade")
    assert "无需重新评分" in client.get(stale.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_employees_cannot_regrade(client, login_as, exam, sat, method):
    login_as("employee")
    response = getattr(client, method)(f"/exams/manage/{exam.id}/regrade", data={"digest": "x"})
    assert response.status_code == 403
    assert audit("exam.attempt_regraded") == []
