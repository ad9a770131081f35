"""A form post's service calls as one unit: all committed, or none and the reason shown.

Views call services that raise `DomainError` when the user asked for something the rules
refuse. That is not a crash: the page should say why and keep nothing half-done. Every view
that changes data did this by hand (rollback, flash; else commit, flash); `unit_of_work` is that
pattern once:

    with unit_of_work(_("已保存")) as work:
        update_manual(manual, title, actor=current_user)
    if work.done:
        return redirect(...)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash

from training.database import db
from training.errors import DomainError


@dataclass
class Work:
    """What became of the block: `done` once committed; `message` is flashed on success and
    may be set inside the block when it depends on what the services returned."""

    message: str | None = None
    done: bool = False


@contextmanager
def unit_of_work(message: str | None = None, *, refused: str = "danger") -> Iterator[Work]:
    """Commit the block and flash `message`, or, on a `DomainError`, roll back and flash its
    reason in the `refused` category. Any other exception propagates untouched."""
    work = Work(message)
    try:
        yield work
    except DomainError as error:
        db.session.rollback()
        flash(error.message, refused)
        return
    db.session.commit()
    work.done = True
    if work.message:
        flash(work.message, "success")
