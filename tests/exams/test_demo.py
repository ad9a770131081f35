"""The demo exams, built on the papers feature's demo papers with the real draw."""

from __future__ import annotations

from sqlalchemy import func, select

from question_bank.types import get_type
from training.database import db, utcnow
from training.demo.loader import DEMO_STEPS, load_demo
from training.exams.attempts import save_answer, start_or_resume, submit
from training.exams.availability import exam_statuses
from training.exams.demo import FORMAL_EXAM, MOCK_EXAM
from training.exams.models import Exam
from training.people.services import find_user


def test_exams_step_runs_after_the_papers_step():
    names = [name for name, _step in DEMO_STEPS]
    assert names.index("papers") < names.index("exams")


def test_demo_exams_are_open_to_every_employee_and_load_once(app):
    load_demo("demo-password-1")
    load_demo("demo-password-1")
    # lesson quizzes (kind "quiz") are the courses' demo step's
    assert db.session.scalar(select(func.count(Exam.id)).where(Exam.kind != "quiz")) == 2
    employee = find_user("demo-employee")
    statuses = {s.exam.title: s for s in exam_statuses(employee, utcnow()) if s.exam.kind != "quiz"}
    assert set(statuses) == {MOCK_EXAM, FORMAL_EXAM}
    assert all(s.can_start for s in statuses.values())
    assert (statuses[MOCK_EXAM].exam.kind, statuses[MOCK_EXAM].exam.attempts_allowed) == ("mock", None)
    assert statuses[FORMAL_EXAM].exam.review_when == "after_close"


def test_demo_mock_is_objective_and_the_formal_exam_queues_subjective_answers(app):
    load_demo("demo-password-1")
    employee = find_user("E1001")
    mock = db.session.scalar(select(Exam).filter_by(title=MOCK_EXAM))
    formal = db.session.scalar(select(Exam).filter_by(title=FORMAL_EXAM))

    mock_attempt = start_or_resume(employee, mock.id)
    assert all(get_type(q.version.type).objective for q in mock_attempt.questions)
    submit(mock_attempt)
    assert mock_attempt.state_at(utcnow()) == "graded"

    formal_attempt = start_or_resume(employee, formal.id)
    subjective = [q for q in formal_attempt.questions if not get_type(q.version.type).objective]
    assert subjective
    save_answer(formal_attempt, subjective[0].question_id, "先倾听客户，表示理解并道歉。", 1)
    submit(formal_attempt)
    db.session.commit()
    assert formal_attempt.state_at(utcnow()) == "pending_review"


def test_demo_formal_exam_grading_names_the_examinee_and_suggests_a_score(app, client, login_as):
    """The demo's subjective questions carry 得分点, so the grader sees a suggestion; the
    examinee is named, and a case question's material is printed once."""
    load_demo("demo-password-1")
    employee = find_user("E1001")
    formal = db.session.scalar(select(Exam).filter_by(title=FORMAL_EXAM))
    attempt = start_or_resume(employee, formal.id)
    subjective = [q for q in attempt.questions if not get_type(q.version.type).objective]
    assert all(q.version.scoring_points for q in subjective)
    for question in subjective:
        save_answer(attempt, question.question_id, "以客户为中心，全员参与，持续改进，态度和行为。", 1)
    submit(attempt)
    db.session.commit()
    login_as("trainer")
    html = client.get(f"/exams/manage/{formal.id}/grading").get_data(as_text=True)
    assert employee.display_name in html and "答卷 #" not in html
    assert "按得分点建议" in html
    for question in subjective:
        if question.version.case_material:
            assert html.count(question.version.case_material[:30]) == 1
