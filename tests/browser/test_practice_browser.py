"""Practice in a real browser: a wrong answer fills the wrong book, two right reviews empty it."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from tests.practice.conftest import SECRET_EXPLANATION, bank  # noqa: F401  (fixture)
from tests.practice.test_categories import tree  # noqa: F401  (fixture)
from training.database import db, utcnow
from training.practice.models import WrongBookEntry


def review_right(page) -> None:
    page.goto("/practice/wrong-book")
    page.click("[data-testid=review-due]")
    expect(page.get_by_test_id("mode")).to_have_text("错题复习")
    page.check("#opt-B")
    page.click("[data-testid=submit-answer]")
    expect(page.get_by_test_id("verdict")).to_contain_text("回答正确")


def test_practise_fill_and_empty_the_wrong_book(page, sign_in, shot, bank):  # noqa: F811
    user = sign_in("employee")
    page.goto("/practice/")
    expect(page.get_by_test_id("progress-row")).to_have_count(2)
    shot(page, "1_home")

    page.click("[data-testid=start-sequential]")
    expect(page.get_by_test_id("stem")).to_contain_text("首问负责制要求")
    expect(page.locator("body")).not_to_contain_text(SECRET_EXPLANATION)
    shot(page, "2_question")
    page.check("#opt-A")
    page.click("[data-testid=submit-answer]")
    expect(page.get_by_test_id("verdict")).to_contain_text("回答错误")
    expect(page.locator("body")).to_contain_text(SECRET_EXPLANATION)
    shot(page, "3_feedback_wrong")

    page.click("[data-testid=next-question]")
    expect(page.get_by_test_id("stem")).to_contain_text("客户情绪激动")

    page.goto("/practice/wrong-book")
    expect(page.get_by_test_id("wrong-entry")).to_have_count(1)
    shot(page, "4_wrong_book")

    review_right(page)
    expect(page.get_by_test_id("wrong-book-status")).to_contain_text("1 / 2")
    shot(page, "5_first_review")

    # a few days later: FSRS's interval has passed
    entry = db.session.scalar(select(WrongBookEntry).filter_by(user_id=user.id))
    assert entry.due > utcnow() + timedelta(hours=12)
    entry.due = utcnow() - timedelta(minutes=1)
    db.session.commit()

    review_right(page)
    expect(page.get_by_test_id("wrong-book-status")).to_contain_text("已移出错题本")
    page.goto("/practice/wrong-book")
    expect(page.get_by_test_id("wrong-book-empty")).to_be_visible()
    shot(page, "6_wrong_book_empty")

    page.goto("/practice/")
    expect(page.get_by_test_id("progress-row").first).to_contain_text("已做 1 / 2 题")
    shot(page, "7_home_after")


def test_random_practice_shuffles_options_and_scores_what_was_picked(page, sign_in, shot,
                                                                     bank):  # noqa: F811
    sign_in("employee")
    page.goto(f"/practice/q/{bank['a1'].id}?mode=random")
    expect(page.get_by_test_id("shuffled")).to_be_visible()
    shot(page, "random_question")
    page.locator("label", has_text="·选项B").click()  # the right option, under whatever letter
    page.click("[data-testid=submit-answer]")
    expect(page.get_by_test_id("verdict")).to_contain_text("回答正确")


def test_progress_tree_and_practising_a_parent_category(page, sign_in, shot, tree):  # noqa: F811
    sign_in("employee")
    page.goto("/practice/")
    rows = page.get_by_test_id("progress-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(2)).to_have_attribute("data-depth", "2")
    expect(rows.nth(0)).to_contain_text("已做 0 / 4 题")
    shot(page, "tree")
    rows.nth(0).get_by_role("link", name="练习本分类").click()
    expect(page.get_by_test_id("stem")).to_contain_text("p1 题")  # path order: the parent's own first


def test_random_practice_feedback_marks_the_clicked_option_as_shown(
    page, sign_in, bank  # noqa: F811
):
    sign_in("employee")
    page.goto(f"/practice/q/{bank['a1'].id}?mode=random")
    first = page.locator("label[for=opt-A]").inner_text()  # "A 首问负责制要求（ ）。·选项X"
    page.check("#opt-A")
    page.click("[data-testid=submit-answer]")
    expect(page.get_by_test_id("your-answer")).to_have_text("A")
    picked = page.locator("[data-testid=marked-options] li[data-chosen=true]")
    expect(picked).to_have_count(1)
    expect(picked).to_have_attribute("data-label", "A")
    expect(picked).to_contain_text(first.split(" ", 1)[1])
    expect(picked.get_by_test_id("chosen-mark")).to_be_visible()
    right = page.locator("[data-testid=marked-options] li[data-correct=true]")
    expect(right).to_contain_text("·选项B")  # the key B, wherever it was shown
