"""Link fixtures: the sample regulation (first edition) plus another one, and a way to link.

Questions and exams come from the exam tests' fixtures (five questions, one of each kind);
`bank` is the practice tests' small bank.

The regulation is tests/manuals/samples.py's 客户服务管理制度, whose second edition changes
第三条 (a3), drops 第四条 (a4) and leaves 第一条 and 第二条 as they were.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from tests.exams.conftest import drawn, make_exam, paper, questions  # noqa: F401  (fixtures)
from tests.exams.helpers import sit_exam
from tests.manuals.samples import EDITION_1, EDITION_2, OTHER, TITLE, parsed
from tests.practice.conftest import bank  # noqa: F401  (fixture)
from training.article_links.services import link_article
from training.bank.models import Question
from training.database import db
from training.exams.models import Attempt
from training.manuals.models import Manual, ManualEdition, ManualPart
from training.manuals.services import import_manuals

PRIVACY = "客户信息保密规定"


def article(title: str, anchor: str) -> ManualPart:
    """The current edition's article of a regulation."""
    return db.session.scalar(
        select(ManualPart)
        .join(ManualPart.edition)
        .join(ManualEdition.manual)
        .where(Manual.title == title, ManualPart.anchor == anchor, ManualEdition.is_current)
    )


@pytest.fixture
def library(app) -> None:
    import_manuals(parsed(EDITION_1), "v1.txt")
    import_manuals(parsed(OTHER), "other.txt")
    db.session.commit()


@pytest.fixture
def second_edition(library) -> Callable[[], None]:
    """Import the regulation's second edition (as a trainer would, through the importer)."""

    def load() -> None:
        import_manuals(parsed(EDITION_2), "v2.txt")
        db.session.commit()

    return load


@pytest.fixture
def link(library) -> Callable[[Question, str], None]:
    """link(question, 'a3') links to the main regulation; link(q, 'a1', PRIVACY) to another."""

    def do(question: Question, anchor: str, title: str = TITLE) -> None:
        link_article(question, article(title, anchor), actor=None)
        db.session.commit()

    return do


def sit(exam, user, responses: dict[Question, object]) -> Attempt:
    """One examinee answers and submits; objective answers are graded at once."""
    return sit_exam(exam, user, by_question={q.id: raw for q, raw in responses.items()})
