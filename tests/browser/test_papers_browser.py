"""Papers in Chromium: a rule paper from shortfall to preview, and the fixed-paper builder."""

from __future__ import annotations

import re

import pytest

from tests.papers.factories import fill
from training.bank.services import ensure_bank
from training.database import db

pytestmark = pytest.mark.browser


@pytest.fixture
def bank(app):
    bank = ensure_bank("浏览器试卷题库")
    db.session.flush()
    fill(bank, "single", 12, category="客户服务/投诉处理")
    fill(bank, "multiple", 3, category="客户服务/投诉处理")
    fill(bank, "true_false", 4, category="产品知识", status="draft")
    db.session.commit()
    return bank


def create_paper(page, bank, title: str, kind: str) -> None:
    page.goto("/papers/")
    page.fill("#title", title)
    page.select_option("#kind", kind)
    page.select_option("#bank_id", str(bank.id))
    page.click("[data-testid=paper-create-submit]")
    page.wait_for_selector("[data-testid=paper-title]")


def add_rule(page, qtype: str, count: int, points: str) -> None:
    form = page.locator("[data-testid=rule-new]")
    form.locator("select[name=new-type]").select_option(qtype)
    form.locator("input[name=new-count]").fill(str(count))
    form.locator("input[name=new-points_each]").fill(points)
    form.locator("[data-testid=rule-add]").click()
    page.wait_for_load_state()


def test_rules_paper_shortfall_fixed_then_previewed(page, sign_in, bank, shot):
    sign_in("trainer")
    create_paper(page, bank, "投诉处理随机测验", "rules")
    add_rule(page, "single", 10, "2")
    add_rule(page, "multiple", 5, "4")
    problem = page.locator("[data-testid=paper-problem]")
    assert problem.count() == 1
    assert problem.inner_text() == "第 2 部分 多选题：需要 5 道，题库中只有 3 道符合条件的可用题目，还差 2 道"
    assert page.locator("[data-testid=rule-available]").nth(1).inner_text() == "符合条件的可用题目 3 道"
    shot(page, "shortfall")

    multiple = page.locator("[data-testid=rule-section]").nth(1)
    multiple.locator("input[name$=-count]").fill("3")
    multiple.locator("[data-testid=rule-save]").click()
    page.wait_for_selector("[data-testid=paper-ok]")
    assert page.inner_text("[data-testid=total-points]") == "32"
    shot(page, "fixed")

    page.click("[data-testid=preview-link]")
    page.wait_for_selector("[data-testid=preview-question]")
    assert page.locator("[data-testid=preview-question]").count() == 13
    first_seed = re.search(r"seed=(\d+)", page.url).group(1)
    first_stems = page.locator(".sc-stem").all_inner_texts()
    shot(page, "preview")
    page.click("[data-testid=redraw]")
    page.wait_for_selector("[data-testid=preview-question]")
    assert re.search(r"seed=(\d+)", page.url).group(1) != first_seed
    assert page.locator("[data-testid=preview-question]").count() == 13
    assert page.locator(".sc-stem").all_inner_texts() != first_stems


def test_fixed_paper_builder(page, sign_in, bank, shot):
    sign_in("trainer")
    create_paper(page, bank, "投诉处理模拟卷", "fixed")
    page.fill("[data-testid=builder-search] input[name=q]", "multiple")
    page.press("[data-testid=builder-search] input[name=q]", "Enter")
    page.wait_for_load_state()
    assert page.locator("[data-testid=builder-result]").count() == 3
    page.check("#select-all")
    page.click("[data-testid=builder-add-submit]")
    page.wait_for_selector("[data-testid=paper-item]")
    assert "已添加 3 道题" in page.content()
    assert page.locator("[data-testid=builder-result] .text-bg-success").count() == 3  # 已在试卷中

    page.locator("[data-testid=item-points]").first.fill("5")
    page.click("[data-testid=items-save]")
    page.wait_for_selector("[data-testid=paper-ok]")
    assert page.inner_text("[data-testid=total-points]") == "7"
    shot(page, "builder")

    page.goto("/papers/")
    assert page.locator("[data-testid=paper-row]").count() == 1
    assert "3 题" in page.inner_text("[data-testid=paper-row]")
    shot(page, "list")


def test_trainer_deletes_a_paper_after_confirming(page, sign_in, bank, shot):
    sign_in("trainer")
    create_paper(page, bank, "作废的草稿卷", "fixed")
    shot(page, "detail_with_delete")
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_test_id("paper-delete").click()
    page.wait_for_url(re.compile(r"/papers/$"))
    assert questions == ["确定删除试卷「作废的草稿卷」吗？已被考试使用的试卷不能删除。"]
    assert "已删除试卷「作废的草稿卷」" in page.inner_text(".alert-success")
    assert page.locator("a", has_text="作废的草稿卷").count() == 0  # no longer listed
    shot(page, "list_after_delete")
