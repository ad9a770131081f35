"""Practice words a true/false answer as the exam page does: 对/错, on the question and after."""

from __future__ import annotations

import re


def _text(html: str, pattern: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(pattern, html, re.S).group(1)).strip()


def test_true_false_reads_dui_cuo_on_the_question_and_in_the_feedback(client, login_as, bank):
    login_as("employee")
    question = bank["a2"]  # the key is 错
    page = client.get(f"/practice/q/{question.id}?mode=sequential").get_data(as_text=True)
    assert _text(page, r'for="tf-true">(.*?)</label>') == "对"
    assert _text(page, r'for="tf-false">(.*?)</label>') == "错"
    response = client.post(f"/practice/q/{question.id}?mode=sequential", data={"response": "true"})
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "回答错误" in feedback
    assert _text(feedback, r'data-testid="your-answer">(.*?)</strong>') == "对"
    assert _text(feedback, r'答案:</span>\s*<strong>(.*?)</strong>') == "错"
