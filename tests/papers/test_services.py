"""Building papers, checking them for formal and practice use, and drawing them for attempts."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from question_bank.model import Option
from tests.papers.factories import fill, plain
from training.bank.models import Question, QuestionVersion
from training.bank.services import bulk_archive, ensure_bank, mark_used, update_question
from training.database import db
from training.errors import DomainError
from training.papers.models import Paper, PaperItem, PaperSection
from training.papers.queries import items_of
from training.papers.services import (
    DrawnItem,
    SectionValues,
    add_questions,
    add_section,
    assess,
    change_items,
    create_paper,
    draw_for_attempt,
    load_pool,
    move_section,
    pools_reused,
    remove_section,
    total_points,
    validate_paper,
)


@pytest.fixture
def bank(app):
    bank = ensure_bank("试卷测试题库")
    db.session.flush()
    return bank


def rules_paper(bank, *sections: SectionValues) -> Paper:
    paper = create_paper("规则试卷", "", "rules", bank, actor=None)
    for values in sections:
        add_section(paper, values, actor=None)
    return paper


def rule(title: str, qtype: str | None, count: int, points: float = 2.0, **filters) -> SectionValues:
    return SectionValues(title=title, type=qtype, count=count, points_each=points, **filters)


def test_a_fixed_paper_starts_with_one_section_and_a_rule_paper_needs_a_bank(bank):
    paper = create_paper("  模拟卷  ", "说明", "fixed", None, actor=None)
    assert paper.title == "模拟卷" and [s.title for s in paper.sections] == ["第一部分"]
    with pytest.raises(DomainError, match="需要选择题库"):
        create_paper("随机卷", "", "rules", None, actor=None)
    with pytest.raises(DomainError):
        create_paper("怪卷", "", "mixed", bank, actor=None)


def test_questions_are_added_once_at_their_own_points(bank):
    singles = fill(bank, "single", 3, points=2)
    paper = create_paper("固定卷", "", "fixed", bank, actor=None)
    second = add_section(paper, SectionValues("二、其他"), actor=None)
    assert add_questions(paper.sections[0], singles[:2], actor=None) == 2
    assert add_questions(second, singles, actor=None) == 1  # the first two are already in the paper
    bulk_archive(bank, [singles[2].id], actor=None)
    assert add_questions(second, singles, actor=None) == 0
    db.session.flush()
    assert [(i.section.title, i.question_id, i.points) for i in items_of(paper)] == [
        ("第一部分", singles[0].id, 2.0), ("第一部分", singles[1].id, 2.0), ("二、其他", singles[2].id, 2.0),
    ]


def test_rule_papers_take_no_hand_picked_questions(bank):
    paper = rules_paper(bank, rule("单选题", "single", 1))
    with pytest.raises(DomainError):
        add_questions(paper.sections[0], fill(bank, "single", 1), actor=None)


def test_the_builder_saves_points_moves_and_removes(bank):
    questions = fill(bank, "single", 3)
    paper = create_paper("固定卷", "", "fixed", bank, actor=None)
    add_questions(paper.sections[0], questions, actor=None)
    db.session.flush()
    first, second, third = items_of(paper)
    change_items(paper, {first.id: 5, second.id: 1.5}, move=(third.id, -1), actor=None)
    assert [i.question_id for i in items_of(paper)] == [questions[0].id, questions[2].id, questions[1].id]
    change_items(paper, {}, remove=first.id, actor=None)
    db.session.flush()
    assert [(i.ordinal, i.points) for i in items_of(paper)] == [(1, 1.0), (2, 1.5)]
    assert total_points(paper) == 2.5
    with pytest.raises(DomainError, match="分值必须大于 0"):
        change_items(paper, {second.id: 0}, actor=None)


def test_sections_move_and_a_fixed_paper_keeps_its_last_one(bank):
    paper = rules_paper(bank, rule("甲", "single", 1), rule("乙", "multiple", 1))
    move_section(paper.sections[1], -1, actor=None)
    assert [s.title for s in sorted(paper.sections, key=lambda s: s.ordinal)] == ["乙", "甲"]
    fixed = create_paper("固定卷", "", "fixed", bank, actor=None)
    with pytest.raises(DomainError, match="至少保留一个部分"):
        remove_section(fixed.sections[0], actor=None)


def test_rule_sections_refuse_impossible_values(bank):
    paper = rules_paper(bank)
    with pytest.raises(DomainError, match="至少为 1"):
        add_section(paper, rule("单选题", "single", 0), actor=None)
    with pytest.raises(DomainError, match="难度范围"):
        add_section(paper, rule("单选题", "single", 1, difficulty_min=4, difficulty_max=2), actor=None)


def test_formal_exams_refuse_drafts_and_unkeyed_questions_and_name_them(bank):
    ready = fill(bank, "single", 1, prefix="可用")
    draft = fill(bank, "single", 1, status="draft", prefix="草稿")
    unkeyed = fill(bank, "multiple", 1, keyed=False, prefix="无答案")
    paper = create_paper("固定卷", "", "fixed", bank, actor=None)
    add_questions(paper.sections[0], ready + draft + unkeyed, actor=None)
    problems = validate_paper(paper, formal=True)
    assert len(problems) == 2
    assert problems[0].startswith("第 2 题是草稿，不能用于正式考试：草稿第1题")
    assert problems[1].startswith("第 3 题缺少答案，不能用于正式考试：无答案第1题")
    assert validate_paper(paper, formal=False) == []
    with pytest.raises(DomainError, match="第 2 题是草稿"):
        draw_for_attempt(paper, seed=1, formal=True)
    assert len(draw_for_attempt(paper, seed=1, formal=False)) == 3


def test_deleted_questions_make_a_fixed_paper_unusable(bank):
    questions = fill(bank, "single", 2)
    paper = create_paper("固定卷", "", "fixed", bank, actor=None)
    add_questions(paper.sections[0], questions, actor=None)
    bulk_archive(bank, [questions[1].id], actor=None)
    [problem] = validate_paper(paper, formal=False)
    assert problem.startswith("第 2 题已从题库删除：single第2题")
    assert validate_paper(create_paper("空卷", "", "fixed", bank, actor=None), formal=False) == ["试卷还没有题目"]


def test_a_fixed_paper_is_drawn_in_order_with_its_points_and_current_versions(bank):
    questions = fill(bank, "single", 3)
    paper = create_paper("固定卷", "", "fixed", bank, actor=None)
    tail = add_section(paper, SectionValues("二、判断"), actor=None)
    add_questions(paper.sections[0], questions[:2], actor=None)
    add_questions(tail, questions[2:], actor=None)
    db.session.flush()
    change_items(paper, {items_of(paper)[2].id: 4}, actor=None)
    drawn = draw_for_attempt(paper, seed=99, formal=True)
    assert drawn == [
        DrawnItem(q.id, q.current_version_id, points, title)
        for q, points, title in zip(questions, [1.0, 1.0, 4.0], ["第一部分", "第一部分", "二、判断"], strict=True)
    ]
    assert draw_for_attempt(paper, seed=5, formal=True) == drawn  # the seed is the exam's to use


def test_shortfalls_say_which_section_lacks_how_many(bank):
    fill(bank, "single", 12)
    fill(bank, "multiple", 7)
    fill(bank, "multiple", 4, status="draft", prefix="草稿多选")
    paper = rules_paper(bank, rule("单选题", "single", 10), rule("多选题", "multiple", 10))
    expected = "第 2 部分 多选题：需要 10 道，题库中只有 7 道符合条件的可用题目，还差 3 道"
    assert validate_paper(paper, formal=True) == [expected]
    assert validate_paper(paper, formal=False) == [expected]  # drafts are never drawn
    with pytest.raises(DomainError, match="还差 3 道"):
        draw_for_attempt(paper, seed=1, formal=True)


def test_questions_taken_by_an_earlier_section_are_named_in_the_shortfall(bank):
    fill(bank, "single", 6, category="客户服务/投诉处理")
    paper = rules_paper(bank, rule("投诉", "single", 4, categories=["客户服务"]), rule("综合", None, 4))
    [message] = validate_paper(paper, formal=True)
    assert "只有 2 道符合条件的可用题目（另有 4 道已被前面的部分选用），还差 2 道" in message


def test_formal_pools_leave_out_unkeyed_questions_even_if_marked_ready(bank):
    fill(bank, "single", 2)
    [unkeyed] = fill(bank, "single", 1, keyed=False)
    unkeyed.status = "ready"  # legacy data: the bank itself never allows this
    paper = rules_paper(bank, rule("单选题", "single", 3))
    assert validate_paper(paper, formal=False) == []
    assert "还差 1 道" in validate_paper(paper, formal=True)[0]


def test_a_rule_paper_draws_the_same_questions_for_the_same_seed(bank):
    singles = fill(bank, "single", 30, category="客户服务/投诉处理")
    fill(bank, "single", 10, category="产品知识")
    fill(bank, "true_false", 10)
    paper = rules_paper(bank, rule("投诉单选", "single", 8, 3.0, categories=["客户服务"]),
                        rule("判断题", "true_false", 5, 1.0))
    first = draw_for_attempt(paper, seed=2026, formal=True)
    assert draw_for_attempt(paper, seed=2026, formal=True) == first
    assert draw_for_attempt(paper, seed=2027, formal=True) != first
    assert len({item.question_id for item in first}) == 13
    assert [item.section_title for item in first] == ["投诉单选"] * 8 + ["判断题"] * 5
    assert {item.points for item in first[:8]} == {3.0}
    complaint_ids = {q.id: q.current_version_id for q in singles}
    assert all(complaint_ids[item.question_id] == item.version_id for item in first[:8])


def test_draws_that_reuse_the_pool_read_it_once_and_draw_the_same(bank, count_queries):
    fill(bank, "single", 30)
    paper = rules_paper(bank, rule("单选", "single", 10))
    alone = [draw_for_attempt(paper, seed=seed, formal=True) for seed in range(5)]
    with count_queries() as reading, pools_reused():
        together = [draw_for_attempt(paper, seed=seed, formal=True) for seed in range(5)]
    assert together == alone
    assert sum("FROM question " in s and "JOIN question_version" in s
               for s in reading.statements) == 1


def test_a_used_question_is_drawn_in_its_newest_version(bank):
    [question] = fill(bank, "single", 1)
    old = question.current_version
    mark_used([old.id])
    revised = plain("single", "修订后的题干")
    revised.options = [Option("A", "甲"), Option("B", "乙")]
    update_question(question, revised)
    paper = rules_paper(bank, rule("单选题", "single", 1))
    [item] = draw_for_attempt(paper, seed=1, formal=True)
    assert item.version_id == question.current_version_id != old.id
    assert db.session.get(QuestionVersion, item.version_id).stem == "修订后的题干"


def test_tags_and_knowledge_points_narrow_the_pool(bank):
    fill(bank, "single", 3, tags=["高频"], knowledge_points=["首问负责"], prefix="高频")
    fill(bank, "single", 5, tags=["冷门"], prefix="冷门")
    paper = rules_paper(bank, rule("高频题", "single", 3, tags=["高频", "新规"], knowledge_points=["首问负责"]))
    drawn = draw_for_attempt(paper, seed=3, formal=True)
    stems = {v.question_id: v.stem for v in db.session.scalars(select(QuestionVersion))}
    assert all(stems[item.question_id].startswith("高频") for item in drawn)
    paper.sections[0].count = 4
    assert "还差 1 道" in validate_paper(paper, formal=True)[0]


def test_the_pool_is_three_queries_however_large_the_bank(bank, count_queries):
    fill(bank, "single", 5, tags=["甲"], knowledge_points=["乙"])
    db.session.flush()
    with count_queries() as small:
        assert len(load_pool(bank.id, formal=True).candidates) == 5
    fill(bank, "single", 80, tags=["甲", "丙"], knowledge_points=["乙"])
    db.session.flush()
    with count_queries() as large:
        pool = load_pool(bank.id, formal=True)
    assert large.count == small.count == 3
    assert pool.candidates[-1].tags == frozenset({"甲", "丙"})
    paper = rules_paper(bank, rule("单选题", "single", 50))
    db.session.flush()
    with count_queries() as drawing:
        assert len(draw_for_attempt(paper, seed=7, formal=True)) == 50
    assert drawing.count <= 4


def test_the_assessment_sums_points_and_expected_difficulty(bank):
    fill(bank, "single", 4, difficulty=2)
    fill(bank, "multiple", 4, difficulty=5)
    paper = rules_paper(bank, rule("单选题", "single", 3, 2.0), rule("多选题", "multiple", 1, 4.0))
    result = assess(paper)
    assert result.formal_ready and result.practice_ready
    assert result.total_points == 10.0
    assert result.expected_difficulty == pytest.approx((3 * 2 + 5) / 4)
    assert result.available == {paper.sections[0].id: 4, paper.sections[1].id: 4}
    fixed = create_paper("固定卷", "", "fixed", bank, actor=None)
    assert assess(fixed).expected_difficulty is None and not assess(fixed).practice_ready


def test_paper_items_are_unique_per_section_in_the_database(bank):
    [question] = fill(bank, "single", 1)
    paper = create_paper("固定卷", "", "fixed", bank, actor=None)
    db.session.flush()
    section = paper.sections[0]
    db.session.add_all([PaperItem(paper_section_id=section.id, ordinal=n, question_id=question.id)
                        for n in (1, 2)])
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_two_trainers_adding_one_question_at_once_put_it_in_the_paper_once(app, bank):
    """The second add waits for the first to commit, then skips what it added (no 500, no twin)."""
    [question] = fill(bank, "single", 1)
    paper = create_paper("固定卷", "", "fixed", bank, actor=None)
    add_section(paper, SectionValues("二、其他"), actor=None)
    db.session.commit()
    first_id, second_id = (section.id for section in paper.sections)
    first_added, commit_first = threading.Event(), threading.Event()
    added: dict[str, int] = {}
    errors: list[BaseException] = []

    def add(name: str, section_id: int, hold: bool) -> None:
        with app.app_context():
            try:
                section = db.session.get(PaperSection, section_id)
                added[name] = add_questions(section, [db.session.get(Question, question.id)],
                                            actor=None)
                db.session.flush()
                if hold:  # the first trainer's request is still running when the second's starts
                    first_added.set()
                    commit_first.wait(30)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
                first_added.set()
            finally:
                db.session.remove()

    first = threading.Thread(target=add, args=("first", first_id, True))
    first.start()
    first_added.wait(30)
    second = threading.Thread(target=add, args=("second", second_id, False))
    second.start()
    second.join(1.0)  # without the lock the second add would finish here, before the first commits
    commit_first.set()
    for thread in (first, second):
        thread.join(30)
    assert errors == []
    assert added == {"first": 1, "second": 0}
    assert [item.question_id for item in items_of(db.session.get(Paper, paper.id))] == [question.id]
