"""Certificate PDFs: the holder's name and 工号 in Chinese, a QR that reads as the verify
address, the same bytes on every download, and only for the holder, HR and admins."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.certification.certificate_factories import certificate, level
from training.certification.codes import format_code
from training.certification.models import Certificate
from training.database import db


@pytest.fixture
def holder(make_user):
    return make_user(display_name="张三明", employee_no="E7788")


def url_of(cert: Certificate) -> str:
    return f"/certification/certificates/{cert.id}.pdf"


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def qr_of(pdf: bytes, tmp_path: Path) -> str:
    """The QR's content, read off the page rendered at a phone camera's sort of resolution."""
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(tmp_path / "certificate.pdf"),
                    str(tmp_path / "page")], check=True)
    return subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
        capture_output=True, text=True, check=True,
    ).stdout.strip()


def test_the_holder_downloads_a_pdf_with_name_number_level_dates_and_code(
    client, login_as, tmp_path
):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    me = login_as("employee", display_name="欧阳志明", employee_no="E1234")
    cert = certificate(me, level=level("senior", "高级客服专员"))
    response = client.get(url_of(cert))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    text = text_of(response.data, tmp_path).replace(" ", "")
    for expected in ("欧阳志明", "E1234", "高级客服专员", "2026-01-10", "2027-01-09",
                     format_code(cert.code), "示范公司", "资格认证证书"):
        assert expected in text, expected


def test_a_certificate_without_expiry_reads_long_term(client, login_as, tmp_path):
    me = login_as("employee")
    cert = certificate(me, expires_on=None)
    assert "长期有效" in text_of(client.get(url_of(cert)).data, tmp_path)


def test_the_qr_code_reads_as_the_absolute_verify_address(app, client, login_as, tmp_path):
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg (zbar-tools) is not installed")
    me = login_as("employee")
    cert = certificate(me)
    scanned = qr_of(client.get(url_of(cert)).data, tmp_path)
    assert scanned == f"http://localhost/verify/{format_code(cert.code)}"
    assert client.get(scanned.removeprefix("http://localhost")).status_code == 200


class TestPublicAddress:
    @pytest.fixture
    def app_config(self):
        return {"PUBLIC_BASE_URL": "https://training.example.com/"}

    def test_the_qr_uses_the_configured_public_address(self, client, login_as, tmp_path):
        if not shutil.which("zbarimg"):
            pytest.skip("zbarimg (zbar-tools) is not installed")
        me = login_as("employee")
        cert = certificate(me)
        scanned = qr_of(client.get(url_of(cert)).data, tmp_path)
        assert scanned == f"https://training.example.com/verify/{format_code(cert.code)}"


def test_every_download_is_the_same_document_even_after_a_rename(client, login_as, tmp_path):
    me = login_as("employee", display_name="张三明")
    cert = certificate(me)
    first = client.get(url_of(cert)).data
    me.display_name = "张三丰"  # a later rename does not change a certificate already issued
    db.session.commit()
    again = client.get(url_of(cert)).data
    assert again == first
    assert db.session.scalar(db.select(Certificate.pdf).where(Certificate.id == cert.id)) == first
    assert "张三明" in text_of(again, tmp_path)


def test_an_employee_cannot_download_a_colleagues_certificate(client, login_as, holder):
    cert = certificate(holder)
    login_as("employee")
    assert client.get(url_of(cert)).status_code == 404
    assert client.get("/certification/certificates/999999.pdf").status_code == 404
    assert db.session.scalar(db.select(Certificate.pdf).where(Certificate.id == cert.id)) is None


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_admins_download_anyones_certificate(client, login_as, holder, role):
    cert = certificate(holder)
    login_as(role)
    response = client.get(url_of(cert))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_a_trainer_cannot_download_someone_elses(client, login_as, holder):
    cert = certificate(holder)
    login_as("trainer")
    assert client.get(url_of(cert)).status_code == 404


def test_signing_in_is_needed(client, holder):
    cert = certificate(holder)
    response = client.get(url_of(cert))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
