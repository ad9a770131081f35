"""Staging and fetching uploads; each upload is visible only to the user who sent it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

from flask_babel import gettext as _
from sqlalchemy import delete

from training.database import db, utcnow
from training.errors import NotFound
from training.imports.models import StagedUpload


class Uploader(Protocol):
    """Whoever sends a file: only their id is kept. A protocol, not `people.User`, because
    people build on staged uploads (roster import), never the other way round."""

    id: int

STAGED_LIFETIME = timedelta(days=1)


def stage_upload(
    kind: str, filename: str, data: bytes, parsed: dict[str, Any], user: Uploader
) -> StagedUpload:
    """Keep an uploaded file and its parse result for the preview; stale uploads are cleared."""
    db.session.execute(
        delete(StagedUpload).where(StagedUpload.created_at < utcnow() - STAGED_LIFETIME)
    )
    upload = StagedUpload(
        kind=kind, filename=filename, data=data, parsed=parsed, created_by_id=user.id
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def get_upload(upload_id: str, kind: str, user: Uploader) -> StagedUpload:
    """The user's own staged upload of this kind, or NotFound."""
    upload = db.session.get(StagedUpload, upload_id)
    if upload is None or upload.kind != kind or upload.created_by_id != user.id:
        raise NotFound(_("上传的文件已过期，请重新上传"))
    return upload


def discard_upload(upload: StagedUpload) -> None:
    db.session.delete(upload)
