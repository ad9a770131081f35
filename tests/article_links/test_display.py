"""Examinees see "复习：《…》第X条" in exam review (when the policy allows), practice feedback
and the wrong-answer book — and never while sitting the exam."""

from __future__ import annotations

from tests.article_links.conftest import PRIVACY
from training.database import db
from training.exams.attempts import save_answer, start_or_resume, submit

MAIN_ARTICLE = "《客户服务管理制度》第三条"


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def sit_wrong(client, login_as, exam, questions) -> int:
    user = login_as("employee")
    attempt = start_or_resume(user, exam.id)
    save_answer(attempt, questions[0].id, ["A"], 1)  # the key is B
    taking = page(client.get(f"/exams/attempts/{attempt.id}"))
    assert MAIN_ARTICLE not in taking and "复习：" not in taking
    submit(attempt)
    db.session.commit()
    return attempt.id


def test_exam_review_shows_the_linked_articles(client, login_as, link, questions, make_exam):
    link(questions[0], "a3")
    link(questions[0], "a1", PRIVACY)
    exam = make_exam(kind="mock", review_when="immediately", review_answers=True)
    attempt_id = sit_wrong(client, login_as, exam, questions)
    html = page(client.get(f"/exams/attempts/{attempt_id}/result"))
    assert html.count('data-testid="review-links"') == 1  # only the linked question
    assert MAIN_ARTICLE in html and "《客户信息保密规定》第一条" in html
    assert '/a/a3" data-testid="article-link"' in html


def test_exam_review_hides_them_until_the_policy_allows(
    client, login_as, link, questions, make_exam
):
    link(questions[0], "a3")
    exam = make_exam(review_when="after_close")
    attempt_id = sit_wrong(client, login_as, exam, questions)
    html = page(client.get(f"/exams/attempts/{attempt_id}/result"))
    assert "成绩将在考试结束后公布" in html
    assert MAIN_ARTICLE not in html and "复习：" not in html


def test_practice_feedback_and_wrong_book_show_them(client, login_as, link, bank):
    link(bank["a1"], "a3")
    login_as("employee")
    answered = client.post(f"/practice/q/{bank['a1'].id}", data={"response": "A"})
    feedback = page(client.get(answered.headers["Location"]))
    assert "回答错误" in feedback and MAIN_ARTICLE in feedback and "复习：" in feedback

    client.post(f"/practice/q/{bank['a2'].id}", data={"response": "true"})  # wrong, not linked
    book = page(client.get("/practice/wrong-book"))
    assert book.count('data-testid="wrong-entry"') == 2
    assert book.count('data-testid="review-links"') == 1 and MAIN_ARTICLE in book


def test_a_removed_article_still_shows_marked_deleted(client, login_as, link, bank, second_edition):
    link(bank["a1"], "a4")
    second_edition()
    login_as("employee")
    client.post(f"/practice/q/{bank['a1'].id}", data={"response": "A"})
    book = page(client.get("/practice/wrong-book"))
    assert "《客户服务管理制度》第四条（已删除）" in book


def test_the_wrong_book_resolves_links_in_a_fixed_number_of_queries(
    client, login_as, link, bank, count_queries
):
    login_as("employee")

    def wrong_book_queries() -> int:
        with count_queries() as counted:
            page(client.get("/practice/wrong-book"))
        return counted.count

    link(bank["a1"], "a3")
    client.post(f"/practice/q/{bank['a1'].id}", data={"response": "A"})
    one = wrong_book_queries()
    link(bank["a2"], "a1")
    link(bank["a2"], "a2", PRIVACY)
    client.post(f"/practice/q/{bank['a2'].id}", data={"response": "true"})
    assert wrong_book_queries() == one
