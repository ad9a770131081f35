"""Rules and writes for banks, categories and questions. Services flush; the view commits."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from question_bank.model import Question as PlainQuestion
from question_bank.types import get_type, validate_question
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
from training.database import db
from training.errors import Conflict, DomainError, NotFound
from training.i18n import translate_pure

CATEGORY_SEPARATOR = "/"
_PATH_SPLIT = re.compile(r"\s*[/／>＞\\]\s*")


def normalise_text(text: str) -> str:
    """Full-width to half-width, lower case, no spaces: what search and dedupe compare."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def search_text_of(question: PlainQuestion) -> str:
    """Everything a trainer may search a question by: stem, case material and options."""
    parts = [question.case_material or "", question.stem] + [o.text for o in question.options]
    return normalise_text(" ".join(parts))


def ensure_bank(name: str, actor: Any = None) -> QuestionBank:
    """The bank with this name, created when missing."""
    name = name.strip()
    if not name:
        raise DomainError(_("题库名称不能为空"))
    bank = db.session.scalar(select(QuestionBank).filter_by(name=name))
    if bank is None:
        bank = QuestionBank(name=name, created_by_id=getattr(actor, "id", None))
        db.session.add(bank)
        record(actor, "bank.created", bank, name=name)
    return bank


def create_bank(name: str, description: str, *, actor: Any) -> QuestionBank:
    """A new, empty bank; names are unique so trainers can tell banks apart."""
    if db.session.scalar(select(QuestionBank.id).filter_by(name=name.strip())):
        raise Conflict(_("已有同名题库：%(name)s", name=name.strip()))
    bank = ensure_bank(name, actor)
    bank.description = description.strip()
    return bank


def get_bank(bank_id: int) -> QuestionBank:
    bank = db.session.get(QuestionBank, bank_id)
    if bank is None:
        raise NotFound(_("题库不存在"))
    return bank


def ensure_category(bank: QuestionBank, path: str | None) -> Category | None:
    """The category at `path` in `bank`, creating missing ancestors; None for no path."""
    names = [n for n in _PATH_SPLIT.split((path or "").strip()) if n]
    parent: Category | None = None
    for depth in range(1, len(names) + 1):
        full = CATEGORY_SEPARATOR.join(names[:depth])
        category = db.session.scalar(select(Category).filter_by(bank_id=bank.id, path=full))
        if category is None:
            category = Category(bank_id=bank.id, parent=parent, name=names[depth - 1], path=full)
            db.session.add(category)
            db.session.flush()
        parent = category
    return parent


class CategoryCache:
    """Categories of one bank by path, created on first use; an import asks thousands of times."""

    def __init__(self, bank: QuestionBank) -> None:
        self.bank = bank
        self._by_path: dict[str, Category | None] = {}

    def get(self, path: str | None) -> Category | None:
        key = (path or "").strip()
        if key not in self._by_path:
            self._by_path[key] = ensure_category(self.bank, key)
        return self._by_path[key]


def check_question(question: PlainQuestion) -> list[str]:
    """Human messages for everything that makes a question unusable as it stands."""
    return [translate_pure(p.message) for p in validate_question(question) if p.severity == "error"]


def _version_values(plain: PlainQuestion) -> dict[str, Any]:
    return {
        "type": plain.type,
        "stem": plain.stem,
        "case_material": plain.case_material,
        "options": [{"label": o.label, "text": o.text} for o in plain.options],
        "answer": plain.answer,
        "explanation": plain.explanation,
        "points": float(plain.points),
        "difficulty": int(plain.difficulty),
        "scoring_points": [
            {"phrase": p.phrase, "points": p.points, "synonyms": list(p.synonyms)}
            for p in plain.scoring_points
        ],
        "source_file": plain.source.file,
        "source_line": plain.source.line,
    }


def _sync_filters(question: Question, plain: PlainQuestion) -> None:
    """Mirror the current version into the question row's filter columns."""
    question.type = plain.type
    question.difficulty = int(plain.difficulty)
    question.needs_key = plain.needs_key or plain.key_to_confirm
    question.search_text = search_text_of(plain)
    if question.needs_key and question.status == QuestionStatus.READY:
        question.status = QuestionStatus.DRAFT


def _set_labels(question: Question, tags: list[str], knowledge_points: list[str]) -> None:
    question.tags = [QuestionTag(name=t) for t in dict.fromkeys(t.strip() for t in tags) if t]
    question.knowledge_points = [
        QuestionKnowledgePoint(name=k) for k in dict.fromkeys(k.strip() for k in knowledge_points) if k
    ]


def add_questions(
    bank: QuestionBank, placed: list[tuple[PlainQuestion, Category | None]], *, actor: Any = None
) -> list[Question]:
    """Store new questions with their first versions in one flush (imports of thousands).

    One without a key is a draft that cannot enter formal exams.
    """
    actor_id = getattr(actor, "id", None)
    questions = []
    for plain, category in placed:
        question = Question(
            bank_id=bank.id,
            category=category,
            status=QuestionStatus.DRAFT if plain.needs_key or plain.key_to_confirm else QuestionStatus.READY,
            created_by_id=actor_id,
        )
        _sync_filters(question, plain)
        _set_labels(question, plain.tags, plain.knowledge_points)
        version = QuestionVersion(number=1, created_by_id=actor_id, **_version_values(plain))
        version.question = question
        question.current_version = version
        questions.append(question)
    db.session.add_all(questions)
    db.session.flush()
    return questions


def add_question(
    bank: QuestionBank, plain: PlainQuestion, *, category: Category | None, actor: Any = None
) -> Question:
    """Create one question from the editor; refused while it has errors."""
    errors = check_question(plain)
    if errors:
        raise DomainError("；".join(errors))
    question = add_questions(bank, [(plain, category)], actor=actor)[0]
    record(actor, "question.created", question)
    return question


