"""Rules and writes for papers: building them, checking them, drawing them. Services flush; views commit.

`draw_for_attempt` is what exams call: it turns a paper and a seed into the questions (as
versions) and points of one attempt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select, select, update

from question_bank import assembly
from question_bank.assembly import Candidate, Shortfall, ShortfallError
from question_bank.model import Question as PlainQuestion
from training.audit.services import record
from training.bank.models import (
    Category,
    Question,
    QuestionBank,
    QuestionKnowledgePoint,
    QuestionStatus,
    QuestionTag,
    QuestionVersion,
)
from training.database import db, utcnow
from training.errors import DomainError
from training.papers.models import KINDS, Paper, PaperItem, PaperSection
from training.papers.queries import items_of

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")
PaperUsers = Callable[[int], list[str]]
PAPER_USERS: list[PaperUsers] = []
"""Features built on papers (exams) register here what uses a paper, as titles; papers never
import them, so the dependency runs one way."""

STEM_PREVIEW = 30


@dataclass(frozen=True)
class DrawnItem:
    """One question of an attempt: the version shown, what it is worth, the section it sits in."""

    question_id: int
    version_id: int
    points: float
    section_title: str


@dataclass
class SectionValues:
    """A section's title and, for rule papers, what it draws."""

    title: str
    type: str | None = None
    count: int = 0
    points_each: float = 1.0
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    knowledge_points: list[str] = field(default_factory=list)
    difficulty_min: int = assembly.DIFFICULTY_RANGE[0]
    difficulty_max: int = assembly.DIFFICULTY_RANGE[1]


def _touch(paper: Paper, actor: Any, change: str, **details: Any) -> None:
    """Note a change of the paper's content: its date moves and the audit log names the actor."""
    paper.updated_at = utcnow()
    record(actor, "paper.updated", paper, change=change, **details)


def _hold(paper: Paper) -> None:
    """Lock the paper before reading what it holds, so two trainers adding at the same moment
    add one after the other and the second skips what the first added.

    The lock is a write (its date moves anyway): PostgreSQL locks the row, SQLite takes its
    write lock, and either holds it to the commit.
    """
    db.session.execute(update(Paper).where(Paper.id == paper.id).values(updated_at=utcnow()))


def create_paper(
    title: str, description: str, kind: str, bank: QuestionBank | None, *, actor: Any
) -> Paper:
    """A new paper; rule papers draw from one bank, so they need it from the start."""
    if kind not in KINDS:
        raise DomainError(_("未知的试卷类型"))
    if kind == "rules" and bank is None:
        raise DomainError(_("按规则抽题的试卷需要选择题库"))
    if not title.strip():
        raise DomainError(_("试卷名称不能为空"))
    paper = Paper(title=title.strip(), description=description.strip(), kind=kind,
                  bank=bank, created_by_id=getattr(actor, "id", None))
    if kind == "fixed":
        paper.sections.append(PaperSection(ordinal=1, title=_("第一部分")))
    db.session.add(paper)
    record(actor, "paper.created", paper, title=paper.title, kind=kind)
    return paper


def update_paper(
    paper: Paper, title: str, description: str, bank: QuestionBank | None, *, actor: Any
) -> None:
    if not title.strip():
        raise DomainError(_("试卷名称不能为空"))
    if paper.kind == "rules" and bank is None:
        raise DomainError(_("按规则抽题的试卷需要选择题库"))
    paper.title, paper.description, paper.bank = title.strip(), description.strip(), bank
    _touch(paper, actor, "details")


def delete_paper(paper: Paper, *, actor: Any) -> None:
    """Delete a paper no exam is built on; its sections and items go with it.

    A paper an exam uses stays: its attempts were drawn from it and regrading reads it again.
    """
    users = [title for find in PAPER_USERS for title in find(paper.id)]
    if users:
        raise DomainError(_("试卷正被 %(n)d 场考试使用，不能删除：%(titles)s",
                            n=len(users), titles="、".join(users)))
    record(actor, "paper.deleted", paper, title=paper.title)
    db.session.delete(paper)


def _check_section(values: SectionValues, rules: bool) -> None:
    if not values.title.strip():
        raise DomainError(_("请填写部分名称"))
    if not rules:
        return
    if values.count < 1:
        raise DomainError(_("题目数量至少为 1"))
    if values.points_each <= 0:
        raise DomainError(_("每题分值必须大于 0"))
    low, high = assembly.DIFFICULTY_RANGE
    if not low <= values.difficulty_min <= values.difficulty_max <= high:
        raise DomainError(_("难度范围应在 1 到 5 之间，且下限不大于上限"))


