"""An uploaded regulation file: checked, parsed once, held for its preview.

The guard of `training.imports.checks` refuses files no parser should open; what is left is
parsed once, refused when a regulation has more articles than one edition may hold (each
article is a row, a search entry and a piece of every print and PDF), and kept as JSON beside
the staged upload so the preview and the commit never parse it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _

from training.imports.checks import UploadRefused, check_upload
from training.imports.models import StagedUpload
from training.imports.services import stage_upload
from training.imports.snapshot import freeze, thaw
from training.manuals.outline import outline_rows
from training.manuals.parsing import ManualParseResult, ManualProblem, parse_manual

if TYPE_CHECKING:  # people imports the staged uploads: no import cycle at run time
    from training.people.models import User

UPLOAD_KIND = "manual"


def read_regulations(data: bytes, filename: str, title: str | None = None) -> ManualParseResult:
    """The regulations in a file, or UploadRefused naming the file when it cannot be taken."""
    check_upload(data, filename)
    result = parse_manual(data, filename, title=title)
    limit = current_app.config["MANUAL_MAX_ARTICLES"]
    for document in result.documents:
        articles = sum(row.is_article for row in outline_rows(document))
        if articles > limit:
            raise UploadRefused(_(
                "「%(name)s」中的《%(title)s》有 %(n)d 条，超过每个制度 %(limit)d 条的上限，请拆分成几个制度后分别导入。",
                name=filename, title=document.title, n=articles, limit=limit,
            ))
    return result


def refusal_result(refused: UploadRefused) -> ManualParseResult:
    """A refused file in the CLI's contract shape: no regulation, the reason as its one error."""
    return ManualParseResult(problems=[ManualProblem(1, "error", refused.message)])


def stage_regulations(filename: str, data: bytes, title: str | None, user: User) -> StagedUpload:
    """Parse an uploaded file once and keep it, with what was understood, for its preview."""
    result = read_regulations(data, filename, title)
    return stage_upload(UPLOAD_KIND, filename, data, freeze(result), user)


def staged_regulations(staged: StagedUpload) -> ManualParseResult:
    return thaw(ManualParseResult, staged.parsed)


def article_limit() -> int:
    return current_app.config["MANUAL_MAX_ARTICLES"]
