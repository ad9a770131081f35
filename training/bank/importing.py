"""Import preview and commit: what the trainer sees before anything is written, then one write.

The preview attaches every problem to the question whose source lines contain it, flags
duplicates against the bank and within the file, and says what still blocks the commit. The
commit re-checks the same preview, so a stale browser page can never slip an error through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from question_bank.dedupe import duplicate_groups, find_duplicates, fingerprint
from question_bank.formats import detect_format, parse
from question_bank.formats.encoding import decode_text
from question_bank.model import ImportResult, Problem
from question_bank.model import Question as PlainQuestion
from training.audit.services import record
from training.bank.models import Question, QuestionBank, QuestionStatus, QuestionVersion
from training.bank.services import CATEGORY_SEPARATOR, CategoryCache, add_questions
from training.database import db
from training.errors import DomainError
from training.i18n import translate_pure
from training.imports.checks import UploadRefused, check_upload
from training.imports.models import StagedUpload
from training.imports.services import stage_upload
from training.imports.snapshot import freeze, thaw

if TYPE_CHECKING:  # people imports the staged uploads: no import cycle at run time
    from training.people.models import User

EXACT = 100.0
UPLOAD_KIND = "question-import"


@dataclass
class Duplicate:
    """A question this one repeats: an existing bank question (id) or an earlier one in the file."""

    score: float
    question_id: int | None = None
    file_index: int | None = None

    @property
    def exact(self) -> bool:
        return self.score >= EXACT


@dataclass
class PreviewItem:
    index: int
    question: PlainQuestion
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def exact_duplicate(self) -> bool:
        return any(d.exact for d in self.duplicates)


@dataclass
class ImportPreview:
    """The parse result arranged for review: per-question problems plus unattached ones."""

    result: ImportResult
    items: list[PreviewItem]
    unattached: list[Problem]

    @property
    def suggested_exclusions(self) -> set[int]:
        """Exact repeats are left out unless the trainer keeps them."""
        return {item.index for item in self.items if item.exact_duplicate}

    def blocking(self, excluded: Iterable[int], skip_unattached: bool = False) -> list[Problem]:
        """The errors that still forbid the commit once `excluded` questions are left out."""
        left_out = set(excluded)
        errors = [p for p in self.unattached if p.severity == "error" and not skip_unattached]
        for item in self.items:
            if item.index not in left_out:
                errors.extend(p for p in item.problems if p.severity == "error")
        return errors

    def chosen(self, excluded: Iterable[int]) -> list[PlainQuestion]:
        left_out = set(excluded)
        return [item.question for item in self.items if item.index not in left_out]


def read_paper(data: bytes, filename: str, format_name: str = "auto") -> ImportResult:
    """What the importer understands of a file, or UploadRefused when it cannot take it at all:
    unreadable, too large, more questions than one import may hold, or no question in it."""
    check_upload(data, filename)
    result = parse(data, filename, format_name)
    limit = current_app.config["IMPORT_MAX_QUESTIONS"]
    if len(result.questions) > limit:
        raise UploadRefused(_(
            "「%(name)s」有 %(n)d 道题，超过每次导入 %(limit)d 道的上限，请拆分后分批导入。",
            name=filename, n=len(result.questions), limit=limit,
        ))
    if not result.questions and not any(problem.line for problem in result.problems):
        raise UploadRefused(_(
            "「%(name)s」中没有识别出任何题目，请对照导入说明检查题号和选项的写法，或改用 Excel 模板。",
            name=filename,
        ))
    return result


def refusal_result(
    data: bytes, filename: str, format_name: str, refused: UploadRefused
) -> ImportResult:
    """A refused file in the CLI's contract shape: no question, the reason as its one error."""
    if format_name == "auto":  # the head tells the format; the whole file may be huge
        format_name = detect_format(data[:4096], filename)
    return ImportResult(format_name, problems=[Problem(None, "error", refused.message)])


def stage_paper(filename: str, data: bytes, format_name: str, user: User) -> StagedUpload:
    """Parse an uploaded paper once and keep it, with what was understood, for its preview."""
    result = read_paper(data, filename, format_name)
    return stage_upload(UPLOAD_KIND, filename, data, freeze(result), user)


def staged_result(staged: StagedUpload) -> ImportResult:
    return thaw(ImportResult, staged.parsed)


