"""Attempts drawn before the exam opens: Start uses them, nobody sees them before, edits void them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from question_bank.model import Option, Question
from tests.conftest import TEST_PASSWORD
from training.bank.services import update_question
from training.cli import main
from training.database import db, utcnow
from training.exams.attempts import _draw, start_or_resume
from training.exams.attendance import exam_attempts
from training.exams.availability import status_for
from training.exams.models import Attempt, PreparedDraw, PreparedQuestion
from training.exams.predraw import prepare, prepared_count
from training.exams.services import attempt_counts, update_exam
from training.papers.services import update_paper
from training.people.models import User


def prepared_seeds(exam) -> dict[int, int]:
    db.session.expire_all()
    return dict(db.session.execute(
        select(PreparedDraw.user_id, PreparedDraw.seed).where(PreparedDraw.exam_id == exam.id)
    ).all())


def drawn_rows(attempt: Attempt) -> list[tuple]:
    return [(q.ordinal, q.question_id, q.version_id, q.points, q.section_title, q.option_order)
            for q in attempt.questions]


def shuffled_exam(make_exam, **settings):
    """An exam whose draw depends on the seed (question and option order)."""
    return make_exam(shuffle_questions=True, shuffle_options=True, **settings)


def test_start_uses_the_prepared_draw_with_a_fresh_deadline(make_exam, make_user):
    exam = shuffled_exam(make_exam, time_limit_minutes=30)
    user = make_user()
    report = prepare(exam)
    db.session.commit()
    assert (report.drawn, report.kept, report.replaced) == (1, 0, 0)
    seed = prepared_seeds(exam)[user.id]

    now = utcnow() + timedelta(minutes=20)  # prepared well before Start
    attempt = start_or_resume(user, exam.id, now=now)
    db.session.commit()

    assert attempt.seed == seed
    expected = _draw(exam, seed).rows  # the seeded draw, as a live Start would make it
    assert drawn_rows(attempt) == [
        (r["ordinal"], r["question_id"], r["version_id"], r["points"], r["section_title"],
         r["option_order"]) for r in expected
    ]
    assert attempt.max_score == round(sum(r["points"] for r in expected), 2)
    assert attempt.started_at == now and attempt.deadline == now + timedelta(minutes=30)
    assert prepared_count(exam) == 0  # used up: the next attempt is drawn afresh


def test_start_without_a_prepared_draw_draws_live(make_exam, make_user):
    exam = shuffled_exam(make_exam)
    attempt = start_or_resume(make_user(), exam.id)
    db.session.commit()
    assert drawn_rows(attempt) == [
        tuple(r.values()) for r in _draw(exam, attempt.seed).rows
    ]


def test_a_prepared_draw_is_invisible_and_uses_no_attempt(make_exam, make_user, client):
    exam = make_exam(attempts_allowed=1)
    user = make_user()
    prepare(exam)
    db.session.commit()

    status = status_for(user, exam.id, utcnow())
    assert status.attempts_used == 0 and status.attempts_left == 1 and status.can_start
    assert status.open_attempt is None
    assert attempt_counts([exam.id]) == {exam.id: (0, 0)}
    assert db.session.scalars(exam_attempts(exam)).all() == []
    assert db.session.scalar(select(func.count(Attempt.id))) == 0

    client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    page = client.get("/exams/").get_data(as_text=True)
    assert "继续作答" not in page  # nothing in progress before Start

    attempt = start_or_resume(user, exam.id)  # the one allowed attempt is still there
    db.session.commit()
    assert attempt.number == 1


def test_preparing_twice_changes_nothing(make_exam, make_user):
    exam = shuffled_exam(make_exam)
    make_user(), make_user()
    prepare(exam)
    db.session.commit()
    before = prepared_seeds(exam)
    report = prepare(exam)
    db.session.commit()
    assert (report.drawn, report.kept, report.replaced) == (0, 2, 0)
    assert prepared_seeds(exam) == before


def test_editing_the_paper_or_exam_voids_prepared_draws(make_exam, make_user, paper):
    exam = shuffled_exam(make_exam)
    user = make_user()
    prepare(exam)
    db.session.commit()
    update_paper(paper, "改过的试卷", "", None, actor=None)
    db.session.commit()
    stale = prepared_seeds(exam)[user.id]

    attempt = start_or_resume(user, exam.id)
    db.session.commit()
    assert attempt.seed != stale  # drawn live from the paper as it is now

    other = make_user()
    prepare(exam)
    db.session.commit()
    assert set(prepared_seeds(exam)) == {other.id}
    update_exam(exam, _settings(exam, title="改过的考试"), actor=None)
    db.session.commit()
    report = prepare(exam)
    db.session.commit()
    assert (report.drawn, report.kept, report.replaced) == (1, 0, 1)


def test_editing_a_drawn_question_voids_the_draw(make_exam, make_user, questions):
    exam = make_exam()
    make_user()
    prepare(exam)
    db.session.commit()
    update_question(questions[0], Question(
        type="single", stem="改过的题干", options=[Option("A", "甲"), Option("B", "乙")],
        answer=["A"]))
    db.session.commit()
    report = prepare(exam)
    db.session.commit()
    assert (report.drawn, report.kept, report.replaced) == (1, 0, 1)


def test_start_with_a_prepared_draw_reads_neither_paper_nor_bank(make_exam, make_user,
                                                                  count_queries):
    exam = make_exam()
    user = make_user()
    prepare(exam)
    db.session.commit()
    db.session.expire_all()
    user = db.session.get(User, user.id)
    with count_queries() as counter:
        start_or_resume(user, exam.id)
        db.session.commit()
    statements = [s.split()[0].upper() + " " + _table(s) for s in counter.statements]
    assert not any("paper_item" in s or "FROM question_version" in s
                   for s in counter.statements)
    # Every read comes first: SQLite's write lock is held from the first write to the commit.
    first_write = next(n for n, s in enumerate(statements) if not s.startswith("SELECT"))
    assert statements[first_write:] == [
        "INSERT attempt", "INSERT attempt_question", "INSERT audit_event"
    ]
    assert counter.count == 8, statements


def test_cli_prepares_an_exam_and_exams_opening_soon(app, make_exam, make_user):
    make_user()
    now_open = make_exam()
    soon = make_exam(opens_at=utcnow() + timedelta(minutes=10))
    later = make_exam(opens_at=utcnow() + timedelta(hours=3))
    runner = app.test_cli_runner()

    result = runner.invoke(main, ["exam", "prepare", str(now_open.id)], catch_exceptions=False)
    assert result.output.strip() == f"exam {now_open.id}: 1 drawn, 0 kept, 0 stale discarded"
    result = runner.invoke(main, ["exam", "prepare", "--opening-within", "15"])
    assert result.output.strip() == f"exam {soon.id}: 1 drawn, 0 kept, 0 stale discarded"
    assert later.id not in {d.exam_id for d in db.session.scalars(select(PreparedDraw))}

    missing = runner.invoke(main, ["exam", "prepare", "999999"])
    assert missing.exit_code != 0 and "考试不存在" in missing.output
    assert runner.invoke(main, ["exam", "prepare"]).exit_code == 2


def _table(statement: str) -> str:
    words = statement.replace('"', "").split()
    for keyword in ("INTO", "FROM", "UPDATE"):
        if keyword in (w.upper() for w in words):
            index = [w.upper() for w in words].index(keyword)
            return words[index + 1] if index + 1 < len(words) else ""
    return ""


def _settings(exam, **changes):
    from dataclasses import fields

    from training.exams.services import ExamSettings

    values = {f.name: getattr(exam, f.name) for f in fields(ExamSettings) if f.name != "password"}
    return ExamSettings(**{**values, **changes, "password": None})


def test_trainer_prepares_from_the_exam_page(client, login_as, make_exam, make_user):
    exam = make_exam()
    make_user(), make_user()
    login_as("trainer", department_path="培训部")  # outside the exam's reach
    before = client.get(f"/exams/manage/{exam.id}").get_data(as_text=True)
    assert "已为 0 名考生预先抽好试题" in before
    response = client.post(f"/exams/manage/{exam.id}/prepare", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已为 2 名考生预先抽题，0 名考生的抽题仍然有效。" in page
    assert "已为 2 名考生预先抽好试题" in page


def test_api_start_from_a_prepared_draw_answers_as_a_live_start_would(
        make_exam, make_user, client, count_queries):
    """Start sends the draw's stored questions: the same JSON the attempt reads back as, no
    key in it, and nothing of the new attempt is read back after the commit."""
    from tests.exams.test_api import FORBIDDEN_KEYS, api_login, bearer, keys_in
    from training.exams.grading import answers_of
    from training.exams.serialise import started_for_examinee

    exam = shuffled_exam(make_exam, time_limit_minutes=30)
    user = make_user()
    prepare(exam)
    db.session.commit()
    token = api_login(client, user)
    with count_queries() as counter:
        response = client.post(f"/api/v1/exams/{exam.id}/attempts", json={},
                               headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    assert not keys_in(body) & FORBIDDEN_KEYS
    attempt = db.session.get(Attempt, body["attempt_id"])
    expected = started_for_examinee(attempt, answers_of(attempt), utcnow())
    assert body["questions"] == expected["questions"] and len(body["questions"]) > 1
    assert body["answers"] == {} == expected["answers"]
    assert body["deadline"] == expected["deadline"]
    assert 29 * 60 <= body["remaining_seconds"] <= 30 * 60
    writes = [n for n, s in enumerate(counter.statements) if s.startswith("INSERT INTO audit_event")]
    after_commit = counter.statements[writes[0]:]
    assert not any("FROM attempt_question" in s or "FROM answer" in s for s in after_commit)


def test_api_start_resuming_an_attempt_reads_its_saved_answers(make_exam, make_user, client):
    """Pressing Start again returns the open attempt with what was saved, not a fresh page."""
    from tests.exams.test_api import api_login, bearer

    exam = make_exam()
    user = make_user()
    prepare(exam)
    db.session.commit()
    token = api_login(client, user)
    first = client.post(f"/api/v1/exams/{exam.id}/attempts", json={}, headers=bearer(token))
    attempt_id = first.get_json()["attempt_id"]
    question = first.get_json()["questions"][0]
    response = ["A"] if question["options"] else "答"
    saved = client.put(f"/api/v1/attempts/{attempt_id}/answers/{question['id']}",
                       json={"response": response, "seq": 1}, headers=bearer(token))
    assert saved.status_code == 200, saved.get_json()
    again = client.post(f"/api/v1/exams/{exam.id}/attempts", json={}, headers=bearer(token))
    assert again.get_json()["attempt_id"] == attempt_id
    assert str(question["id"]) in again.get_json()["answers"]
    assert again.get_json()["questions"] == first.get_json()["questions"]


def test_used_draws_stay_until_the_exam_has_closed_for_everyone(make_exam, make_user):
    """Start leaves the used draw in place (nothing to delete at the opening minute); the
    background job removes every draw of an exam once no window is open, overrides included."""
    from training.exams.attempts import drop_spent_draws
    from training.exams.models import ExamOverride

    exam = make_exam()
    first, second = make_user(), make_user()
    prepare(exam)
    db.session.commit()
    start_or_resume(first, exam.id)
    db.session.commit()
    assert prepared_count(exam) == 1  # only the second examinee's draw can still be used
    late = exam.closes_at + timedelta(hours=2)
    db.session.add(ExamOverride(exam_id=exam.id, user_id=second.id, closes_at=late))
    db.session.commit()

    assert drop_spent_draws(exam.closes_at + timedelta(minutes=1)) == 0  # a window is open
    assert drop_spent_draws(late + timedelta(minutes=1)) == 2
    assert prepared_seeds(exam) == {}
    assert db.session.scalar(select(func.count(PreparedQuestion.id))) == 0
