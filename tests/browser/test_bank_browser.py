"""The trainer's import wizard and keying mode, driven in Chromium."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.bank.papers import BROKEN_PAPER, UNKEYED_PAPER
from training.bank.models import Question
from training.bank.services import ensure_bank
from training.database import db

pytestmark = pytest.mark.browser


@pytest.fixture
def bank(app):
    bank = ensure_bank("浏览器测试题库")
    db.session.commit()
    return bank


def paste_paper(page, bank, text: str) -> None:
    page.goto(f"/bank/{bank.id}/import")
    page.fill("textarea[name=text]", text)
    page.click("[data-testid=import-parse]")
    page.wait_for_selector("[data-testid=import-items]")


def test_paste_broken_paper_fix_by_excluding_then_search(page, sign_in, bank, shot):
    sign_in("trainer")
    paste_paper(page, bank, BROKEN_PAPER)
    broken = page.locator("[data-testid=import-item]").nth(1)
    problem = broken.locator("[data-testid=import-problem]").first
    assert re.search(r"第 [5-7] 行", problem.inner_text())
    assert page.locator("[data-testid=import-blocked]").is_visible()
    shot(page, "preview-with-problem")

    page.click("[data-testid=import-commit]")
    page.wait_for_selector(".alert-danger")
    assert "仍有未解决的错误" in page.content()
    assert db.session.scalars(select(Question)).first() is None

    page.locator("[data-testid=import-item]").nth(1).locator("[data-testid=exclude]").check()
    page.click("[data-testid=import-commit]")
    page.wait_for_selector("[data-testid=question-list]")
    assert "已导入 2 道题" in page.content()

    page.fill("input[name=q]", "投诉")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    rows = page.locator("[data-testid=question-row]")
    assert rows.count() == 1 and "处理投诉时首先要做的是" in rows.first.inner_text()
    shot(page, "searched")


def test_keying_five_drafts_by_keyboard(page, sign_in, bank, shot):
    sign_in("trainer")
    paste_paper(page, bank, UNKEYED_PAPER)
    page.click("[data-testid=import-commit]")
    page.wait_for_selector("[data-testid=keying-link]")
    page.click("[data-testid=keying-link]")
    for letter in "ABCDA":
        page.wait_for_selector("[data-testid=keying-form]")
        page.wait_for_load_state("load")  # bank.js's key handler is attached by then
        remaining = page.inner_text("[data-testid=keying-remaining]")
        page.keyboard.press(letter)
        if letter == "A" and remaining.startswith("还有 5"):
            shot(page, "keying")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "text => !document.querySelector('[data-testid=keying-remaining]') "
            "|| document.querySelector('[data-testid=keying-remaining]').innerText !== text",
            arg=remaining,
        )
    assert "没有待补答案的选择题和判断题了" in page.content()
    db.session.expire_all()
    answers = [q.current_version.answer for q in db.session.scalars(select(Question).order_by(Question.id))]
    assert answers == [["A"], ["B"], ["C"], ["D"], ["A"]]


def test_editor_follows_the_chosen_types_capabilities(page, sign_in, bank):
    sign_in("trainer")
    page.goto(f"/bank/{bank.id}/questions/new")
    options, case_material = page.locator("[data-show-if=choice]"), page.locator(
        "[data-show-if=case_material]"
    )
    page.select_option("select[name=type]", "single")
    assert options.is_visible() and not case_material.is_visible()
    page.select_option("select[name=type]", "true_false")
    assert not options.is_visible()
    assert page.locator("#question-preview li").all_inner_texts() == ["对", "错"]
    page.select_option("select[name=type]", "case")
    assert case_material.is_visible() and not options.is_visible()
    page.fill("textarea[name=case_material]", "客户来电投诉快递延误。")
    assert "客户来电投诉快递延误" in page.inner_text("#question-preview")
