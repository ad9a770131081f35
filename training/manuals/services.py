"""Rules and writes for the manual library. Services flush; the caller commits.

Importing keeps every edition: a regulation imported again under the same title becomes a new
current edition (unless its content is unchanged), so diffs and old permalinks keep working.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, select
from sqlalchemy.exc import IntegrityError

from training.audit.services import record
from training.database import db, utcnow
from training.errors import Conflict, DomainError
from training.events import Event, publish
from training.manuals.models import Manual, ManualEdition, ManualPart, ReadConfirmation
from training.manuals.outline import OutlineRow, articles_with_text, content_hash, outline_rows
from training.manuals.parsing import Document, ManualParseResult
from training.manuals.search import tokenize
from training.people.models import User
from training.people.services import UserFilter, user_query

TITLE_LENGTH = 200  # Manual.title
# Slugs that would shadow the blueprint's own pages under /manuals/.
RESERVED_SLUGS = frozenset({"search", "import", "confirmations"})
_NOT_SLUG = re.compile(r"[^\w]+")
_DIFF_UNIT = re.compile(r"[0-9.%]+|[A-Za-z]+|\s+|.", re.DOTALL)

# Called with (manual, old, new) when an import replaces a manual's current edition, inside
# the import's transaction. Features holding references into manuals register here (the
# question links flag what the new edition changed), so the library needs to know none.
EDITION_REPLACED: list[Callable[[Manual, ManualEdition, ManualEdition], object]] = []


# --- reading -----------------------------------------------------------------------------


def manual_by_slug(slug: str) -> Manual | None:
    return db.session.scalar(select(Manual).filter_by(slug=slug))


def current_edition(manual: Manual) -> ManualEdition | None:
    return db.session.scalar(select(ManualEdition).filter_by(manual_id=manual.id, is_current=True))


def edition_by_version(manual: Manual, version: int) -> ManualEdition | None:
    return db.session.scalar(select(ManualEdition).filter_by(manual_id=manual.id, version=version))


def editions_of(manual: Manual) -> list[ManualEdition]:
    """Newest first."""
    return list(
        db.session.scalars(
            select(ManualEdition)
            .filter_by(manual_id=manual.id)
            .order_by(ManualEdition.version.desc())
        )
    )


def edition_parts(edition: ManualEdition) -> list[ManualPart]:
    """All parts of an edition in reading order (one query)."""
    return list(
        db.session.scalars(
            select(ManualPart).filter_by(edition_id=edition.id).order_by(ManualPart.ordinal)
        )
    )


@dataclass(frozen=True)
class LibraryEntry:
    """One row of the library index, with the signed-in user's confirmation status."""

    manual: Manual
    edition: ManualEdition
    articles: int
    confirmed_at: datetime | None

    @property
    def owed(self) -> bool:
        """Python twin of `reading_owed`: a current required edition the user has not confirmed."""
        edition = self.edition
        return edition.is_current and edition.requires_confirmation and self.confirmed_at is None


def confirmed() -> ColumnElement[bool]:
    """SQL on ManualEdition and User: the user confirmed reading this very edition (a new
    edition needs a new confirmation); `confirmation_of(user, edition) is not None`."""
    return exists().where(
        ReadConfirmation.user_id == User.id, ReadConfirmation.edition_id == ManualEdition.id
    ).correlate_except(ReadConfirmation)


def reading_owed() -> ColumnElement[bool]:
    """SQL on ManualEdition and User: a current edition that requires 已阅读确认 and that the
    user has not confirmed (`LibraryEntry.owed`)."""
    return and_(ManualEdition.is_current.is_(True), ManualEdition.requires_confirmation.is_(True),
                not_(confirmed()))


def library(user: User) -> list[LibraryEntry]:
    """Every manual's current edition with its article count and the user's confirmation."""
    counts = (
        select(ManualPart.edition_id, func.count().label("articles"))
        .where(ManualPart.is_article.is_(True))
        .group_by(ManualPart.edition_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ManualEdition, func.coalesce(counts.c.articles, 0), ReadConfirmation.confirmed_at)
        .join(ManualEdition.manual)
        .outerjoin(counts, counts.c.edition_id == ManualEdition.id)
        .outerjoin(
            ReadConfirmation,
            (ReadConfirmation.edition_id == ManualEdition.id)
            & (ReadConfirmation.user_id == user.id),
        )
        .where(ManualEdition.is_current.is_(True))
        .order_by(ManualEdition.requires_confirmation.desc(), Manual.title)
    )
    return [LibraryEntry(row[0].manual, row[0], row[1], row[2]) for row in rows]


def edition_with_anchor(manual: Manual, anchor: str) -> ManualEdition | None:
    """The edition a permalink should open: the current one, else the newest that had it."""
    return db.session.scalar(
        select(ManualEdition)
        .join(ManualPart, ManualPart.edition_id == ManualEdition.id)
        .where(ManualEdition.manual_id == manual.id, ManualPart.anchor == anchor)
        .order_by(ManualEdition.is_current.desc(), ManualEdition.version.desc())
        .limit(1)
    )


