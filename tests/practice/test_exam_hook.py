"""Wrong exam answers reach the wrong book through the hook, once review shows the answers."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tests.exams.conftest import drawn, make_exam, paper, questions  # noqa: F401  (fixtures)
from tests.exams.helpers import sit_exam
from training.database import db
from training.practice.models import WrongBookEntry
from training.practice.services import collect_from_exam_attempt


def _sit(exam, user, questions):  # noqa: F811
    single, multiple, true_false, _fill, _essay = questions
    return sit_exam(exam, user, by_question={single.id: ["A"], multiple.id: ["A", "C"],
                                             true_false.id: True})


def _book(user_id: int) -> set[int]:
    return set(db.session.scalars(select(WrongBookEntry.question_id).where(
        WrongBookEntry.user_id == user_id, WrongBookEntry.removed_at.is_(None))))


def test_wrong_objective_answers_are_collected_once(make_exam, make_user, questions):  # noqa: F811
    exam = make_exam(review_when="immediately", review_answers=True)
    user = make_user()
    attempt = _sit(exam, user, questions)
    single, _multiple, true_false, fill, _essay = questions
    assert collect_from_exam_attempt(attempt) == 3
    assert _book(user.id) == {single.id, true_false.id, fill.id}
    assert collect_from_exam_attempt(attempt) == 0  # idempotent
    sources = set(db.session.scalars(select(WrongBookEntry.source)))
    assert sources == {"exam"}


def test_nothing_is_collected_while_review_hides_the_answers(make_exam, make_user, questions):  # noqa: F811
    exam = make_exam(review_when="immediately", review_answers=False)
    user = make_user()
    attempt = _sit(exam, user, questions)
    assert collect_from_exam_attempt(attempt) == 0
    assert _book(user.id) == set()


def test_opening_the_result_page_files_the_wrong_answers(client, make_exam, make_user, questions):  # noqa: F811
    exam = make_exam(review_when="immediately", review_answers=True)
    user = make_user()
    attempt = _sit(exam, user, questions)
    client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert client.get(f"/exams/attempts/{attempt.id}/result").status_code == 200
    single, _multiple, true_false, fill, _essay = questions
    assert _book(user.id) == {single.id, true_false.id, fill.id}
