"""The trainers' pages: the editor panel, bulk linking by category, the review queue."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.article_links.conftest import article, sit
from tests.manuals.samples import TITLE
from training.article_links.models import QuestionArticleLink
from training.article_links.services import links_for_questions
from training.database import db


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def link_count() -> int:
    return db.session.scalar(select(func.count(QuestionArticleLink.id)))


@pytest.mark.parametrize("role", ["employee", "hr"])
def test_only_trainers_link(client, login_as, library, questions, role):
    login_as(role)
    question = questions[0]
    part = article(TITLE, "a3")
    assert (
        client.post(
            f"/article-links/questions/{question.id}/link", data={"part_id": part.id}
        ).status_code
        == 403
    )
    assert client.get(f"/article-links/banks/{question.bank_id}/bulk").status_code == 403
    assert client.get(f"/article-links/banks/{question.bank_id}/review").status_code == 403
    assert link_count() == 0


def test_trainer_links_from_the_editor_panel(client, login_as, library, questions):
    login_as("trainer")
    question = questions[0]  # 首问负责制要求第一位接待客户的员工（ ）
    editor = page(client.get(f"/bank/questions/{question.id}/edit"))
    assert "关联条文" in editor and "尚未关联条文" in editor and 'name="csrf_token"' in editor

    part = article(TITLE, "a3")
    response = client.post(
        f"/article-links/questions/{question.id}/link", data={"part_id": part.id}
    )
    assert response.status_code == 302 and "#article-links" in response.headers["Location"]
    again = client.post(
        f"/article-links/questions/{question.id}/link",
        data={"part_id": part.id},
        follow_redirects=True,
    )
    assert "此题已关联该条文" in page(again)
    assert link_count() == 1

    editor = page(client.get(f"/bank/questions/{question.id}/edit"))
    assert 'data-testid="linked-article"' in editor and "《客户服务管理制度》第三条" in editor


def test_editor_search_offers_articles_the_suggestions_missed(client, login_as, library, questions):
    login_as("trainer")
    editor = page(client.get(f"/bank/questions/{questions[0].id}/edit?article_q=泄露"))
    assert "搜索结果" in editor and "《客户信息保密规定》第一条" in editor


def test_a_stale_article_is_refused(client, login_as, library, questions, second_edition):
    login_as("trainer")
    stale = article(TITLE, "a3").id
    second_edition()
    response = client.post(
        f"/article-links/questions/{questions[0].id}/link",
        data={"part_id": stale},
        follow_redirects=True,
    )
    assert "所选条文已更新或不存在" in page(response)
    assert link_count() == 0


def test_bulk_page_links_a_category_in_one_submit(client, login_as, library, questions):
    login_as("trainer")
    bank_id = questions[0].bank_id
    table = page(client.get(f"/article-links/banks/{bank_id}/bulk"))
    assert table.count('data-testid="bulk-row"') == len(questions)
    assert "不关联" in table

    first, second = questions[:2]
    data = {
        "question": [q.id for q in questions],
        f"article-{first.id}": article(TITLE, "a3").id,
        f"article-{second.id}": article(TITLE, "a1").id,
    }
    done = client.post(f"/article-links/banks/{bank_id}/bulk", data=data, follow_redirects=True)
    assert "已新增 2 条关联" in page(done)
    links = links_for_questions(q.id for q in questions)
    assert {qid: [i.article.heading for i in items] for qid, items in links.items()} == {
        first.id: ["第三条"],
        second.id: ["第一条"],
    }


def test_bulk_submit_with_a_stale_article_links_nothing(
    client, login_as, library, questions, second_edition
):
    login_as("trainer")
    first, second = questions[:2]
    data = {
        "question": [first.id, second.id],
        f"article-{first.id}": article(TITLE, "a1").id,  # stale once the new edition is in
        f"article-{second.id}": article(TITLE, "a2").id,
    }
    second_edition()
    data[f"article-{second.id}"] = article(TITLE, "a2").id
    response = client.post(f"/article-links/banks/{first.bank_id}/bulk", data=data)
    html = page(response)
    assert "未关联任何题目" in html and 'data-testid="bulk-row"' in html
    assert link_count() == 0


def test_changed_article_shows_in_the_question_list_and_the_review_queue(
    client, login_as, link, questions, second_edition
):
    login_as("trainer")
    changed, unchanged = questions[:2]
    link(changed, "a3")
    link(unchanged, "a2")
    second_edition()
    listing = page(client.get(f"/bank/{changed.bank_id}/"))
    assert "条文已修改，待复核（1 题）" in listing
    assert listing.count('data-testid="review-badge"') == 1

    queue = page(client.get(f"/article-links/banks/{changed.bank_id}/review"))
    assert queue.count('data-testid="review-item"') == 1 and "首问负责制" in queue
    assert "/diff/1/2" in queue

    (item,) = links_for_questions([changed.id])[changed.id]
    client.post(
        f"/article-links/links/{item.id}/confirm",
        data={"next": f"/article-links/banks/{changed.bank_id}/review"},
    )
    assert "没有待复核的题目" in page(client.get(f"/article-links/banks/{changed.bank_id}/review"))
    assert "条文已修改，待复核" not in page(client.get(f"/bank/{changed.bank_id}/"))


def test_trainer_unlinks_from_the_panel(client, login_as, link, questions):
    login_as("trainer")
    question = questions[0]
    link(question, "a3")
    (item,) = links_for_questions([question.id])[question.id]
    client.post(f"/article-links/questions/{question.id}/unlink/{item.id}")
    again = client.post(
        f"/article-links/questions/{question.id}/unlink/{item.id}", follow_redirects=True
    )
    assert "已取消关联" in page(again)
    assert link_count() == 0


def test_panel_forms_refuse_a_missing_csrf_token(app, client, login_as, library, questions):
    login_as("trainer")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        f"/article-links/questions/{questions[0].id}/link",
        data={"part_id": article(TITLE, "a3").id},
    )
    assert response.status_code == 400
    assert link_count() == 0


def test_trainer_sees_the_exam_s_weakest_articles_first(client, login_as, link, questions, make_exam,
                                                      make_user):
    single, multiple, true_false, *_rest = questions
    link(single, "a3")
    link(multiple, "a1")
    exam = make_exam()
    sit(exam, make_user(), {single: ["A"], multiple: ["A", "C"]})  # 第三条 wrong, 第一条 right
    sit(exam, make_user(), {single: ["B"], multiple: ["A", "C"]})
    url = f"/article-links/exams/{exam.id}"
    login_as("employee")
    assert client.get(url).status_code == 403
    client.post("/logout")
    login_as("trainer")
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert page.index("第三条") < page.index("第一条")
    assert "50.00%" in page and "0.00%" in page
    assert f"/reports/weak-articles?exam={exam.id}" in client.get(
        f"/exams/manage/{exam.id}").get_data(as_text=True)
