"""One commit per request: a view's writes are all kept, or none and the reason shown.

Views never commit. Services `flush()`; when the request ends, `finish_request` commits if
the response succeeded (status < 400) and rolls back otherwise, as Indico's request handler
does. So an error page, a refused API call or a crash leaves nothing half-written.

A view that calls services which may raise `DomainError` (the user asked for something the rules
refuse: not a crash) wraps them in `unit_of_work`, which undoes the block and says why:

    with unit_of_work(_("已保存")) as work:
        update_manual(manual, title, actor=current_user)
    if work.done:
        return redirect(...)

A few writes must outlive a refusal (the audit of a wrong exam password, of a failed sign-in):
`keep()` them, and the request's end writes them whatever becomes of the rest. CLI commands and
background work, which have no request, use `training.database.transaction()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Response, flash, g

from training.database import db
from training.errors import DomainError


@dataclass
class Work:
    """What became of the block: `done` once it held; `message` is flashed on success and
    may be set inside the block when it depends on what the services returned (`warn` when
    the write held but the user must act on something)."""

    message: str | None = None
    done: bool = False
    category: str = "success"

    def warn(self, message: str) -> None:
        self.message, self.category = message, "warning"


@contextmanager
def unit_of_work(
    message: str | None = None,
    *,
    refused: str = "danger",
    passes: tuple[type[DomainError], ...] = (),
) -> Iterator[Work]:
    """Keep the block's writes for the request's commit and flash `message`, or, on a
    `DomainError`, roll back and flash its reason in the `refused` category. Errors in
    `passes` (e.g. `NotFound`, for the 404 page) roll the block back and propagate to their
    handler; any other exception propagates untouched (the request then rolls back)."""
    work = Work(message)
    try:
        yield work
        db.session.flush()  # a constraint the block broke is a crash here, not after the flash
    except passes:
        db.session.rollback()  # its handler may answer with a redirect, which commits
        raise
    except DomainError as error:
        db.session.rollback()
        keep(error.keep)
        flash(error.message, refused)
        return
    work.done = True
    if work.message:
        flash(work.message, work.category)


def keep(write: Callable[[], object]) -> None:
    """Have the request's end do `write` and commit it even if the rest is rolled back."""
    g.setdefault("kept_writes", []).append(write)


def finish_request(response: Response) -> Response:
    """Commit a successful request's writes; roll back a failed one (4xx, 5xx)."""
    kept = g.pop("kept_writes", [])
    if response.status_code >= 400:
        db.session.rollback()
    for write in kept:
        write()
    db.session.commit()
    return response