def find_part_by_address(address: str) -> ManualPart | None:
    """The current part cited as `客户服务管理制度 §第三章 第八条` (spacing is forgiven)."""
    normalized = " ".join(address.split())
    return db.session.scalar(
        select(ManualPart)
        .join(ManualPart.edition)
        .where(ManualEdition.is_current.is_(True), ManualPart.address == normalized)
    )


# --- importing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedDocument:
    """What importing one regulation would do, shown in the preview before anything is written."""

    document: Document
    manual: Manual | None
    current: ManualEdition | None
    digest: str

    @property
    def unchanged(self) -> bool:
        return self.current is not None and self.current.content_hash == self.digest

    @property
    def version(self) -> int:
        """New editions always become current, so the current one is the newest."""
        return self.current.version + 1 if self.current is not None else 1

    @property
    def rows(self) -> list[OutlineRow]:
        """The detected tree as it would be stored, for the preview."""
        return outline_rows(self.document)


@dataclass(frozen=True)
class ImportedDocument:
    """What importing one regulation did: `created` is False when its content was unchanged."""

    document: Document
    edition: ManualEdition
    created: bool


def plan_document(document: Document) -> PlannedDocument:
    manual = db.session.scalar(select(Manual).filter_by(title=document.title))
    current = current_edition(manual) if manual is not None else None
    return PlannedDocument(document, manual, current, content_hash(document))


def import_manuals(
    result: ManualParseResult, filename: str, *, actor: Any = None
) -> list[ImportedDocument]:
    """Import every regulation in a parsed file, or none when the file has any error."""
    errors = [problem for problem in result.problems if problem.severity == "error"]
    if errors:
        raise DomainError(_("文件有 %(n)d 个错误，未导入任何制度", n=len(errors)))
    if not result.documents:
        raise DomainError(_("文件中没有找到制度"))
    titles = [document.title for document in result.documents]
    if len(set(titles)) < len(titles):
        raise DomainError(_("文件中有同名的制度，未导入任何制度"))
    if any(len(title) > TITLE_LENGTH for title in titles):
        raise DomainError(_("制度名称不能超过 %(n)d 个字", n=TITLE_LENGTH))
    imported = [import_document(document, filename, actor=actor) for document in result.documents]
    db.session.flush()
    return imported


def import_document(document: Document, filename: str, *, actor: Any = None) -> ImportedDocument:
    """Add a regulation as a new manual, or as the new current edition of the same title."""
    plan = plan_document(document)
    if plan.current is not None and plan.unchanged:
        return ImportedDocument(document, plan.current, created=False)
    manual = plan.manual or _new_manual(document.title)
    if plan.current is not None:
        plan.current.is_current = False
        db.session.flush()  # the partial unique index allows one current edition at a time
    edition = ManualEdition(
        manual=manual,
        version=plan.version,
        requires_confirmation=plan.current.requires_confirmation if plan.current else False,
        preamble=document.preamble,
        source_filename=filename[:255],
        content_hash=plan.digest,
        imported_by_id=getattr(actor, "id", None),
    )
    db.session.add(edition)
    _add_parts(edition, document)
    record(actor, "manual.imported", edition, title=manual.title, version=edition.version)
    if plan.current is not None:
        db.session.flush()  # the hooks compare the editions' stored parts
        for hook in EDITION_REPLACED:
            hook(manual, plan.current, edition)
    return ImportedDocument(document, edition, created=True)


def _new_manual(title: str) -> Manual:
    manual = Manual(title=title, slug=_free_slug(title))
    db.session.add(manual)
    return manual


def _add_parts(edition: ManualEdition, document: Document) -> None:
    stored: dict[int, ManualPart] = {}
    for ordinal, row in enumerate(outline_rows(document), start=1):
        part = row.part
        stored[id(part)] = ManualPart(
            edition=edition,
            parent=stored[id(row.parent)] if row.parent is not None else None,
            ordinal=ordinal,
            depth=row.depth,
            kind=part.kind,
            label=part.label[:100],
            title=part.title[:200] if part.title else None,
            text=part.text,
            address=" ".join(part.address.split())[:500],
            anchor=row.anchor,
            is_article=row.is_article,
        )
    for article, text in articles_with_text(stored.values()):
        article.search_tokens = " ".join(tokenize(f"{article.heading}\n{text}"))
    db.session.add_all(stored.values())


def slugify(title: str) -> str:
    """'客户服务体系(管理制度)' -> '客户服务体系-管理制度': readable in the address bar."""
    return _NOT_SLUG.sub("-", title.lower()).strip("-_")[:180] or "manual"


def _free_slug(title: str) -> str:
    """The title's slug, numbered when another manual (or a page name) already has it."""
    base = slugify(title)
    slug, number = base, 1
    while slug in RESERVED_SLUGS or manual_by_slug(slug) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


# --- settings ----------------------------------------------------------------------------


