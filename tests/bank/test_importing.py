"""Import preview and commit: problems at their question, duplicates, all-or-nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from question_bank.model import ImportResult, Problem
from tests.bank.factories import single
from training.bank.importing import build_preview, commit_import
from training.bank.models import Category, Question
from training.bank.services import add_question, ensure_bank
from training.database import db
from training.errors import DomainError


@pytest.fixture
def bank(app):
    bank = ensure_bank("导入测试题库")
    db.session.flush()
    return bank


def question_count() -> int:
    return db.session.scalar(select(func.count(Question.id)))


def paper(*problems: Problem) -> ImportResult:
    return ImportResult(
        "cn-text",
        [single("第一题", line=2, section="单项选择题"), single("第二题", line=6, section="单项选择题"),
         single("第三题", line=10, section="单项选择题")],
        list(problems),
    )


def test_problems_are_attached_to_the_question_whose_lines_contain_them():
    preview = build_preview(paper(Problem(7, "error", "答案: 选项 F 不存在"),
                                  Problem(1, "warning", "标题行")), None)
    assert [len(item.problems) for item in preview.items] == [0, 1, 0]
    assert [p.message for p in preview.unattached] == ["标题行"]


def test_an_error_blocks_the_commit_and_nothing_is_written(bank):
    with pytest.raises(DomainError, match="第 7 行"):
        commit_import(bank, paper(Problem(7, "error", "答案: 选项 F 不存在")))
    assert question_count() == 0


def test_excluding_the_broken_question_lets_the_rest_in(bank):
    questions = commit_import(bank, paper(Problem(7, "error", "答案: 选项 F 不存在")), excluded={1})
    assert [q.current_version.stem for q in questions] == ["第一题", "第三题"]
    assert question_count() == 2


def test_unattached_errors_block_until_skipped(bank):
    result = paper(Problem(None, "error", "答案表中的第 9 题不存在"))
    with pytest.raises(DomainError):
        commit_import(bank, result)
    assert len(commit_import(bank, result, skip_unattached=True)) == 3


def test_questions_land_in_the_chosen_category_under_their_section(bank):
    commit_import(bank, paper(), category="客户服务/模拟题")
    paths = db.session.scalars(select(Category.path).order_by(Category.path)).all()
    assert paths == ["客户服务", "客户服务/模拟题", "客户服务/模拟题/单项选择题"]
    leaf = db.session.scalar(select(Category).filter_by(path="客户服务/模拟题/单项选择题"))
    assert db.session.scalar(select(func.count(Question.id)).filter_by(category_id=leaf.id)) == 3


def test_repeats_within_the_file_are_flagged_and_left_out_by_default(bank):
    result = ImportResult("cn-text", [single("重复的题", line=1), single("重复的题", line=5),
                                      single("重复的题", line=9, answer="B")])
    preview = build_preview(result, bank)
    assert preview.suggested_exclusions == {1, 2}  # a repeat with another key is still a repeat
    assert preview.items[1].duplicates[0].file_index == 0


def test_questions_already_in_the_bank_are_flagged(bank):
    existing = add_question(bank, single("客户投诉处理的第一步是什么"), category=None)
    result = ImportResult("cn-text", [single("客户投诉处理的第一步是什么？", line=1),
                                      single("客户投诉处理的第一步应是什么", line=5),
                                      single("完全不同的题目内容", line=9)])
    preview = build_preview(result, bank)
    exact, similar, new = preview.items
    assert exact.exact_duplicate and exact.duplicates[0].question_id == existing.id
    assert similar.duplicates and not similar.exact_duplicate
    assert not new.duplicates
    assert preview.suggested_exclusions == {0}


def test_two_thousand_questions_import_in_one_go(bank):
    result = ImportResult("cn-text", [single(f"第{n}题：服务规范条目{n}", line=n) for n in range(2000)])
    assert len(commit_import(bank, result)) == 2000
    assert question_count() == 2000
