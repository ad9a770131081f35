"""The exam report and the item analysis: totals reconcile with the raw rows, filters and
department subtrees, one counted attempt per examinee, the API and CLI contract, role checks."""

from __future__ import annotations

import json
import statistics as stdlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tests.exams.helpers import sit_exam
from tests.reports.fixtures import CENTRE, ONE, TWO
from training.cli import main
from training.database import db, utcnow
from training.exams.models import Answer, Attempt, AttemptQuestion
from training.people.services import ensure_department
from training.timezones import local_day


def token(client, make_user, role: str) -> dict[str, str]:
    user = make_user(roles=(role,))
    response = client.post("/api/v1/login", json={"username": user.username,
                                                  "password": TEST_PASSWORD})
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_exam_report_api_gives_the_contract_with_hand_computed_figures(client, make_user,
                                                                         sitting):
    exam, _people = sitting
    body = client.get(f"/api/v1/reports/exams/{exam.id}", headers=token(client, make_user, "hr"))
    assert body.status_code == 200
    found = body.get_json()
    assert set(found) == {"exam_id", "assigned", "took_part", "passed", "mean", "median",
                          "histogram", "departments"}
    assert (found["exam_id"], found["assigned"], found["took_part"], found["passed"]) == (
        exam.id, 5, 4, 2)
    assert found["mean"] == 42.86  # (71.43 + 28.57 + 28.57 + 42.86) / 4 = 42.8575
    assert found["median"] == 35.72  # (28.57 + 42.86) / 2 = 35.715, halves up
    bins = {(b["from"], b["to"]): b["count"] for b in found["histogram"]}
    assert bins[(20, 30)] == 2 and bins[(40, 50)] == 1 and bins[(70, 80)] == 1
    assert sum(bins.values()) == 4
    assert found["departments"] == [
        {"path": ONE, "took_part": 2, "passed": 1, "mean": 50.0},
        {"path": TWO, "took_part": 2, "passed": 1, "mean": 35.72},
    ]


def test_item_analysis_reconciles_with_the_raw_answer_rows(client, make_user, sitting):
    exam, _people = sitting
    found = client.get(f"/api/v1/reports/exams/{exam.id}/items",
                       headers=token(client, make_user, "trainer")).get_json()
    assert set(found) == {"exam_id", "attempts", "questions", "reliability"}
    assert found["attempts"] == 4 and set(found["reliability"]) == {"alpha", "sem"}
    rows = db.session.execute(
        select(AttemptQuestion.question_id, AttemptQuestion.points, Answer.points_awarded,
               Answer.response, Attempt.score, Attempt.id)
        .join(Answer, Answer.attempt_question_id == AttemptQuestion.id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id).where(Attempt.exam_id == exam.id)
    ).all()
    by_question = {q["question_id"]: q for q in found["questions"]}
    assert set(by_question) == {row.question_id for row in rows}
    for question_id, item in by_question.items():
        mine = [row for row in rows if row.question_id == question_id]
        assert set(item) == {"question_id", "n", "facility", "discrimination", "options"}
        assert item["n"] == len(mine) == 4
        earned = sum(row.points_awarded or 0 for row in mine)
        assert item["facility"] == round(earned / sum(row.points for row in mine), 4)
        scores = [row.points_awarded or 0 for row in mine]
        rest = [row.score - x for row, x in zip(mine, scores, strict=True)]
        if len(set(scores)) > 1 and len(set(rest)) > 1:
            assert item["discrimination"] == pytest.approx(
                stdlib.correlation(scores, rest), abs=1e-4)
    options = [q["options"] for q in found["questions"]]
    # Bank labels, whatever order each examinee saw: single B×2, A, C; multiple A×4, C×2, B.
    assert options[0] == {"A": 1, "B": 2, "C": 1, "D": 0}
    assert options[1] == {"A": 4, "B": 1, "C": 2, "D": 0}
    assert options[2] == {} and options[3] == {}  # true/false and blanks have no options
    assert found["questions"][3]["facility"] == 0  # nobody filled the blanks


def test_facility_and_discrimination_by_hand(client, make_user, sitting):
    exam, _people = sitting
    found = client.get(f"/api/v1/reports/exams/{exam.id}/items",
                       headers=token(client, make_user, "hr")).get_json()
    single, multiple, true_false, _blanks = found["questions"]
    # single: 2 0 2 0 of 2 → 0.5; rest (total − item) 3 2 0 3 against x 2 0 2 0:
    # x' 1 −1 1 −1, r' 1 0 −2 1 → Σ = 1 + 0 − 2 − 1 = −2; Σx'² 4, Σr'² 6 → −2/√24
    assert single["facility"] == 0.5
    assert single["discrimination"] == round(-2 / 24 ** 0.5, 4)
    # multiple (partial): 2 1 0 2 of 2 → 5/8
    assert multiple["facility"] == 0.625
    # true/false: 1 1 0 1 → 0.75
    assert true_false["facility"] == 0.75
    # Every attempt had the same four questions: α is computed (blanks never vary).
    assert found["reliability"]["alpha"] is not None


