"""The staged-upload flow every importer's views share: upload → stage → preview → commit.

Manuals, the roster and the question bank all keep the uploaded file in a `StagedUpload` so the
preview can be shown, corrected and committed later (on any app server); these three steps are
written once here, so an importer's views only say what to stage, what to show and what to
import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from training.errors import DomainError
from training.imports.models import StagedUpload
from training.imports.services import discard_upload, get_upload
from training.unit_of_work import unit_of_work


def stage_then_preview(
    stage: Callable[[], StagedUpload], preview: str, **values: Any
) -> Response | None:
    """Stage the upload and send the user to its preview page (`upload_id` filled in); None
    when the file was refused, the reason already flashed, so the upload page shows again."""
    with unit_of_work() as work:
        staged = stage()
    if not work.done:
        return None
    return redirect(url_for(preview, upload_id=staged.id, **values))


def staged_or_back(upload_id: str, kind: str, upload_page: str, **values: Any) -> StagedUpload:
    """The user's own staged upload of this kind; an expired or foreign one sends them back to
    the upload page with the reason (the request ends here)."""
    try:
        return get_upload(upload_id, kind, current_user)
    except DomainError as error:
        flash(error.message, "warning")
        _leave(redirect(url_for(upload_page, **values)))


def commit_staged(
    staged: StagedUpload, run: Callable[[], int], message: Callable[[int], str]
) -> bool:
    """Import what the preview showed and drop the staged file, in one unit of work; `run`
    returns how many records it imported, `message` says so. False when the import was refused
    (nothing kept, the reason flashed): the preview shows again."""
    with unit_of_work() as work:
        count = run()
        discard_upload(staged)
        work.message = message(count)
    return work.done


def _leave(response: Response) -> NoReturn:
    abort(response)
