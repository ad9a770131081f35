"""The review page shows each response the way the exam page offered it (true/false: 对/错)."""

from __future__ import annotations

import re

from training.database import db
from training.exams.attempts import save_answer, start_or_resume, submit


def _shown(html: str, caption: str) -> list[str]:
    """The texts after each `caption：` on the review page, tags stripped."""
    pattern = rf'{caption}：</span>(.*?)</p>'
    return [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(pattern, html, re.S)]


def test_review_shows_true_false_in_the_words_of_the_exam_page(client, login_as, make_exam):
    exam = make_exam(kind="mock", review_when="immediately", review_answers=True)
    user = login_as("employee")
    attempt = start_or_resume(user, exam.id)
    true_false = attempt.questions[2]
    assert true_false.version.type == "true_false" and true_false.version.answer is False
    taking = client.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert 'data-answer-kind="bool"' in taking
    save_answer(attempt, true_false.question_id, True, 1)
    save_answer(attempt, attempt.questions[0].question_id, ["A"], 2)
    submit(attempt)
    db.session.commit()
    html = client.get(f"/exams/attempts/{attempt.id}/result").get_data(as_text=True)
    mine, keys = _shown(html, "我的答案"), _shown(html, "正确答案")
    assert (mine[2], keys[2]) == ("对", "错")
    assert (mine[0], keys[0]) == ("A", "B")
    assert mine[1] == "未作答"
