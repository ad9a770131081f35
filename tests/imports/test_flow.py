"""The staged-upload flow each importer shares (training/imports/flow.py): a staged file is only
its sender's, and one that is gone sends the user back to upload with the reason."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from training.bank.importing import UPLOAD_KIND as QUESTIONS
from training.bank.services import ensure_bank
from training.database import db
from training.imports.models import StagedUpload
from training.imports.services import stage_upload
from training.manuals.uploads import UPLOAD_KIND as MANUALS
from training.people.importing import UPLOAD_KIND as ROSTER

GONE = "上传的文件已过期，请重新上传"


def importers() -> list[tuple[str, str, str, str]]:
    """(kind, role, preview URL with {id}, upload URL) of every importer."""
    bank = ensure_bank("导入题库")
    db.session.commit()
    return [
        (MANUALS, "trainer", "/manuals/import/{id}", "/manuals/import"),
        (ROSTER, "admin", "/admin/users/import/{id}", "/admin/users/import"),
        (QUESTIONS, "trainer", f"/bank/{bank.id}/import/{{id}}", f"/bank/{bank.id}/import"),
    ]


@pytest.mark.parametrize("which", range(3))
def test_another_users_staged_file_cannot_be_previewed_or_committed(
    client, login_as, make_user, which
):
    kind, role, preview, upload_page = importers()[which]
    staged = stage_upload(kind, "名单.xlsx", b"data", {}, make_user(roles=(role,)))
    db.session.commit()
    login_as(role)
    for method in ("GET", "POST"):
        response = client.open(preview.format(id=staged.id), method=method)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(upload_page)
        assert GONE in client.get(upload_page).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 1


@pytest.mark.parametrize("which", range(3))
def test_an_expired_upload_sends_the_user_back_to_upload(client, login_as, which):
    _kind, role, preview, upload_page = importers()[which]
    login_as(role)
    response = client.get(preview.format(id="no-such-upload"), follow_redirects=True)
    assert response.request.path == upload_page
    assert GONE in response.get_data(as_text=True)
