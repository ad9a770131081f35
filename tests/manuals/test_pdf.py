"""PDF export: a real PDF, set in the Noto CJK font, whose text reads back as Chinese."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from urllib.parse import quote

import pytest

from tests.manuals.samples import EDITION_1, TITLE, parsed
from training.database import db
from training.manuals.services import import_manuals

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (where font names live) inflated."""
    parts = [pdf]
    for match in _STREAM.finditer(pdf):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_pdf_export_embeds_a_cjk_font_and_reads_as_chinese(client, login_as, tmp_path):
    import_manuals(parsed(EDITION_1), "v1.txt")
    db.session.commit()
    login_as("employee")
    response = client.get(f"/manuals/{quote(TITLE)}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    pdf = response.data
    assert pdf.startswith(b"%PDF")
    assert b"NotoSansCJK" in inflated(pdf).replace(b"-", b"")
    if shutil.which("pdftotext"):
        path = tmp_path / "manual.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert TITLE in text
        assert "客户投诉应在24小时内响应" in text.replace("\n", "")
        assert "第三条" in text


class TestExportLimit:
    @pytest.fixture
    def app_config(self):
        return {"PDF_EXPORTS_PER_USER": "2 per minute"}

    def test_each_user_gets_a_few_exports_a_minute(self, client, login_as):
        import_manuals(parsed(EDITION_1), "v1.txt")
        db.session.commit()
        url = f"/manuals/{quote(TITLE)}/pdf"
        login_as("employee")
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
        client.post("/logout")
        login_as("trainer")  # another person is not held back by the first one's exports
        assert client.get(url).status_code == 200
