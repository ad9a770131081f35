"""Configured limits on what one import may hold, and a preview parsed once per upload."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from tests.bank.papers import PAPER
from tests.manuals.samples import EDITION_1
from tests.roster_files import good_rows, roster_xlsx
from training.bank.models import Question
from training.bank.services import ensure_bank
from training.cli import main
from training.database import db
from training.imports.models import StagedUpload
from training.manuals.models import ManualEdition
from training.manuals.parsing import parse_manual
from training.manuals.services import import_manuals
from training.people.models import User


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {
        "UPLOAD_MAX_MB": 1,
        "IMPORT_MAX_QUESTIONS": 2,  # PAPER has 3
        "MANUAL_MAX_ARTICLES": 3,  # EDITION_1 has 4
        "ROSTER_MAX_ROWS": 2,
    }


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, url: str, name: str, data: bytes, **fields: str):
    return client.post(
        url, data={"file": (io.BytesIO(data), name), **fields}, follow_redirects=True
    ).get_data(as_text=True)


def test_a_file_over_the_size_limit_is_refused_saying_both_sizes(client, login_as):
    bank = ensure_bank("题库")
    db.session.commit()
    login_as("trainer")
    page = upload(client, f"/bank/{bank.id}/import", "大.txt", PAPER.encode() * 3300, format="auto")
    assert "「大.txt」有 1.3 MB，超过 1.0 MB 的上限" in page
    assert count(StagedUpload) == 0


def test_more_questions_than_one_import_may_hold(client, login_as, app, tmp_path):
    bank = ensure_bank("题库")
    db.session.commit()
    login_as("trainer")
    page = upload(client, f"/bank/{bank.id}/import", "试卷.txt", PAPER.encode(), format="auto")
    assert "「试卷.txt」有 3 道题，超过每次导入 2 道的上限" in page
    path = tmp_path / "试卷.txt"
    path.write_text(PAPER, encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["bank", "import", str(path), "--dry-run", "--json"])
    output = json.loads(result.stdout)
    assert result.exit_code == 1 and output["questions"] == []
    assert "超过每次导入 2 道的上限" in output["problems"][0]["message"]
    assert count(StagedUpload) == count(Question) == 0


def test_more_articles_than_one_edition_may_hold(client, login_as, app, tmp_path):
    login_as("trainer")
    page = upload(client, "/manuals/import", "制度.txt", EDITION_1.encode())
    assert "「制度.txt」中的《客户服务管理制度》有 4 条，超过每个制度 3 条的上限" in page
    path = tmp_path / "制度.txt"
    path.write_text(EDITION_1, encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["manual", "import", str(path)])
    assert result.exit_code == 1 and "超过每个制度 3 条的上限" in result.output
    assert count(StagedUpload) == count(ManualEdition) == 0


def test_more_rows_than_one_roster_may_hold(client, login_as, app, tmp_path):
    login_as("admin")
    page = upload(client, "/admin/users/import", "名单.xlsx", roster_xlsx(good_rows(3)))
    assert "「名单.xlsx」超过 2 行，超过每次导入的上限" in page
    assert 'data-testid="roster-commit"' not in page
    path = tmp_path / "名单.xlsx"
    path.write_bytes(roster_xlsx(good_rows(3)))
    before = count(User)
    result = app.test_cli_runner().invoke(main, ["user", "import", str(path), "--password", "x" * 12])
    assert result.exit_code != 0 and "超过 2 行" in result.output
    assert count(User) == before


def test_the_question_preview_and_its_commit_never_parse_the_file_again(
    client, login_as, monkeypatch
):
    bank = ensure_bank("题库")
    db.session.commit()
    login_as("trainer")
    two = PAPER.split("二、判断题")[0]
    client.post(f"/bank/{bank.id}/import", data={"text": two, "format": "auto"})
    staged = db.session.scalars(select(StagedUpload)).one()

    def no_parsing(name: str):
        raise AssertionError(f"the {name} parser ran again")

    monkeypatch.setattr("question_bank.formats.get_parser", no_parsing)
    url = f"/bank/{bank.id}/import/{staged.id}"
    for _ in range(2):
        assert client.get(url).status_code == 200
    client.post(url, data={}, follow_redirects=True)
    assert count(Question) == 2


def test_the_manual_preview_and_its_commit_never_parse_the_file_again(
    client, login_as, monkeypatch
):
    login_as("trainer")
    three = EDITION_1.split("第四条")[0]
    client.post("/manuals/import", data={"file": (io.BytesIO(three.encode()), "制度.txt")})
    staged = db.session.scalars(select(StagedUpload)).one()

    def no_parsing(*args: object) -> None:
        raise AssertionError("the regulation was parsed again")

    monkeypatch.setattr("training.manuals.parsing.parse.read_lines", no_parsing)
    url = f"/manuals/import/{staged.id}"
    for _ in range(2):
        assert "第三条" in client.get(url).get_data(as_text=True)
    client.post(url, follow_redirects=True)
    assert count(ManualEdition) == 1


def test_the_roster_preview_and_its_commit_never_read_the_file_again(
    client, login_as, monkeypatch
):
    login_as("admin")
    client.post(
        "/admin/users/import", data={"file": (io.BytesIO(roster_xlsx(good_rows(2))), "名单.xlsx")}
    )
    staged = db.session.scalars(select(StagedUpload)).one()

    def no_reading(*args: object) -> None:
        raise AssertionError("the roster was read again")

    monkeypatch.setattr("training.people.roster.read_table", no_reading)
    url = f"/admin/users/import/{staged.id}"
    assert 'data-testid="roster-problem"' not in client.get(url).get_data(as_text=True)
    before = count(User)
    client.post(url, data={"initial_password": "Welcome-Aboard-26"}, follow_redirects=True)
    assert count(User) == before + 2


def test_print_and_pdf_refuse_an_edition_over_the_article_limit(client, login_as):
    """An edition imported before the limit was set is still read chapter by chapter."""
    import_manuals(parse_manual(EDITION_1.encode(), "制度.txt"), "制度.txt")
    db.session.commit()
    login_as("employee")
    slug = quote("客户服务管理制度")
    for view in ("print", "pdf"):
        refused = client.get(f"/manuals/{slug}/{view}", follow_redirects=True)
        assert "超过 3 条，无法生成整本的打印版或 PDF" in refused.get_data(as_text=True)
        assert refused.mimetype == "text/html"
    assert "第一条" in client.get(f"/manuals/{slug}").get_data(as_text=True)


def test_a_request_too_large_to_read_gets_a_page_saying_so(app, client, login_as):
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    login_as("trainer")
    response = client.post(
        "/manuals/import", data={"file": (io.BytesIO(b"x" * 3 * 1024 * 1024), "大.txt")}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "超过 2 MB，请拆分成几个文件分批上传" in page
