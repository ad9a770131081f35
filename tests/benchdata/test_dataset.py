"""`servicecoach bench dataset`: the JSON contract, rows as the app writes them, reproducibility.

A small data set (tens of people, a few thousand answers) so the checks can walk every row: the
report benchmark's figures only mean something if the history reads like the app's own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from training.benchdata.dataset import DatasetSize, generate
from training.cli import main
from training.courses.models import CourseCompletion
from training.database import db
from training.exams.grading import final_result, final_results, outcome_of, rule_of
from training.exams.models import Answer, Attempt, AttemptQuestion, Exam, ExamAssignment
from training.people.audience import reached_user_ids
from training.people.models import User

SMALL = ["--employees", "40", "--exams", "6", "--answers", "3000", "--seed", "5",
         "--until", "2026-06-30"]


def dataset(app, *args: str):
    return app.test_cli_runner().invoke(main, ["bench", "dataset", *args])


def test_prints_the_json_contract_and_the_database_holds_what_it_says(app):
    result = dataset(app, *SMALL, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert set(printed) == {"exam_ids", "employees", "answers", "seconds"}
    assert printed["employees"] == 40
    assert len(printed["exam_ids"]) == 6
    assert db.session.scalar(select(func.count(Answer.id))) == printed["answers"]
    assert abs(printed["answers"] - 3000) < 6 * 40  # whole attempts: within one per exam
    assert db.session.scalar(select(func.count(User.id)).where(
        User.username.like("ds5-0%"))) == 40
    exams = db.session.scalars(select(Exam).where(Exam.id.in_(printed["exam_ids"]))).all()
    assert {exam.kind for exam in exams} <= {"formal", "mock"}
    days = [exam.opens_at.date() for exam in exams]
    assert min(days) >= date(2024, 6, 30) and max(days) <= date(2026, 6, 30)
    assert db.session.scalar(select(func.count(CourseCompletion.id))) > 0


def test_the_same_seed_twice_is_refused(app):
    assert dataset(app, *SMALL).exit_code == 0
    again = dataset(app, *SMALL)
    assert again.exit_code != 0
    assert "5" in again.output


def test_attempts_and_answers_are_what_grading_would_have_written(app):
    assert dataset(app, *SMALL).exit_code == 0
    attempts = db.session.scalars(select(Attempt)).all()
    answers = defaultdict(list)
    for answer in db.session.scalars(select(Answer)):
        answers[answer.attempt_id].append(answer)
    for attempt in attempts:
        rule = rule_of(attempt.exam)
        drawn = {question.question_id: question for question in attempt.questions}
        given = answers[attempt.id]
        assert sorted(a.question_id for a in given) == sorted(drawn)
        for answer in given:
            question = drawn[answer.question_id]
            assert answer.attempt_question_id == question.id
            verdict = outcome_of(answer, question, rule)
            if verdict is None:  # a grader's points
                assert answer.needs_manual and answer.graded_at is not None
                assert 0 <= answer.points_awarded <= question.points
                continue
            assert (verdict.points, verdict.correct, verdict.needs_manual) == (
                answer.points_awarded, answer.correct, answer.needs_manual), answer.response
            labels = question.version.to_plain().options
            if labels and answer.response is not None:
                assert set(answer.response) <= {option.label for option in labels}
                assert sorted(question.option_order) == sorted(o.label for o in labels)
        assert attempt.score == round(sum(a.points_awarded for a in given), 2)
        assert attempt.max_score == round(sum(q.points for q in attempt.questions), 2)
        assert attempt.passed == (attempt.percent >= attempt.exam.pass_mark)
        assert attempt.graded_at >= attempt.submitted_at > attempt.started_at


def test_every_examinee_was_assigned_and_results_agree_in_sql_and_python(app):
    assert dataset(app, *SMALL).exit_code == 0
    for exam in db.session.scalars(select(Exam)):
        reached = set(db.session.scalars(
            reached_user_ids(ExamAssignment, ExamAssignment.exam_id == exam.id)))
        attempts = db.session.scalars(select(Attempt).filter_by(exam_id=exam.id)).all()
        by_user = defaultdict(list)
        for attempt in attempts:
            by_user[attempt.user_id].append(attempt)
        assert set(by_user) <= reached
        assert all(len(mine) <= (exam.attempts_allowed or 3) for mine in by_user.values())
        in_sql = {row.user_id: (row.percent, row.passed) for row in
                  db.session.execute(final_results(Attempt.exam_id == exam.id))}
        in_python = {user: final_result(exam, mine) for user, mine in by_user.items()}
        assert in_sql == {user: (r.percent, r.passed) for user, r in in_python.items()}
    assert db.session.scalar(select(func.count(ExamAssignment.id))) == 6


def fingerprint() -> list[tuple]:
    """What a report reads, without the ids (they depend on what the database held before)."""
    rows = db.session.execute(
        select(User.username, User.position, User.hire_date, Exam.title, Attempt.number,
               Attempt.started_at, Attempt.score, AttemptQuestion.ordinal,
               AttemptQuestion.option_order, Answer.response, Answer.points_awarded)
        .join(Attempt, Attempt.user_id == User.id).join(Exam, Exam.id == Attempt.exam_id)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .join(Answer, Answer.attempt_question_id == AttemptQuestion.id)
        .order_by(User.username, Exam.title, Attempt.number, AttemptQuestion.ordinal)
    )
    return [tuple(row) for row in rows]


def test_the_same_seed_gives_the_same_data(app):
    size = DatasetSize(employees=20, exams=3, answers=800, seed=9, until=date(2026, 1, 31))
    first = generate(size)
    data = fingerprint()
    db.session.rollback()
    second = generate(size)
    assert (second.answers, second.employees) == (first.answers, first.employees)
    assert fingerprint() == data
    db.session.rollback()
    other = generate(DatasetSize(20, 3, 800, seed=10, until=date(2026, 1, 31)))
    assert fingerprint() != data
    assert other.employees == 20


def counted_attempt(exam: Exam, mine: list[Attempt]) -> Attempt:
    """The attempt item analysis counts: the grading method's, the latest when averaged."""
    if exam.grading_method in ("last", "average"):
        return max(mine, key=lambda a: a.number)
    if exam.grading_method == "first":
        return min(mine, key=lambda a: a.number)
    return max(mine, key=lambda a: (a.percent, -a.number))


