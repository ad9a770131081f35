"""Read-only queries of papers: the list page, a fixed paper's items, menus; each a round trip or two."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload

from training.bank.models import Question, QuestionBank
from training.database import db
from training.papers.models import Paper, PaperItem, PaperSection


def paper_query(search: str = "", kind: str | None = None) -> Select[tuple[Paper]]:
    """Papers whose title contains `search`, newest change first, with their banks."""
    stmt = select(Paper).options(joinedload(Paper.bank))
    if search:
        stmt = stmt.where(Paper.title.contains(search, autoescape=True))
    if kind:
        stmt = stmt.where(Paper.kind == kind)
    return stmt.order_by(Paper.updated_at.desc(), Paper.id.desc())


def paper_counts(paper_ids: list[int]) -> dict[int, tuple[int, float]]:
    """(questions, points) of each paper, in two grouped queries for a whole list page."""
    counts: dict[int, tuple[int, float]] = {}
    if not paper_ids:
        return counts
    for paper_id, questions, points in db.session.execute(
        select(PaperSection.paper_id, func.sum(PaperSection.count),
               func.sum(PaperSection.count * PaperSection.points_each))
        .join(Paper).where(Paper.id.in_(paper_ids), Paper.kind == "rules")
        .group_by(PaperSection.paper_id)
    ):
        counts[paper_id] = (int(questions or 0), float(points or 0))
    for paper_id, questions, points in db.session.execute(
        select(PaperSection.paper_id, func.count(PaperItem.id), func.sum(PaperItem.points))
        .join(PaperItem.section).where(PaperSection.paper_id.in_(paper_ids))
        .group_by(PaperSection.paper_id)
    ):
        counts[paper_id] = (int(questions), float(points or 0))
    return counts


def items_of(paper: Paper) -> list[PaperItem]:
    """A fixed paper's items in paper order, their questions and current versions loaded."""
    return list(db.session.scalars(
        select(PaperItem).join(PaperItem.section).where(PaperSection.paper_id == paper.id)
        .order_by(PaperSection.ordinal, PaperItem.ordinal)
        .options(contains_eager(PaperItem.section),
                 joinedload(PaperItem.question).joinedload(Question.current_version))
    ).unique())


def items_by_section(paper: Paper) -> dict[int, list[PaperItem]]:
    """The builder's view of a fixed paper: each section's items, loaded in one query."""
    grouped: dict[int, list[PaperItem]] = {s.id: [] for s in paper.sections}
    for item in items_of(paper):
        grouped[item.paper_section_id].append(item)
    return grouped


def all_banks() -> list[QuestionBank]:
    return list(db.session.scalars(select(QuestionBank).order_by(QuestionBank.name)))
