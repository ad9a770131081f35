"""`GET /api/v1/me/certifications`: `cert status --json` for the caller, with each requirement's
kind, words, state and how close the caller is."""

from __future__ import annotations

import pytest

from tests.certification.conftest import ALL_RIGHT, HALF
from tests.exams.helpers import sit_exam
from training.api.tokens import issue_token
from training.certification import rules
from training.certification.codes import format_code
from training.certification.models import Certificate
from training.database import db


def mine(client, user):
    raw, _token = issue_token(user)
    db.session.commit()
    return client.get("/api/v1/me/certifications", headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def levels(make_level, exam, make_course):
    course = make_course(title="投诉处理入门")
    junior = make_level(rules.ExamPassed(exam.id, min_percent=80), code="junior",
                        name="初级客服专员", validity_months=12)
    senior = make_level(rules.AllOf((rules.ExamPassed(exam.id, min_percent=80),
                                     rules.CourseCompleted(course.id),
                                     rules.MinimumTenure(6))),
                        code="senior", name="高级客服专员", prerequisite_ids=[junior.id])
    return junior, senior


def test_a_certified_employee_sees_dates_code_and_what_the_next_level_still_needs(
    client, make_user, exam, levels
):
    user = make_user()
    sit_exam(exam, user, ALL_RIGHT)  # certified at junior by the grading event
    [certificate] = db.session.scalars(db.select(Certificate).filter_by(user_id=user.id)).all()
    response = mine(client, user)
    assert response.status_code == 200
    junior, senior = response.get_json()
    assert junior == {
        "level": "junior", "status": "certified",
        "issued_at": certificate.issued_on.isoformat(),
        "expires_at": certificate.expires_on.isoformat(),
        "code": format_code(certificate.code),
        "requirements": [{"kind": "exam", "label": f"考试「{exam.title}」最高成绩不低于 80%",
                          "met": True, "best": 100.0, "needed": 80.0}],
    }
    assert (senior["level"], senior["status"], senior["code"]) == ("senior", "in_progress", None)
    assert [(r["kind"], r["met"]) for r in senior["requirements"]] == [
        ("level", True), ("exam", True), ("course", False), ("tenure", False)]
    assert senior["requirements"][0]["label"] == "持有有效的「初级客服专员」认证"
    assert senior["requirements"][2]["label"] == "完成课程「投诉处理入门」"
    assert senior["requirements"][3]["needed"] == 6


def test_an_employee_short_of_the_mark_sees_their_best_against_the_mark(
    client, make_user, exam, levels
):
    user = make_user()
    sit_exam(exam, user, HALF)
    junior = mine(client, user).get_json()[0]
    assert (junior["status"], junior["issued_at"], junior["code"]) == ("not_started", None, None)
    [exam_requirement] = junior["requirements"]
    assert exam_requirement["met"] is False and exam_requirement["needed"] == 80.0
    assert exam_requirement["best"] == pytest.approx(42.86, abs=0.01)


def test_each_caller_sees_only_their_own(client, make_user, exam, levels):
    certified, other = make_user(), make_user()
    sit_exam(exam, certified, ALL_RIGHT)
    assert [item["code"] for item in mine(client, other).get_json()] == [None, None]


def test_signing_in_is_needed(client):
    assert client.get("/api/v1/me/certifications").status_code == 401