def test_the_exam_reports_reconcile_with_the_raw_rows(app, client, login_as):
    assert dataset(app, *SMALL).exit_code == 0
    login_as("hr")
    for exam in db.session.scalars(select(Exam)):
        by_user = defaultdict(list)
        for attempt in db.session.scalars(select(Attempt).filter_by(exam_id=exam.id)):
            by_user[attempt.user_id].append(attempt)
        results = [final_result(exam, mine) for mine in by_user.values()]
        report = client.get(f"/api/v1/reports/exams/{exam.id}").get_json()
        assert report["took_part"] == len(by_user)
        assert report["passed"] == sum(1 for result in results if result.passed)
        assert report["assigned"] == len(set(db.session.scalars(
            reached_user_ids(ExamAssignment, ExamAssignment.exam_id == exam.id))))
        assert sum(b["count"] for b in report["histogram"]) == len(by_user)
        assert sum(d["took_part"] for d in report["departments"]) == len(by_user)

        items = client.get(f"/api/v1/reports/exams/{exam.id}/items").get_json()
        assert items["attempts"] == len(by_user)
        counted = [counted_attempt(exam, mine) for mine in by_user.values()]
        answers = db.session.scalars(select(Answer).where(
            Answer.attempt_id.in_([attempt.id for attempt in counted]))).all()
        for question in items["questions"]:
            mine = [a for a in answers if a.question_id == question["question_id"]]
            assert question["n"] == len(mine)
            drawn = {q.question_id: q for a in counted for q in a.questions}[question["question_id"]]
            facility = sum(a.points_awarded for a in mine) / (len(mine) * drawn.points)
            assert abs(question["facility"] - facility) < 1e-4
            if drawn.version.type == "single":
                chosen = defaultdict(int)
                for answer in mine:
                    if answer.response:
                        chosen[answer.response[0]] += 1
                assert {k: v for k, v in question["options"].items() if v} == chosen
