"""Required-regulation confirmation in SQL (`reading_owed`) agrees with `LibraryEntry.owed`:
a confirmed edition, an older edition confirmed but a new one current, a manual that is not
required, nothing confirmed."""

from __future__ import annotations

from sqlalchemy import select

from tests.manuals.samples import EDITION_1, EDITION_2, OTHER, TITLE, parsed
from training.database import db
from training.manuals.models import ManualEdition
from training.manuals.services import (
    confirm_reading,
    import_manuals,
    library,
    reading_owed,
    update_manual,
)
from training.people.models import User


def _import(text: str) -> ManualEdition:
    (imported,) = import_manuals(parsed(text), "制度.txt")
    db.session.commit()
    return imported.edition


def test_required_reading_owed_is_the_same_in_sql(make_user):
    first = _import(EDITION_1)
    update_manual(first.manual, TITLE, True)
    _import(OTHER)  # a manual nobody must confirm
    before, after, never = make_user(), make_user(), make_user()
    confirm_reading(before, first)
    db.session.commit()
    second = _import(EDITION_2)  # the new edition needs a new confirmation
    confirm_reading(after, second)
    db.session.commit()
    for user in (before, after, never):
        in_python = {entry.edition.id: entry.owed for entry in library(user)}
        in_sql = dict(db.session.execute(
            select(ManualEdition.id, reading_owed()).join(User, User.id == user.id)
            .where(ManualEdition.is_current.is_(True))
        ).all())
        assert in_python == {edition_id: bool(owed) for edition_id, owed in in_sql.items()}
    assert {entry.edition.id: entry.owed for entry in library(before)}[second.id] is True
    assert {entry.edition.id: entry.owed for entry in library(after)}[second.id] is False
