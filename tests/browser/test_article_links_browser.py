"""Question ↔ article links in a real browser: from a wrong answer's review to the article, and
the trainer's editor panel and bulk page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.article_links.conftest import article, library, link, second_edition, sit  # noqa: F401
from tests.exams.conftest import drawn, make_exam, objective_only, paper, questions  # noqa: F401
from tests.manuals.samples import TITLE


@pytest.fixture
def mock_exam(make_exam, objective_only):  # noqa: F811
    return make_exam(
        title="条文复习模拟考试",
        kind="mock",
        attempts_allowed=None,
        review_when="immediately",
        review_answers=True,
        review_explanations=True,
    )


def test_wrong_answer_review_leads_to_the_article(page, sign_in, shot, link, questions, mock_exam):  # noqa: F811
    link(questions[0], "a3")  # 首问负责制…: 第三条 (its first edition: respond within 24 hours)
    sign_in("employee")
    page.goto(f"/exams/{mock_exam.id}")
    page.get_by_test_id("start").click()
    page.wait_for_selector("[data-exam][data-ready]", state="attached")
    expect(page.get_by_test_id("article-link")).to_have_count(0)  # never while sitting
    page.locator("[data-testid=question-1] label", has_text="推给他人").click()
    expect(page.locator("[data-save-status]")).to_have_text("答案已全部保存")
    page.get_by_test_id("submit-open").click()
    page.get_by_test_id("submit-confirm").click()
    page.wait_for_url(re.compile(r"/result$"))

    review = page.get_by_test_id("review-1")
    expect(review).to_have_class(re.compile("sc-review-wrong"))
    links = review.get_by_test_id("review-links")
    expect(links).to_have_text("复习：《客户服务管理制度》第三条")
    links.scroll_into_view_if_needed()
    shot(page, "1_review_with_links")

    review.get_by_test_id("article-link").click()
    page.wait_for_url(re.compile(r"/manuals/.+#art-a3$"))
    target = page.locator("#art-a3")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("客户投诉应在24小时内响应")
    highlighted = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent"), ":target highlights it"
    shot(page, "2_article")


def test_trainer_links_in_the_editor_and_by_category(page, sign_in, shot, library, questions):  # noqa: F811
    sign_in("trainer")
    question = questions[1]  # 处理投诉的步骤包括（ ）: suggestions are the complaint articles
    page.goto(f"/bank/questions/{question.id}/edit")
    panel = page.get_by_test_id("article-panel")
    expect(panel.get_by_test_id("no-links")).to_be_visible()
    first = panel.get_by_test_id("suggestion").first
    expect(first).to_contain_text("《客户服务管理制度》")
    first.get_by_test_id("link-article").click()
    expect(panel.get_by_test_id("linked-article")).to_have_count(1)
    expect(page.locator(".alert-success")).to_contain_text("已关联条文")
    panel.scroll_into_view_if_needed()
    shot(page, "1_editor_panel")

    page.goto(f"/article-links/banks/{question.bank_id}/bulk")
    rows = page.get_by_test_id("bulk-row")
    expect(rows).to_have_count(len(questions))
    target = article(TITLE, "a1")
    page.locator(f"input[name=article-{questions[0].id}][value='{target.id}']").check()
    shot(page, "2_bulk_page")
    page.get_by_test_id("bulk-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已新增 1 条关联")
    expect(rows.first).to_contain_text("《客户服务管理制度》第一条")


def test_trainer_reviews_questions_whose_article_changed(
    page, sign_in, shot, link, questions, second_edition,  # noqa: F811
):
    link(questions[0], "a3")  # 第三条 changes in the second edition (24 → 12 hours)
    link(questions[1], "a2")  # 第二条 does not
    second_edition()
    sign_in("trainer")
    page.goto(f"/bank/{questions[0].bank_id}/")
    expect(page.get_by_test_id("review-badge")).to_have_count(1)
    shot(page, "1_question_list")
    page.get_by_test_id("article-review-link").click()
    item = page.get_by_test_id("review-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("首问负责制")
    shot(page, "2_review_queue")
    item.get_by_test_id("confirm-link").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认")
    expect(page.get_by_test_id("review-item")).to_have_count(0)


def test_trainer_sees_which_articles_an_exam_went_wrong_on(  # noqa: F811
    page, sign_in, shot, link, questions, mock_exam, make_user  # noqa: F811
):
    single, multiple, *_rest = questions
    link(single, "a3")
    link(multiple, "a1")
    sit(mock_exam, make_user(), {single: ["A"], multiple: ["A", "C"]})
    sit(mock_exam, make_user(), {single: ["B"], multiple: ["A", "C"]})
    sit(mock_exam, make_user(), {single: ["C"], multiple: ["A"]})
    sign_in("trainer")
    page.goto(f"/exams/manage/{mock_exam.id}")
    page.get_by_test_id("weak-articles-link").click()
    page.wait_for_url(f"**/reports/weak-articles?exam={mock_exam.id}")
    rows = page.get_by_test_id("report-table-0").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("第三条")  # 2 of 3 wrong, before 第一条's 1 of 3
    expect(rows.nth(0)).to_contain_text("66.67%")
    expect(rows.nth(1)).to_contain_text("33.33%")
    expect(page.get_by_test_id("report-chart-0").locator("img")).to_be_visible()  # drawn too
    shot(page, "weak_articles")
