"""The HR roster file: checked on upload and kept with its rows for the preview
(training/people/roster_update.py compares it with the accounts and writes it)."""

from __future__ import annotations

from flask import current_app

from training.imports.checks import check_upload
from training.imports.models import StagedUpload
from training.imports.services import stage_upload
from training.imports.snapshot import freeze, thaw
from training.people.models import User
from training.people.roster import Roster, parse_roster

UPLOAD_KIND = "roster"


def read_roster(data: bytes, filename: str) -> Roster:
    """The checked rows of a roster file; UploadRefused when no reader should open it."""
    check_upload(data, filename)
    return parse_roster(data, filename, current_app.config["ROSTER_MAX_ROWS"])


def stage_roster(filename: str, data: bytes, user: User) -> StagedUpload:
    """Read a roster once and keep it, with its rows, for the preview."""
    return stage_upload(UPLOAD_KIND, filename, data, freeze(read_roster(data, filename)), user)


def staged_roster(staged: StagedUpload) -> Roster:
    return thaw(Roster, staged.parsed)
