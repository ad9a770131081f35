"""The trainer's answer sheet: who may open it, what it shows, correcting a grader's score,
and paging from one attempt to the next."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.exams.conftest import SECRET_REFERENCE
from tests.exams.helpers import sit_exam
from training.audit.models import AuditEvent
from training.database import db, utcnow
from training.errors import DomainError
from training.exams.attempts import record_event
from training.exams.grading import answers_of, change_score, grade_answer
from training.exams.models import Attempt

ESSAY = "先倾听客户的诉求，再道歉。"


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)))


@pytest.fixture
def graded(make_exam, make_user):
    """An attempt of a 10-point paper: single, multiple and true/false right (5 points), the
    fill-in wrong, the essay graded 2 of 3 by a grader — 7 points, passing the 70% mark."""
    exam = make_exam(pass_mark=70, shuffle_options=True)
    examinee = make_user(display_name="张小青")
    attempt = sit_exam(exam, examinee, {3: False, 4: ["错", "错"], 5: ESSAY}, hand_in=False)
    first, second = attempt.questions[0], attempt.questions[1]
    shown_b = "ABCD"[first.option_order.index("B")]  # the key B as this attempt showed it
    shown_ac = sorted("ABCD"[second.option_order.index(label)] for label in "AC")
    sit_exam(exam, examinee, {1: [shown_b], 2: shown_ac})  # resumed: seqs 1, 2 on new questions
    grader = make_user(roles=("trainer",), display_name="李阅卷")
    essay = answers_of(attempt)[attempt.questions[4].question_id]
    grade_answer(essay, 2, "要点基本齐全", actor=grader, now=utcnow())
    db.session.commit()
    assert (attempt.score, attempt.passed) == (7, True)
    return attempt


def test_only_trainers_and_admins_open_an_answer_sheet(client, login_as, graded, make_user):
    url = f"/exams/manage/attempts/{graded.id}"
    login_as("employee")  # the exam is assigned to every employee of the company
    assert client.get(url).status_code == 403
    essay = answers_of(graded)[graded.questions[4].question_id]
    refused = client.post(f"/exams/manage/answers/{essay.id}/score",
                          data={"points": 3, "reason": "x"})
    assert refused.status_code == 403
    client.post("/logout")
    # The examinee's own attempt: their result page, never the trainer's sheet.
    client.post("/login", data={"username": graded.user.username, "password": "correct-horse-9"})
    assert client.get(url).status_code == 403
    client.post("/logout")
    # Exams are not owned: any trainer manages (and grades) every exam, so another trainer
    # than the one who set it up opens the sheet, as an admin does.
    login_as("trainer")
    assert "张小青" in page(client.get(url))
    assert client.get("/exams/manage/attempts/999999").status_code == 404
    client.post("/logout")
    login_as("admin")
    assert "张小青" in page(client.get(url))


def test_the_sheet_shows_every_question_as_sat_and_graded(client, login_as, graded):
    login_as("trainer")
    html = page(client.get(f"/exams/manage/attempts/{graded.id}"))
    for ordinal in range(1, 6):
        assert f'data-testid="sheet-q{ordinal}"' in html
    first = graded.questions[0]
    shown_b = "ABCD"[first.option_order.index("B")]
    q1 = html.split('data-testid="sheet-q1"')[1].split("</article>")[0]
    # The response and the key in the labels the examinee saw (options were shuffled).
    assert shown_b in q1.split('data-testid="response-1"')[1].split("</div>")[0]
    assert shown_b in q1.split('data-testid="key-1"')[1].split("</div>")[0]
    q4 = html.split('data-testid="sheet-q4"')[1].split("</article>")[0]
    assert "sc-review-wrong" in html.split('data-testid="sheet-q4"')[0].rsplit("<article", 1)[1]
    assert "0 / 2 分" in " ".join(q4.split())
    q5 = html.split('data-testid="sheet-q5"')[1].split("</article>")[0]
    assert ESSAY in q5 and SECRET_REFERENCE in q5 and "要点基本齐全" in q5
    assert "李阅卷" in q5.split('data-testid="grader-5"')[1]
    assert "2 / 3 分" in " ".join(q5.split())
    assert '7<span class="fs-5 text-muted"> / 10</span>' in html


def test_focus_losses_are_on_the_sheet(client, login_as, make_exam, make_user):
    exam = make_exam()
    attempt = sit_exam(exam, make_user(), {1: ["A"]}, hand_in=False)
    record_event(attempt, "focus_lost")
    record_event(attempt, "focus_back")
    db.session.commit()
    login_as("trainer")
    html = page(client.get(f"/exams/manage/attempts/{attempt.id}"))
    events = html.split('data-testid="sheet-events"')[1].split("</ul>")[0]
    assert "离开考试页面" in events and "回到考试页面" in events
    assert "剩余约" in html  # still in progress: the time left, no score


def test_correcting_a_score_needs_a_reason_and_is_totalled_and_audited(
    client, login_as, graded
):
    trainer = login_as("trainer", display_name="王复核")
    essay = answers_of(graded)[graded.questions[4].question_id]
    url = f"/exams/manage/answers/{essay.id}/score"

    no_reason = client.post(url, data={"points": 0, "reason": "  "}, follow_redirects=True)
    assert "请填写修改原因" in page(no_reason)
    too_many = client.post(url, data={"points": 4, "reason": "复核"}, follow_redirects=True)
    assert "分数必须在 0 到 3 之间" in page(too_many)
    db.session.expire_all()
    assert (db.session.get(Attempt, graded.id).score, audit("exam.answer_rescored")) == (7, [])

    done = client.post(url, data={"points": 0, "reason": "答非所问，复核后不给分",
                                  "comment": "未答到要点"})
    assert done.status_code == 302 and done.headers["Location"].endswith(
        f"/exams/manage/attempts/{graded.id}#q5")
    db.session.expire_all()
    attempt = db.session.get(Attempt, graded.id)
    assert (attempt.score, attempt.passed, attempt.percent) == (5, False, 50)
    essay = answers_of(attempt)[essay.question_id]
    assert (essay.points_awarded, essay.graded_by_id, essay.comment) == (0, trainer.id, "未答到要点")
    [corrected] = audit("exam.answer_rescored")
    assert corrected.actor_id == trainer.id
    assert corrected.details == {"attempt_id": attempt.id, "question_id": essay.question_id,
                                 "points_before": 2, "points_after": 0,
                                 "reason": "答非所问，复核后不给分"}
    [regraded] = audit("exam.attempt_regraded")  # the same record a regrade leaves
    assert (regraded.details["score_before"], regraded.details["score_after"]) == (7, 5)
    assert (regraded.details["passed_before"], regraded.details["passed_after"]) == (True, False)

    html = page(client.get(f"/exams/manage/attempts/{attempt.id}"))
    history = html.split('data-testid="corrections-5"')[1].split("</ul>")[0]
    assert "王复核" in history and "2 → 0" in history and "答非所问，复核后不给分" in history
    assert "未通过" in html.split('data-testid="sheet-score"')[1]


def test_only_a_graders_score_can_be_corrected(make_exam, make_user, graded):
    trainer = make_user(roles=("trainer",))
    objective = answers_of(graded)[graded.questions[0].question_id]
    with pytest.raises(DomainError):
        change_score(objective, 0, "", "试试", actor=trainer, now=utcnow())
    exam = make_exam(title="另一场")
    waiting = sit_exam(exam, make_user(), {5: ESSAY})
    essay = answers_of(waiting)[waiting.questions[4].question_id]
    with pytest.raises(DomainError):  # still in the grading queue: graded there first
        change_score(essay, 1, "", "提前改", actor=trainer, now=utcnow())


def test_previous_and_next_follow_the_list_and_its_filter(client, login_as, make_exam, make_user):
    exam = make_exam()
    first = sit_exam(exam, make_user(department_path="测试公司/客服中心/一组"), {1: ["B"]})
    other = sit_exam(exam, make_user(department_path="测试公司/客服中心/二组"), {1: ["B"]})
    last = sit_exam(exam, make_user(department_path="测试公司/客服中心/一组"), {1: ["B"]})
    login_as("trainer")
    # The list is newest first: last, other, first.
    middle = page(client.get(f"/exams/manage/attempts/{other.id}"))
    nav = middle.split('data-testid="neighbours"')[1].split("</div>")[0]
    assert f"/exams/manage/attempts/{last.id}" in nav.split('data-testid="previous"')[0].rsplit("<a", 1)[1]
    assert f"/exams/manage/attempts/{first.id}" in nav.split('data-testid="next"')[0].rsplit("<a", 1)[1]
    assert "第 2 / 3 份" in nav

    group = first.user.department_id
    filtered = page(client.get(f"/exams/manage/attempts/{last.id}?department={group}"))
    nav = filtered.split('data-testid="neighbours"')[1].split("</div>")[0]
    assert f"/exams/manage/attempts/{first.id}?department={group}" in nav
    assert f"/attempts/{other.id}" not in nav and "第 1 / 2 份" in nav


def test_the_attempts_list_and_the_grading_queue_link_to_the_sheet(
    client, login_as, make_exam, make_user
):
    exam = make_exam()
    attempt = sit_exam(exam, make_user(), {5: ESSAY})
    login_as("trainer")
    listing = page(client.get(f"/exams/manage/{exam.id}/attempts"))
    assert f'href="/exams/manage/attempts/{attempt.id}"' in listing
    queue = page(client.get(f"/exams/manage/{exam.id}/grading"))
    assert f'href="/exams/manage/attempts/{attempt.id}"' in queue


def test_a_correction_tells_the_features_that_keep_something_of_the_score(
    monkeypatch, make_user, graded
):
    told = []
    monkeypatch.setattr("training.exams.grading.ON_RESCORED", [lambda a, now: told.append(a.id)])
    essay = answers_of(graded)[graded.questions[4].question_id]
    change_score(essay, 3, "", "复核加分", actor=make_user(roles=("trainer",)), now=utcnow())
    assert told == [graded.id] and (graded.score, graded.passed) == (8, True)