def _apply_section(section: PaperSection, values: SectionValues, rules: bool) -> None:
    section.title = values.title.strip()
    if rules:
        section.type = values.type or None
        section.count = values.count
        section.points_each = float(values.points_each)
        section.categories = list(dict.fromkeys(values.categories))
        section.tags = list(dict.fromkeys(values.tags))
        section.knowledge_points = list(dict.fromkeys(values.knowledge_points))
        section.difficulty_min, section.difficulty_max = values.difficulty_min, values.difficulty_max


def add_section(paper: Paper, values: SectionValues, *, actor: Any) -> PaperSection:
    """Append a section at the end of the paper."""
    _check_section(values, paper.kind == "rules")
    section = PaperSection(ordinal=max((s.ordinal for s in paper.sections), default=0) + 1)
    _apply_section(section, values, paper.kind == "rules")
    paper.sections.append(section)
    _touch(paper, actor, "section_added", title=section.title)
    return section


def update_section(section: PaperSection, values: SectionValues, *, actor: Any) -> None:
    _check_section(values, section.paper.kind == "rules")
    _apply_section(section, values, section.paper.kind == "rules")
    _touch(section.paper, actor, "section_updated", title=section.title)


def remove_section(section: PaperSection, *, actor: Any) -> None:
    """Delete a section with its questions; a fixed paper keeps one to put questions in."""
    paper = section.paper
    if paper.is_fixed and len(paper.sections) == 1:
        raise DomainError(_("试卷至少保留一个部分"))
    paper.sections.remove(section)
    _renumber(paper.sections)
    _touch(paper, actor, "section_removed", title=section.title)


def _renumber(rows: list[Any]) -> None:
    for ordinal, row in enumerate(sorted(rows, key=lambda r: r.ordinal), start=1):
        row.ordinal = ordinal


def _swap(rows: list[Any], row: Any, offset: int) -> bool:
    """Exchange `row` with its neighbour `offset` places away; False at either end."""
    ordered = sorted(rows, key=lambda r: r.ordinal)
    index = ordered.index(row)
    other = index + offset
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for ordinal, each in enumerate(ordered, start=1):
        each.ordinal = ordinal
    return True


def move_section(section: PaperSection, offset: int, *, actor: Any) -> None:
    if _swap(section.paper.sections, section, offset):
        _touch(section.paper, actor, "section_moved", title=section.title)


def add_questions(section: PaperSection, questions: list[Question], *, actor: Any) -> int:
    """Append questions to a fixed paper's section at their own points; returns how many.

    A question already anywhere in the paper, or deleted from its bank, is skipped: a paper
    never shows one question twice.
    """
    paper = section.paper
    if not paper.is_fixed:
        raise DomainError(_("按规则抽题的试卷不能手动添加题目"))
    _hold(paper)
    present = set(db.session.scalars(
        select(PaperItem.question_id).join(PaperSection).where(PaperSection.paper_id == paper.id)
    ))
    ordinal = max((i.ordinal for i in section.items), default=0)
    points = {version_id: value for version_id, value in db.session.execute(
        select(QuestionVersion.id, QuestionVersion.points)
        .where(QuestionVersion.id.in_([q.current_version_id for q in questions]))
    )}
    added = 0
    for question in questions:
        if question.id in present or question.status == QuestionStatus.ARCHIVED:
            continue
        ordinal += 1
        section.items.append(PaperItem(  # a bank question always has a current version
            ordinal=ordinal, question_id=question.id,
            points=points[question.current_version_id],  # type: ignore[index]
        ))
        present.add(question.id)
        added += 1
    if added:
        _touch(paper, actor, "questions_added", count=added)
    return added