def build_preview(result: ImportResult, bank: QuestionBank | None) -> ImportPreview:
    """Arrange a parse result for review against the bank it will go into."""
    items = [PreviewItem(i, q) for i, q in enumerate(result.questions)]
    unattached = _attach_problems(items, result.problems)
    _flag_file_repeats(items)
    if bank is not None and bank.id is not None:
        _flag_bank_duplicates(items, bank)
    return ImportPreview(result, items, unattached)


def _attach_problems(items: list[PreviewItem], problems: list[Problem]) -> list[Problem]:
    """Give each problem to the question whose lines contain it; return the rest."""
    starts = [(item.question.source.line, item) for item in items if item.question.source.line]
    starts.sort(key=lambda pair: pair[0])
    unattached: list[Problem] = []
    for problem in problems:
        owner = _owner_of(problem.line, starts)
        (owner.problems if owner else unattached).append(problem)
    return unattached


def _owner_of(line: int | None, starts: list[tuple[int, PreviewItem]]) -> PreviewItem | None:
    if line is None:
        return None
    owner = None
    for start, item in starts:
        if start > line:
            break
        owner = item
    return owner


def _flag_file_repeats(items: list[PreviewItem]) -> None:
    """Later copies of a question the file already holds (papers are often pasted twice)."""
    for group in duplicate_groups([item.question for item in items], threshold=EXACT):
        for index in group[1:]:
            items[index].duplicates.append(Duplicate(EXACT, file_index=group[0]))


def _flag_bank_duplicates(items: list[PreviewItem], bank: QuestionBank) -> None:
    existing = existing_fingerprints(bank)
    if not existing:
        return
    hits = find_duplicates([item.question for item in items], existing)
    for index, matches in hits.items():
        items[index].duplicates.extend(Duplicate(score, question_id=qid) for qid, score in matches)


def existing_fingerprints(bank: QuestionBank) -> list[tuple[int, str]]:
    """(question id, fingerprint of the current version) of every live question of the bank."""
    rows = db.session.execute(
        select(Question.id, QuestionVersion.stem, QuestionVersion.options)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank.id, Question.status != QuestionStatus.ARCHIVED)
    )
    return [(qid, fingerprint(stem, [o["text"] for o in options or []])) for qid, stem, options in rows]


def target_path(base: str | None, question: PlainQuestion, by_section: bool) -> str | None:
    """The category a question lands in: the chosen one, then the file's own grouping."""
    own = question.category or (question.section if by_section else None)
    parts = [p for p in ((base or "").strip(CATEGORY_SEPARATOR + " "), own) if p]
    return CATEGORY_SEPARATOR.join(parts) or None


def commit_import(
    bank: QuestionBank,
    result: ImportResult,
    *,
    excluded: Iterable[int] = (),
    skip_unattached: bool = False,
    category: str | None = None,
    by_section: bool = True,
    actor: Any = None,
) -> list[Question]:
    """Write the chosen questions in one go, or nothing when an error is still unresolved."""
    preview = build_preview(result, bank)
    blocking = preview.blocking(excluded, skip_unattached)
    if blocking:
        raise DomainError(describe_blocking(blocking))
    chosen = preview.chosen(excluded)
    if not chosen:
        raise DomainError(_("没有可导入的题目"))
    categories = CategoryCache(bank)
    placed = [(q, categories.get(target_path(category, q, by_section))) for q in chosen]
    questions = add_questions(bank, placed, actor=actor)
    record(actor, "bank.imported", bank, count=len(questions), format=result.format,
           file=_source_file(chosen))
    return questions


def describe_blocking(problems: list[Problem]) -> str:
    """One message naming the first few unresolved errors by line."""
    shown = "；".join(
        (_("第 %(line)d 行", line=p.line) + ": " if p.line else "") + translate_pure(p.message)
        for p in problems[:3]
    )
    more = _("等 %(n)d 个错误", n=len(problems)) if len(problems) > 3 else ""
    return _("仍有未解决的错误，未导入任何题目：") + shown + more


def _source_file(questions: list[PlainQuestion]) -> str | None:
    return next((q.source.file for q in questions if q.source.file), None)


_TEXT_FORMATS = frozenset({"cn-text", "gift", "aiken", "moodle-xml", "csv"})


def source_lines(data: bytes, preview: ImportPreview) -> list[str]:
    """The decoded source, so the preview can quote the lines its problems point at."""
    if preview.result.format not in _TEXT_FORMATS:
        return []
    return decode_text(data).text.splitlines()