def update_manual(
    manual: Manual, title: str, requires_confirmation: bool, *, actor: Any = None
) -> None:
    """Rename a manual (its slug stays, so links keep working) and set required reading."""
    title = title.strip()
    holder = db.session.scalar(select(Manual).filter_by(title=title))
    if holder is not None and holder is not manual:
        raise Conflict(_("已有名为「%(title)s」的制度", title=title))
    edition = current_edition(manual)
    if edition is None:
        raise DomainError(_("该制度还没有版本"))
    manual.title = title
    manual.updated_at = utcnow()
    edition.requires_confirmation = requires_confirmation
    record(actor, "manual.updated", manual, title=title, required=requires_confirmation)
    db.session.flush()


# --- read confirmations ------------------------------------------------------------------


def confirmation_of(user: User, edition: ManualEdition) -> ReadConfirmation | None:
    return db.session.scalar(
        select(ReadConfirmation).filter_by(user_id=user.id, edition_id=edition.id)
    )


def confirm_reading(user: User, edition: ManualEdition) -> ReadConfirmation:
    """Record 已阅读确认 once; confirming again (or racing another tab) returns the first."""
    if not (edition.is_current and edition.requires_confirmation):
        raise DomainError(_("此版本无需阅读确认"))
    existing = confirmation_of(user, edition)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            confirmation = ReadConfirmation(user_id=user.id, edition_id=edition.id)
            db.session.add(confirmation)
    except IntegrityError:
        return confirmation_of(user, edition)  # type: ignore[return-value]
    publish(Event.READ_CONFIRMED, user.id, confirmation.confirmed_at)
    return confirmation


def required_editions() -> list[ManualEdition]:
    """Current editions everyone must confirm, by manual title."""
    return list(
        db.session.scalars(
            select(ManualEdition)
            .join(ManualEdition.manual)
            .where(ManualEdition.is_current.is_(True), ManualEdition.requires_confirmation)
            .order_by(Manual.title)
        )
    )


def unconfirmed_users(edition: ManualEdition, department_id: int | None = None) -> Select:
    """Active employees (in a department subtree) who have not confirmed `edition`."""
    criteria = UserFilter(department_id=department_id, role="employee", active=True)
    return (user_query(criteria).join(ManualEdition, ManualEdition.id == edition.id)
            .where(not_(confirmed())))


def confirmed_count(edition: ManualEdition, department_id: int | None = None) -> int:
    """How many of the employees `unconfirmed_users` looks at have confirmed."""
    criteria = UserFilter(department_id=department_id, role="employee", active=True)
    employees = user_query(criteria).order_by(None).subquery()
    return db.session.scalar(
        select(func.count())
        .select_from(ReadConfirmation)
        .join(employees, employees.c.id == ReadConfirmation.user_id)
        .where(ReadConfirmation.edition_id == edition.id)
    ) or 0


# --- editions compared -------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleText:
    """An article of one edition with the text of everything below it."""

    anchor: str
    heading: str
    address: str
    text: str


@dataclass(frozen=True)
class ArticleChange:
    old: ArticleText
    new: ArticleText

    def segments(self) -> list[tuple[str, str]]:
        """('equal' | 'delete' | 'insert', text) pieces turning the old text into the new.

        Chinese is compared character by character, but numbers and Latin words whole, so
        24小时 → 12小时 reads as 24 deleted and 12 inserted.
        """
        old, new = _DIFF_UNIT.findall(self.old.text), _DIFF_UNIT.findall(self.new.text)
        pieces: list[tuple[str, str]] = []
        matcher = SequenceMatcher(None, old, new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                pieces.append(("equal", "".join(old[i1:i2])))
                continue
            if i2 > i1:
                pieces.append(("delete", "".join(old[i1:i2])))
            if j2 > j1:
                pieces.append(("insert", "".join(new[j1:j2])))
        return pieces


@dataclass(frozen=True)
class EditionDiff:
    old: ManualEdition
    new: ManualEdition
    added: list[ArticleText]
    removed: list[ArticleText]
    changed: list[ArticleChange]
    unchanged: int


def edition_articles(edition: ManualEdition) -> list[ArticleText]:
    """The edition's articles in reading order."""
    return [
        ArticleText(part.anchor, part.heading, part.address, text)
        for part, text in articles_with_text(edition_parts(edition))
    ]


def diff_editions(old: ManualEdition, new: ManualEdition) -> EditionDiff:
    """Articles added, removed and changed between two editions, matched by anchor."""
    before = {article.anchor: article for article in edition_articles(old)}
    after = {article.anchor: article for article in edition_articles(new)}
    changed = [
        ArticleChange(before[anchor], article)
        for anchor, article in after.items()
        if anchor in before
        and (before[anchor].heading, before[anchor].text) != (article.heading, article.text)
    ]
    return EditionDiff(
        old=old,
        new=new,
        added=[article for anchor, article in after.items() if anchor not in before],
        removed=[article for anchor, article in before.items() if anchor not in after],
        changed=changed,
        unchanged=sum(1 for anchor in after if anchor in before) - len(changed),
    )


def changed_anchors(old: ManualEdition, new: ManualEdition) -> set[str]:
    """Anchors of articles changed or removed by `new`: questions linked to them need review.

    The hook the question bank calls after an import to flag its linked questions.
    """
    diff = diff_editions(old, new)
    return {change.new.anchor for change in diff.changed} | {a.anchor for a in diff.removed}