def update_question(question: Question, plain: PlainQuestion, *, actor: Any = None) -> QuestionVersion:
    """Change a question's content: in place while unused, as a new version once used.

    Attempts refer to versions, so a version an attempt has seen (`locked`) is never rewritten.
    """
    errors = check_question(plain)
    if errors:
        raise DomainError("；".join(errors))
    current = question.current_version
    values = _version_values(plain)
    if current is not None and not current.locked:
        for name, value in values.items():
            setattr(current, name, value)
        version = current
    else:
        number = (current.number if current else 0) + 1
        version = QuestionVersion(question_id=question.id, number=number,
                                  created_by_id=getattr(actor, "id", None), **values)
        db.session.add(version)
        db.session.flush()
        question.current_version_id = version.id
        question.current_version = version
    _sync_filters(question, plain)
    _set_labels(question, plain.tags, plain.knowledge_points)
    record(actor, "question.updated", question, version=version.number)
    return version


def save_question(
    bank: QuestionBank, question: Question | None, plain: PlainQuestion, status: str, *, actor: Any
) -> Question:
    """The editor's save: create or update, place in its category, then set the status."""
    category = ensure_category(bank, plain.category)
    if question is None:
        question = add_question(bank, plain, category=category, actor=actor)
    else:
        update_question(question, plain, actor=actor)
        question.category = category
    if status != question.status:
        set_status(question, status, actor=actor)
    return question


def set_status(question: Question, status: str, *, actor: Any = None) -> None:
    """Mark ready (usable in exams) or draft; a question without a key cannot be ready."""
    if status == QuestionStatus.READY and question.needs_key:
        raise DomainError(_("题目缺少答案，不能设为可用"))
    question.status = status
    record(actor, "question.status", question, status=status)


def plain_of(question: Question) -> PlainQuestion:
    """The current version with the question's category and labels, for export and editing."""
    assert question.current_version is not None  # every question is saved with a version
    plain = question.current_version.to_plain()
    plain.category = question.category.path if question.category else None
    plain.tags, plain.knowledge_points = question.tag_names, question.knowledge_point_names
    return plain


def key_question(question: Question, answer_text: str, *, actor: Any = None) -> None:
    """Give a draft the answer typed in keying mode ("B", "ABD", "对") and make it ready."""
    plain = plain_of(question)
    try:
        plain.answer = get_type(plain.type).parse_answer(answer_text)
    except ValueError as error:
        raise DomainError(_("答案: %(error)s", error=translate_pure(str(error)))) from error
    update_question(question, plain, actor=actor)
    question.status = QuestionStatus.READY


def get_question(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.status == QuestionStatus.ARCHIVED:
        raise NotFound(_("题目不存在"))
    return question


def bank_questions(bank: QuestionBank, ids: list[int]) -> list[Question]:
    """The bank's questions among `ids` (ids from another bank are ignored)."""
    if not ids:
        return []
    return list(db.session.scalars(
        select(Question).where(Question.bank_id == bank.id, Question.id.in_(ids))
    ))


def bulk_move(bank: QuestionBank, ids: list[int], category: Category | None, actor: Any) -> int:
    questions = bank_questions(bank, ids)
    for question in questions:
        question.category = category
    record(actor, "question.bulk_moved", bank, count=len(questions))
    return len(questions)


def bulk_tag(bank: QuestionBank, ids: list[int], tag: str, actor: Any) -> int:
    questions = bank_questions(bank, ids)
    for question in questions:
        if tag not in question.tag_names:
            question.tags.append(QuestionTag(name=tag))
    record(actor, "question.bulk_tagged", bank, count=len(questions), tag=tag)
    return len(questions)


def bulk_archive(bank: QuestionBank, ids: list[int], actor: Any) -> int:
    """Delete from the bank's lists; rows stay because attempts may refer to their versions."""
    count = db.session.execute(
        update(Question).where(Question.bank_id == bank.id, Question.id.in_(ids))
        .values(status=QuestionStatus.ARCHIVED)
    ).rowcount  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
    record(actor, "question.bulk_archived", bank, count=count)
    return count


def bulk_set_status(bank: QuestionBank, ids: list[int], status: str, actor: Any) -> int:
    """Mark several questions ready or draft; any that lacks a key stops the whole batch."""
    questions = bank_questions(bank, ids)
    for question in questions:
        set_status(question, status, actor=actor)
    return len(questions)


def apply_bulk(bank: QuestionBank, action: str, ids: list[int], value: str, *, actor: Any) -> int:
    """Run one of the list page's bulk actions on the chosen questions."""
    if action == "move":
        return bulk_move(bank, ids, ensure_category(bank, value), actor)
    if action == "tag":
        if not value.strip():
            raise DomainError(_("请填写标签"))
        return bulk_tag(bank, ids, value.strip(), actor)
    if action in ("ready", "draft"):
        return bulk_set_status(bank, ids, action, actor)
    if action == "delete":
        return bulk_archive(bank, ids, actor)
    raise DomainError(_("未知的批量操作"))


def mark_used(version_ids: list[int]) -> None:
    """Freeze versions an attempt has shown: later edits then create new versions.

    One UPDATE, which also refreshes versions already loaded in the session. Only still
    unlocked rows are written, so the starts of an exam day do not queue on the same rows.
    """
    if version_ids:
        db.session.execute(
            update(QuestionVersion)
            .where(QuestionVersion.id.in_(version_ids), QuestionVersion.locked.is_(False))
            .values(locked=True)
        )
