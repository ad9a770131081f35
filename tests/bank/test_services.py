"""Bank services: questions, versions, keys, statuses, filters and bulk actions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.bank.factories import single
from training.bank.models import QuestionVersion
from training.bank.queries import QuestionFilter, bank_summaries, question_query, versions_of
from training.bank.services import (
    add_question,
    apply_bulk,
    ensure_bank,
    ensure_category,
    key_question,
    mark_used,
    plain_of,
    set_status,
    update_question,
)
from training.database import db
from training.errors import DomainError


@pytest.fixture
def bank(app):
    bank = ensure_bank("测试题库")
    db.session.flush()
    return bank


def add(bank, stem, category=None, **fields):
    return add_question(bank, single(stem, **fields), category=ensure_category(bank, category))


def test_question_without_key_is_a_draft_and_cannot_be_made_ready(bank):
    question = add(bank, "没有答案的题", answer=None)
    assert question.status == "draft" and question.needs_key
    with pytest.raises(DomainError):
        set_status(question, "ready")


def test_keying_a_draft_makes_it_ready(bank):
    question = add(bank, "待补答案", answer=None)
    key_question(question, "C")
    assert question.status == "ready" and not question.needs_key
    assert question.current_version.answer == ["C"]


def test_keying_refuses_an_answer_the_question_cannot_have(bank):
    question = add(bank, "待补答案", answer=None)
    with pytest.raises(DomainError, match="答案"):
        key_question(question, "Z")
    assert question.needs_key


def test_edits_rewrite_an_unused_version_in_place(bank):
    question = add(bank, "原题干")
    edited = plain_of(question)
    edited.stem = "改过的题干"
    update_question(question, edited)
    assert [v.number for v in versions_of(question)] == [1]
    assert question.current_version.stem == "改过的题干"


def test_edits_after_use_create_a_new_version_and_keep_the_old_one(bank):
    question = add(bank, "考过的题")
    first = question.current_version
    mark_used([first.id])
    edited = plain_of(question)
    edited.stem = "考后修订的题"
    update_question(question, edited)
    db.session.flush()
    assert [v.number for v in versions_of(question)] == [2, 1]
    assert db.session.get(QuestionVersion, first.id).stem == "考过的题"
    assert question.current_version.stem == "考后修订的题"


def test_search_matches_chinese_words_in_stem_and_options(bank):
    add(bank, "客户投诉的处理流程")
    add(bank, "电话礼仪的要求")
    found = db.session.scalars(question_query(bank, QuestionFilter(query="投诉"))).all()
    assert [q.current_version.stem for q in found] == ["客户投诉的处理流程"]
    # full-width and half-width are the same to search
    add(bank, "ＡＢＣ分类法")
    assert len(db.session.scalars(question_query(bank, QuestionFilter(query="abc"))).all()) == 1


def test_category_filter_includes_subcategories(bank):
    add(bank, "父分类的题", category="客户服务")
    add(bank, "子分类的题", category="客户服务/投诉处理")
    add(bank, "别的分类", category="电话礼仪")
    parent = ensure_category(bank, "客户服务")
    found = db.session.scalars(question_query(bank, QuestionFilter(category_id=parent.id))).all()
    assert sorted(q.current_version.stem for q in found) == ["子分类的题", "父分类的题"]


def test_needs_key_filter(bank):
    add(bank, "有答案")
    add(bank, "没答案", answer=None)
    found = db.session.scalars(question_query(bank, QuestionFilter(needs_key=True))).all()
    assert [q.current_version.stem for q in found] == ["没答案"]


def test_bulk_tag_move_and_delete(bank):
    ids = [add(bank, f"题{n}").id for n in range(3)]
    assert apply_bulk(bank, "tag", ids[:2], "重点", actor=None) == 2
    assert apply_bulk(bank, "move", ids, "新分类/子类", actor=None) == 3
    assert apply_bulk(bank, "delete", ids[2:], "", actor=None) == 1
    tagged = db.session.scalars(question_query(bank, QuestionFilter(tag="重点"))).all()
    assert len(tagged) == 2 and all(q.category.path == "新分类/子类" for q in tagged)
    assert len(db.session.scalars(question_query(bank, QuestionFilter())).all()) == 2


def test_bulk_ready_refuses_the_whole_batch_when_one_lacks_a_key(bank):
    keyed, draft = add(bank, "有答案"), add(bank, "没答案", answer=None)
    set_status(keyed, "draft")
    with pytest.raises(DomainError):
        apply_bulk(bank, "ready", [keyed.id, draft.id], "", actor=None)


def test_bulk_actions_ignore_questions_of_other_banks(bank):
    other = ensure_bank("别的题库")
    db.session.flush()
    foreign = add(other, "别人的题")
    assert apply_bulk(bank, "delete", [foreign.id], "", actor=None) == 0
    assert foreign.status != "archived"


def test_bank_summaries_count_in_one_query(bank, count_queries):
    add(bank, "有答案")
    add(bank, "没答案", answer=None)
    db.session.commit()
    with count_queries() as counter:
        summaries = bank_summaries()
    assert counter.count <= 2
    summary = next(s for s in summaries if s.bank.id == bank.id)
    assert (summary.total, summary.ready, summary.needs_key) == (2, 1, 1)
    assert db.session.scalar(select(func.count(QuestionVersion.id))) == 2
