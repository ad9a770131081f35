"""The examinee's review marks the options themselves, filters to wrong answers, offers a retake."""

from __future__ import annotations

import re

from tests.exams.helpers import sit_exam


def page(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def marks(html: str, ordinal: int) -> list[tuple[str, str, str]]:
    """(label, picked, right) of each option of the review's question `ordinal`."""
    card = html.split(f'data-testid="review-{ordinal}"', 1)[1].split("</article>", 1)[0]
    return re.findall(r'data-label="([A-D])" data-chosen="(\w+)" data-correct="(\w+)"', card)


def reviewed(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-testid="review-(\d+)" data-mark="(\w*)"', html)


def mock(make_exam, **overrides):
    settings = {"kind": "mock", "attempts_allowed": 3, "review_when": "immediately",
                "review_answers": True, "review_explanations": True}
    return make_exam(**{**settings, **overrides})


def test_review_marks_the_picked_and_the_right_options(client, login_as, make_exam):
    user = login_as("employee")
    exam = mock(make_exam)
    attempt = sit_exam(exam, user, {1: "A", 2: ["A", "C"], 3: False})
    html = page(client.get(f"/exams/attempts/{attempt.id}/result"))
    # single, key B, picked A: A is marked as the pick (and wrong), B as the right answer
    assert marks(html, 1) == [("A", "true", "false"), ("B", "false", "true"),
                              ("C", "false", "false"), ("D", "false", "false")]
    assert marks(html, 2) == [("A", "true", "true"), ("B", "false", "false"),
                              ("C", "true", "true"), ("D", "false", "false")]
    assert "sc-chosen-wrong" in html.split('data-testid="review-1"')[1].split("</article>")[0]


def test_shuffled_review_marks_the_options_under_the_labels_shown(client, login_as, make_exam):
    user = login_as("employee")
    exam = mock(make_exam, shuffle_options=True)
    attempt = sit_exam(exam, user, hand_in=False)
    single = attempt.questions[0]
    shown_b = "ABCD"[single.option_order.index("B")]  # where the key B was shown
    sit_exam(exam, user, {1: shown_b})
    html = page(client.get(f"/exams/attempts/{attempt.id}/result"))
    assert [(label, chosen) for label, chosen, right in marks(html, 1) if right == "true"] == [
        (shown_b, "true")
    ]
    assert re.search(r"负责到底\s*<span class=\"badge sc-badge-chosen\"", html)


def test_only_wrong_lists_the_wrong_answers_and_works_as_a_plain_link(client, login_as, make_exam):
    user = login_as("employee")
    exam = mock(make_exam)
    attempt = sit_exam(exam, user, {1: "A", 2: ["A", "C"], 3: False, 5: "倾听"})
    everything = page(client.get(f"/exams/attempts/{attempt.id}/result"))
    assert reviewed(everything) == [("1", "wrong"), ("2", "right"), ("3", "right"),
                                    ("4", "wrong"), ("5", "pending")]
    link = re.search(r'href="([^"]+)" data-testid="only-wrong"', everything).group(1)
    assert "只看错题 (2)" in everything and "全部题目 (5)" in everything
    only_wrong = page(client.get(link.replace("&amp;", "&")))
    assert reviewed(only_wrong) == [("1", "wrong"), ("4", "wrong")]


def test_no_right_option_is_marked_before_the_review_shows_answers(client, login_as, make_exam):
    user = login_as("employee")
    exam = make_exam(review_when="immediately", review_answers=False)  # score only
    attempt = sit_exam(exam, user, {1: "A"})
    html = page(client.get(f"/exams/attempts/{attempt.id}/result"))
    assert marks(html, 1) == [("A", "true", "false"), ("B", "false", "false"),
                              ("C", "false", "false"), ("D", "false", "false")]
    assert 'data-testid="correct-mark"' not in html and "sc-chosen-wrong" not in html
    hidden = make_exam(title="结束后公布", review_when="after_close")
    attempt = sit_exam(hidden, user, {1: "A"})
    html = page(client.get(f"/exams/attempts/{attempt.id}/result"))
    assert 'data-testid="marked-options"' not in html and 'data-testid="only-wrong"' not in html


def test_a_mock_result_offers_a_retake_while_attempts_are_left(client, login_as, make_exam):
    user = login_as("employee")
    exam = mock(make_exam, attempts_allowed=2)
    first = sit_exam(exam, user, {1: "B"})
    html = page(client.get(f"/exams/attempts/{first.id}/result"))
    assert 'data-testid="retake"' in html and "再考一次" in html
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    started = client.post(f"/exams/{exam.id}/start",
                          data={"csrf_token": token.group(1)} if token else {})
    assert "/exams/attempts/" in started.headers["Location"]
    second = sit_exam(exam, user, {1: "B"})
    assert second.number == 2
    assert 'data-testid="retake"' not in page(client.get(f"/exams/attempts/{second.id}/result"))
    formal = make_exam(title="正式", attempts_allowed=3, review_when="immediately")
    attempt = sit_exam(formal, user, {1: "B"})
    assert 'data-testid="retake"' not in page(client.get(f"/exams/attempts/{attempt.id}/result"))