def change_items(
    paper: Paper,
    points: dict[int, float],
    *,
    move: tuple[int, int] | None = None,
    remove: int | None = None,
    actor: Any,
) -> None:
    """Save the builder's points, then move one item up/down or remove it.

    One form carries every item's points and the row buttons, so a trainer who typed points
    and then reorders keeps what was typed.
    """
    items = {item.id: item for item in items_of(paper)}
    for item_id, value in points.items():
        if item_id in items and value <= 0:
            raise DomainError(_("分值必须大于 0"))
        if item_id in items:
            items[item_id].points = value
    if move and move[0] in items:
        item = items[move[0]]
        _swap(item.section.items, item, move[1])
    if remove in items:
        item = items[remove]
        siblings = item.section.items
        siblings.remove(item)
        _renumber(siblings)
    _touch(paper, actor, "items_changed")


@dataclass
class Pool:
    """The questions a rule paper may draw, and each one's current version."""

    candidates: list[Candidate]
    versions: dict[int, int]


def _pool_filter(stmt: SelectT, bank_id: int, formal: bool) -> SelectT:
    stmt = stmt.where(Question.bank_id == bank_id, Question.status == QuestionStatus.READY)
    return stmt.where(Question.needs_key.is_(False)) if formal else stmt


def _labels(model: type[QuestionTag] | type[QuestionKnowledgePoint], bank_id: int,
            formal: bool) -> dict[int, frozenset[str]]:
    ids = _pool_filter(select(Question.id), bank_id, formal)
    names: dict[int, set[str]] = defaultdict(set)
    for question_id, name in db.session.execute(
        select(model.question_id, model.name).where(model.question_id.in_(ids))
    ):
        names[question_id].add(name)
    return {question_id: frozenset(values) for question_id, values in names.items()}


# Pools already read in this block of `pools_reused` (None outside one), by load_pool's arguments.
_REUSED_POOLS: ContextVar[dict[tuple, Pool] | None] = ContextVar("reused_pools", default=None)


@contextmanager
def pools_reused() -> Iterator[None]:
    """Within the block, draws from one bank read its pool once: preparing an exam's draws
    ahead (`training.exams.predraw`) draws thousands from a bank that does not change meanwhile,
    and reading the pool is most of a draw's cost."""
    token = _REUSED_POOLS.set({})
    try:
        yield
    finally:
        _REUSED_POOLS.reset(token)


def load_pool(
    bank_id: int, formal: bool, *, tags: bool = True, knowledge_points: bool = True
) -> Pool:
    """The bank's questions a rule paper may draw: ready ones, and keyed ones for formal exams.

    At most three queries whatever the bank's size: the questions, then their tags and knowledge
    points unless the caller's rules do not filter on them (each exam start draws a pool).
    """
    reused = _REUSED_POOLS.get()
    if reused is None:
        return _read_pool(bank_id, formal, tags, knowledge_points)
    key = (bank_id, formal, tags, knowledge_points)
    if key not in reused:
        reused[key] = _read_pool(*key)
    return reused[key]


