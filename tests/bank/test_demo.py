"""The bundled demo bank: the seed papers through the importer, once, fully keyed."""

from __future__ import annotations

from sqlalchemy import func, select

from question_bank.dedupe import normalise_stem
from training.bank.demo import DEMO_BANK
from training.bank.models import Category, Question, QuestionBank, QuestionVersion
from training.database import db
from training.demo.loader import load_demo


def demo_questions() -> list[tuple[Question, QuestionVersion]]:
    bank = db.session.scalar(select(QuestionBank).filter_by(name=DEMO_BANK))
    return db.session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank.id)
    ).all()


def test_demo_bank_holds_each_seed_question_once_and_keyed(app):
    load_demo("demo-password-1")
    rows = demo_questions()
    assert len(rows) == 40  # 36 from the 004 mock exam (once), 4 worked examples from 000
    stems = [normalise_stem(version.stem) for _, version in rows]
    assert len(set(stems)) == len(stems), "the 004 paper appears three times in the seeds"
    assert not [version.stem for question, version in rows if question.needs_key]
    assert all(version.explanation for question, version in rows if version.source_file
               and version.source_file.startswith("004"))
    categories = db.session.scalars(select(Category.path)).all()
    assert any("单项选择" in path for path in categories)


def test_loading_the_demo_twice_adds_nothing(app):
    load_demo("demo-password-1")
    before = db.session.scalar(select(func.count(Question.id)))
    load_demo("demo-password-1")
    assert db.session.scalar(select(func.count(Question.id))) == before
