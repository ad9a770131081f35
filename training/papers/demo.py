"""Demo papers from the demo bank: the 004 mock exam as a fixed paper, and a rule-based quiz."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from training.bank.demo import DEMO_BANK
from training.bank.models import Question, QuestionBank, QuestionStatus, QuestionVersion
from training.database import db
from training.demo.loader import DemoReport
from training.papers.models import Paper
from training.papers.services import (
    SectionValues,
    add_questions,
    add_section,
    create_paper,
    load_pool,
    update_section,
)

DEMO_FIXED = "客户服务管理模拟试卷（004）"
DEMO_RULES = "客服综合能力测验"
MOCK_EXAM_SOURCE = "004"
# (type, section title, questions wanted, points each); counts shrink to what the bank holds.
RULE_PLAN = (
    ("single", "单项选择题", 10, 2.0),
    ("multiple", "多项选择题", 5, 4.0),
    ("true_false", "判断题", 5, 2.0),
)


def load_demo_papers(report: DemoReport) -> None:
    """Create each demo paper once; a paper with the same title is left alone."""
    bank = db.session.scalar(select(QuestionBank).filter_by(name=DEMO_BANK))
    if bank is None:
        report.lines.append(f"未找到题库「{DEMO_BANK}」，未创建示例试卷")
        return
    existing = set(db.session.scalars(
        select(Paper.title).where(Paper.title.in_([DEMO_FIXED, DEMO_RULES]))
    ))
    for title, build in ((DEMO_FIXED, _mock_exam), (DEMO_RULES, _rule_quiz)):
        if title in existing:
            report.lines.append(f"试卷「{title}」已存在，未重复创建")
        else:
            report.lines.append(build(bank))


def _mock_exam(bank: QuestionBank) -> str:
    """The 004 mock exam as printed: its questions in source order, one section per 大题."""
    questions = db.session.scalars(
        select(Question).join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.bank_id == bank.id, Question.status != QuestionStatus.ARCHIVED,
               QuestionVersion.source_file.startswith(MOCK_EXAM_SOURCE))
        .order_by(QuestionVersion.source_line, Question.id)
    ).all()
    groups: dict[str, list[Question]] = {}
    for question in questions:
        groups.setdefault(question.category.name if question.category else "试题", []).append(question)
    paper = create_paper(DEMO_FIXED, "《客户服务管理》模拟试题（含答案），按原卷顺序组卷。",
                         "fixed", bank, actor=None)
    for index, (title, members) in enumerate(groups.items()):
        if index == 0:
            section = paper.sections[0]
            update_section(section, SectionValues(title=title), actor=None)
        else:
            section = add_section(paper, SectionValues(title=title), actor=None)
        add_questions(section, members, actor=None)
    return f"试卷「{DEMO_FIXED}」：{len(questions)} 题，{len(groups)} 个部分"


def _rule_quiz(bank: QuestionBank) -> str:
    """A quiz drawn anew for every attempt, asking only as much as the bank can give."""
    available = Counter(c.type for c in load_pool(bank.id, formal=True).candidates)
    paper = create_paper(DEMO_RULES, "每次考试从题库中随机抽题：单选、多选和判断。", "rules", bank,
                         actor=None)
    for qtype, title, wanted, points in RULE_PLAN:
        count = min(wanted, available[qtype])
        if count:
            add_section(paper, SectionValues(title=title, type=qtype, count=count,
                                             points_each=points), actor=None)
    total = sum(s.count for s in paper.sections)
    return f"试卷「{DEMO_RULES}」：每次抽 {total} 题"