def _read_pool(bank_id: int, formal: bool, tags: bool, knowledge_points: bool) -> Pool:
    rows = db.session.execute(_pool_filter(
        select(Question.id, Question.type, Question.difficulty, Category.path,
               QuestionVersion.points, QuestionVersion.id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .outerjoin(Category, Category.id == Question.category_id),
        bank_id, formal,
    ).order_by(Question.id)).all()
    tags_of = _labels(QuestionTag, bank_id, formal) if tags else {}
    points_of = _labels(QuestionKnowledgePoint, bank_id, formal) if knowledge_points else {}
    empty: frozenset[str] = frozenset()
    return Pool(
        candidates=[
            Candidate(id=qid, type=qtype, difficulty=difficulty, category_path=path,
                      tags=tags_of.get(qid, empty), knowledge_points=points_of.get(qid, empty),
                      points=value)
            for qid, qtype, difficulty, path, value, _version in rows
        ],
        versions={qid: version for qid, *_rest, version in rows},
    )


def _rules(paper: Paper) -> list[assembly.SectionRule]:
    return [s.to_rule() for s in sorted(paper.sections, key=lambda s: s.ordinal)]


def shortfall_message(shortfall: Shortfall) -> str:
    """'第 2 部分 多选题：需要 10 道，题库中只有 7 道符合条件的可用题目，还差 3 道'."""
    values = {"n": shortfall.section_index + 1, "title": shortfall.title,
              "needed": shortfall.needed, "available": shortfall.available,
              "missing": shortfall.missing}
    if shortfall.eligible > shortfall.available:
        return _("第 %(n)d 部分 %(title)s：需要 %(needed)d 道，题库中只有 %(available)d 道符合条件的"
                 "可用题目（另有 %(claimed)d 道已被前面的部分选用），还差 %(missing)d 道",
                 claimed=shortfall.eligible - shortfall.available, **values)
    return _("第 %(n)d 部分 %(title)s：需要 %(needed)d 道，题库中只有 %(available)d 道符合条件的"
             "可用题目，还差 %(missing)d 道", **values)


def _rule_problems(paper: Paper, pool: Pool | None) -> list[str]:
    if paper.bank_id is None or pool is None:
        return [_("按规则抽题的试卷需要选择题库")]
    if not paper.sections:
        return [_("试卷还没有任何部分，请先添加")]
    return [shortfall_message(s) for s in assembly.check_rules(_rules(paper), pool.candidates)]


@dataclass
class _FixedRow:
    section_title: str
    question_id: int
    points: float
    version_id: int | None
    status: str
    needs_key: bool
    stem: str
    difficulty: int


def _fixed_rows(paper: Paper) -> list[_FixedRow]:
    """A fixed paper's questions in order with what validation needs, in one query."""
    rows = db.session.execute(
        select(PaperSection.title, PaperItem.question_id, PaperItem.points,
               Question.current_version_id, Question.status, Question.needs_key,
               QuestionVersion.stem, Question.difficulty)
        .join(PaperItem.section).join(PaperItem.question)
        .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(PaperSection.paper_id == paper.id)
        .order_by(PaperSection.ordinal, PaperItem.ordinal)
    )
    return [_FixedRow(*row) for row in rows]


def _short(stem: str | None) -> str:
    stem = " ".join((stem or "").split())
    return stem if len(stem) <= STEM_PREVIEW else stem[:STEM_PREVIEW] + "…"


def _fixed_problems(rows: list[_FixedRow], formal: bool) -> list[str]:
    if not rows:
        return [_("试卷还没有题目")]
    problems = []
    for number, row in enumerate(rows, start=1):
        stem = _short(row.stem)
        if row.status == QuestionStatus.ARCHIVED or row.version_id is None:
            problems.append(_("第 %(n)d 题已从题库删除：%(stem)s", n=number, stem=stem))
        elif formal and row.needs_key:
            problems.append(_("第 %(n)d 题缺少答案，不能用于正式考试：%(stem)s", n=number, stem=stem))
        elif formal and row.status != QuestionStatus.READY:
            problems.append(_("第 %(n)d 题是草稿，不能用于正式考试：%(stem)s", n=number, stem=stem))
    return problems


def validate_paper(paper: Paper, formal: bool) -> list[str]:
    """Everything that stops this paper from being sat; empty when it can be used.

    Formal exams take only questions that are ready and keyed, so scores are never computed
    against a missing key; mock exams and practice accept drafts that have a key.
    """
    if paper.is_fixed:
        return _fixed_problems(_fixed_rows(paper), formal)
    pool = load_pool(paper.bank_id, formal) if paper.bank_id else None
    return _rule_problems(paper, pool)


def total_points(paper: Paper) -> float:
    """What the paper is worth in full."""
    if paper.is_fixed:
        return sum(row.points for row in _fixed_rows(paper))
    return assembly.total_points(_rules(paper))


@dataclass
class Assessment:
    """What the paper page shows: problems for formal and practice use, points, difficulty."""

    formal_problems: list[str]
    practice_problems: list[str]
    total_points: float
    expected_difficulty: float | None
    available: dict[int, int] = field(default_factory=dict)  # rule section id -> usable questions

    @property
    def formal_ready(self) -> bool:
        return not self.formal_problems

    @property
    def practice_ready(self) -> bool:
        return not self.practice_problems


def assess(paper: Paper) -> Assessment:
    """Validate for both uses and sum up the paper, loading each pool once."""
    if paper.is_fixed:
        rows = _fixed_rows(paper)
        difficulties = [row.difficulty for row in rows]
        return Assessment(
            _fixed_problems(rows, True), _fixed_problems(rows, False),
            sum(row.points for row in rows),
            sum(difficulties) / len(difficulties) if difficulties else None,
        )
    formal = load_pool(paper.bank_id, True) if paper.bank_id else None
    practice = load_pool(paper.bank_id, False) if paper.bank_id else None
    candidates = formal.candidates if formal else []
    rules = _rules(paper)
    return Assessment(
        _rule_problems(paper, formal), _rule_problems(paper, practice),
        assembly.total_points(rules), assembly.expected_difficulty(rules, candidates),
        _usable_per_section(paper, candidates),
    )


def _usable_per_section(paper: Paper, candidates: list[Candidate]) -> dict[int, int]:
    """How many questions each section can draw: its eligible ones, less those earlier
    sections claim when it falls short — the figure its shortfall warning names, so the badge
    and the warning never disagree."""
    sections = sorted(paper.sections, key=lambda s: s.ordinal)
    short = {s.section_index: s.available
             for s in assembly.check_rules(_rules(paper), candidates)}
    return {section.id: short.get(index, len(assembly.eligible(section.to_rule(), candidates)))
            for index, section in enumerate(sections)}


def section_shortfall(section: PaperSection) -> str | None:
    """Why a formal exam could not draw this rule section now (the bank lacks questions), or
    None when it can. A short section is still saved — the bank may be filled later, and the
    paper refuses to be used until then — but the trainer is told at once."""
    paper = section.paper
    if paper.is_fixed or paper.bank_id is None:
        return None
    index = sorted(paper.sections, key=lambda s: s.ordinal).index(section)
    shortfalls = assembly.check_rules(_rules(paper), load_pool(paper.bank_id, True).candidates)
    return next((shortfall_message(s) for s in shortfalls if s.section_index == index), None)


def draw_for_attempt(paper: Paper, seed: int, formal: bool) -> list[DrawnItem]:
    """The questions of one attempt, in paper order; the same for the same paper and seed.

    Fixed papers return their items as placed (shuffling, if any, is the exam's business);
    rule papers draw from the bank's ready questions (keyed ones when `formal`). Raises
    DomainError, naming what is missing, rather than returning a short paper.
    """
    if paper.is_fixed:
        rows = _fixed_rows(paper)
        problems = _fixed_problems(rows, formal)
        if problems:
            raise DomainError(_("试卷「%(title)s」不能使用：%(problems)s", title=paper.title,
                                problems="；".join(problems)))
        return [  # _fixed_problems refused any row without a version
            DrawnItem(r.question_id, r.version_id, r.points, r.section_title)  # type: ignore[arg-type]
            for r in rows
        ]
    rules = _rules(paper)
    pool = load_pool(
        paper.bank_id, formal, tags=any(rule.tags for rule in rules),
        knowledge_points=any(rule.knowledge_points for rule in rules),
    ) if paper.bank_id else None
    problems = _rule_problems(paper, pool)
    if problems:
        raise DomainError(_("试卷「%(title)s」不能使用：%(problems)s", title=paper.title,
                            problems="；".join(problems)))
    assert pool is not None  # _rule_problems names a rule paper without a bank
    try:
        drawn = assembly.draw(rules, pool.candidates, seed)
    except ShortfallError as error:  # the pool changed between the check and the draw
        raise DomainError("；".join(shortfall_message(s) for s in error.shortfalls)) from error
    return [
        DrawnItem(question_id, pool.versions[question_id], rule.points_each, section.title)
        for rule, section in zip(rules, drawn, strict=True)
        for question_id in section.question_ids
    ]


@dataclass
class SampleSection:
    title: str
    questions: list[PlainQuestion]


@dataclass
class SampleDraw:
    """A draw shown to the trainer, as the examinee would get it, with this paper's points."""

    formal: bool
    sections: list[SampleSection]

    @property
    def total_points(self) -> float:
        return sum(q.points for s in self.sections for q in s.questions)

    @property
    def count(self) -> int:
        return sum(len(s.questions) for s in self.sections)


def sample_draw(paper: Paper, seed: int) -> SampleDraw:
    """Draw as a formal exam would, or as practice when only practice is possible."""
    try:
        formal, items = True, draw_for_attempt(paper, seed, formal=True)
    except DomainError:
        formal, items = False, draw_for_attempt(paper, seed, formal=False)
    versions = {v.id: v for v in db.session.scalars(
        select(QuestionVersion).where(QuestionVersion.id.in_([i.version_id for i in items]))
    )}
    sections: list[SampleSection] = []
    for item in items:
        if not sections or sections[-1].title != item.section_title:
            sections.append(SampleSection(item.section_title, []))
        sections[-1].questions.append(replace(versions[item.version_id].to_plain(), points=item.points))
    return SampleDraw(formal, sections)