def test_department_subtree_and_position_filters(client, make_user, sitting):
    exam, _people = sitting
    headers = token(client, make_user, "hr")
    url = f"/api/v1/reports/exams/{exam.id}"
    one = client.get(url, query_string={"department": ONE}, headers=headers).get_json()
    assert (one["assigned"], one["took_part"], one["passed"]) == (2, 2, 1)
    centre = client.get(url, query_string={"department": CENTRE}, headers=headers).get_json()
    assert (centre["assigned"], centre["took_part"]) == (5, 4)
    ensure_department("测试公司/客服中心/一")  # a sibling whose name is a prefix of 一组
    db.session.commit()
    prefix = client.get(url, query_string={"department": "测试公司/客服中心/一"},
                        headers=headers).get_json()
    assert (prefix["assigned"], prefix["took_part"]) == (0, 0)
    leaders = client.get(url, query_string={"position": "组长"}, headers=headers).get_json()
    assert (leaders["assigned"], leaders["took_part"], leaders["mean"]) == (1, 1, 71.43)
    items = client.get(url + "/items", query_string={"department": TWO}, headers=headers)
    assert items.get_json()["attempts"] == 2


def test_a_period_that_matches_nothing_is_a_200_with_zero_attempts(client, make_user, sitting):
    exam, _people = sitting
    headers = token(client, make_user, "hr")
    tomorrow = (local_day(utcnow()) + timedelta(days=1)).isoformat()
    report = client.get(f"/api/v1/reports/exams/{exam.id}", query_string={"from": tomorrow},
                        headers=headers)
    assert report.status_code == 200
    body = report.get_json()
    assert (body["took_part"], body["mean"], body["median"], body["departments"]) == (
        0, None, None, [])
    items = client.get(f"/api/v1/reports/exams/{exam.id}/items", query_string={"to": "2000-01-01"},
                       headers=headers)
    assert items.status_code == 200
    assert items.get_json() == {"exam_id": exam.id, "attempts": 0, "questions": [],
                                "reliability": {"alpha": None, "sem": None}}
    today = local_day(utcnow()).isoformat()
    same_day = client.get(f"/api/v1/reports/exams/{exam.id}",
                          query_string={"from": today, "to": today}, headers=headers)
    assert same_day.get_json()["took_part"] == 4


def test_unknown_exam_and_bad_filters_are_json_errors(client, make_user, sitting):
    headers = token(client, make_user, "trainer")
    missing = client.get("/api/v1/reports/exams/999999/items", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"
    exam, _people = sitting
    bad = client.get(f"/api/v1/reports/exams/{exam.id}", query_string={"from": "March"},
                     headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"] == "invalid"


def test_employees_are_refused_the_report_api(client, make_user, sitting):
    exam, _people = sitting
    headers = token(client, make_user, "employee")
    for url in (f"/api/v1/reports/exams/{exam.id}", f"/api/v1/reports/exams/{exam.id}/items"):
        assert client.get(url, headers=headers).status_code == 403


def test_the_grading_method_picks_the_one_counted_attempt(make_exam, make_user, objective_only,
                                                          client):
    exam = make_exam(attempts_allowed=2, grading_method="last", pass_mark=40)
    person = make_user(department_path=ONE)
    sit_exam(exam, person, {1: ["B"], 2: ["A", "C"], 3: False})  # 5/7
    sit_exam(exam, person, {1: ["A"]})  # 0/7, the last: counted
    headers = token(client, make_user, "hr")
    report = client.get(f"/api/v1/reports/exams/{exam.id}", headers=headers).get_json()
    assert (report["took_part"], report["passed"], report["mean"]) == (1, 0, 0.0)
    items = client.get(f"/api/v1/reports/exams/{exam.id}/items", headers=headers).get_json()
    assert items["attempts"] == 1
    assert items["questions"][0]["options"] == {"A": 1, "B": 0, "C": 0, "D": 0}


def test_the_cli_prints_the_same_json_as_the_api(app, client, make_user, sitting):
    exam, _people = sitting
    api = client.get(f"/api/v1/reports/exams/{exam.id}/items", query_string={"department": ONE},
                     headers=token(client, make_user, "hr")).get_json()
    result = app.test_cli_runner().invoke(
        main, ["report", "item-analysis", str(exam.id), "--department", ONE, "--json"],
        catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(result.output) == api
    missing = app.test_cli_runner().invoke(main, ["report", "item-analysis", "999999", "--json"])
    assert missing.exit_code == 1 and "999999" in missing.output
