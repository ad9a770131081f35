"""The trainer's home page: what waits for them before the banks."""

from __future__ import annotations

from datetime import timedelta

from tests.exams.helpers import sit_exam
from training.database import db, utcnow


def todo(client) -> str:
    html = client.get("/").get_data(as_text=True)
    start = html.index('data-testid="panel-trainer"')
    return html[start:html.index("</section>", start)]


def test_the_trainer_home_lists_grading_windows_reviews_and_drafts(
    client, login_as, make_user, make_exam, questions, link, second_edition
):
    login_as("trainer")
    assert "没有待办事项" in todo(client)

    now = utcnow()
    closing = make_exam(title="本周截止的考试", closes_at=now + timedelta(days=1))
    make_exam(title="下周开考的考试", opens_at=now + timedelta(days=2),
              closes_at=now + timedelta(days=9))
    make_exam(title="下月才开的考试", opens_at=now + timedelta(days=30),
              closes_at=now + timedelta(days=40))
    essay = next(q for q in questions if q.type == "short_answer")
    sit_exam(closing, make_user(display_name="王小明"), by_question={essay.id: "先倾听客户。"})
    link(questions[0], "a3")  # 第三条 changes in the second edition
    second_edition()
    draft = questions[1]
    draft.needs_key = True
    db.session.commit()

    panel = todo(client)
    assert "阅卷：本周截止的考试" in panel and "待阅 1" in panel
    assert f"/exams/manage/{closing.id}/grading" in panel
    assert "即将截止：本周截止的考试" in panel
    assert "即将开考：下周开考的考试" in panel and "下月才开的考试" not in panel
    assert "条文已修改，待复核：考试测试题库" in panel
    assert "补答案：考试测试题库" in panel
    assert panel.index("阅卷：") < panel.index('data-testid="home-banks"')
