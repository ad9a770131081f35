"""Files no parser should open are refused before parsing, on every import, web and CLI.

Each refusal is one sentence naming the file and saying what to do; nothing is staged or
written, and the CLI's `--dry-run --json` keeps its shape with the reason in `problems`.
"""

from __future__ import annotations

import io
import json
import zipfile

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
from training.manuals.models import Manual
from training.people.models import User

BOMB_MESSAGE = "解压后过大"


def zip_bomb(member: str) -> bytes:
    """A small zip whose member inflates to 20 MB of zeros (a thousand times its packed size)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


DOCX_BOMB = ("炸弹.docx", lambda: zip_bomb("word/document.xml"))
XLSX_BOMB = ("炸弹.xlsx", lambda: zip_bomb("xl/worksheets/sheet1.xml"))
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&xxe;</text></questiontext></question></quiz>
"""
GARBAGE = bytes(range(256)) * 64

# (file name, bytes, what the refusal says) for the question import, web and CLI.
PAPER_REFUSALS = [
    (*DOCX_BOMB, BOMB_MESSAGE),
    (XLSX_BOMB[0], XLSX_BOMB[1], BOMB_MESSAGE),
    ("旧格式.docx", lambda: b"\xd0\xcf\x11\xe0 a .doc saved as .docx", "不是有效的 Word 文件"),
    ("题库.xlsx", lambda: b"not a workbook at all", "不是有效的 Excel 文件"),
    ("moodle.xml", lambda: XXE, "DTD"),
    ("乱码.txt", lambda: GARBAGE, "不是文本文件"),
    ("空.txt", lambda: b"", "是空文件"),
    ("说明.txt", lambda: "这是一份通知，没有任何题目。\n请大家准时参加。".encode(), "没有识别出任何题目"),
]


def staged_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(StagedUpload.id)))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("name", "data", "says"), PAPER_REFUSALS)
def test_question_import_refuses_the_file_before_parsing(client, login_as, name, data, says):
    bank = ensure_bank("题库")
    db.session.commit()
    login_as("trainer")
    response = client.post(
        f"/bank/{bank.id}/import", data={"file": (io.BytesIO(data()), name), "format": "auto"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert f"「{name}」" in page and says in page
    assert "Error" not in page and "BadZipFile" not in page
    assert staged_count() == 0


@pytest.mark.parametrize(("name", "data", "says"), PAPER_REFUSALS)
def test_bank_cli_keeps_its_contract_and_lists_the_refusal(app, tmp_path, name, data, says):
    path = tmp_path / name
    path.write_bytes(data())
    result = app.test_cli_runner().invoke(main, ["bank", "import", str(path), "--dry-run", "--json"])
    assert result.exit_code == 1
    output = json.loads(result.stdout)
    assert set(output) == {"format", "questions", "problems"} and output["questions"] == []
    [problem] = output["problems"]
    assert (problem["line"], problem["severity"]) == (None, "error")
    assert problem["message"].startswith(f"「{name}」") and says in problem["message"]


def test_a_paper_with_questions_is_still_accepted(app, tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text(PAPER, encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["bank", "import", str(path), "--json"])
    assert result.exit_code == 0, result.stdout
    assert count(Question) == 3


@pytest.mark.parametrize(("name", "data", "says"), [
    (*DOCX_BOMB, BOMB_MESSAGE),
    ("制度.docx", lambda: b"plain text named .docx", "不是有效的 Word 文件"),
    ("制度.txt", lambda: GARBAGE, "不是文本文件"),
])
def test_manual_import_refuses_the_file_before_parsing(
    client, login_as, app, tmp_path, name, data, says
):
    login_as("trainer")
    page = client.post(
        "/manuals/import", data={"file": (io.BytesIO(data()), name)}, follow_redirects=True
    ).get_data(as_text=True)
    assert f"「{name}」" in page and says in page
    assert staged_count() == 0
    path = tmp_path / name
    path.write_bytes(data())
    result = app.test_cli_runner().invoke(
        main, ["manual", "import", str(path), "--dry-run", "--json"]
    )
    assert result.exit_code == 1
    output = json.loads(result.stdout)
    assert output["documents"] == [] and says in output["problems"][0]["message"]


ROSTER_REFUSALS = [
    (*XLSX_BOMB, BOMB_MESSAGE),
    ("名单.xlsx", lambda: b"not a workbook at all", "不是有效的 Excel 文件"),
    ("名单.csv", lambda: GARBAGE, "不是文本文件"),
    (
        "名单.csv",
        lambda: "工号,姓名,部门,岗位/角色\nE1,张三,总部,客服\nE2,李四,总部,客服,多,出,来\n".encode(),
        "第 3 行的列数与表头不一致",
    ),
]


@pytest.mark.parametrize(("name", "data", "says"), ROSTER_REFUSALS)
def test_roster_import_says_which_file_and_what_to_do(
    client, login_as, app, tmp_path, name, data, says
):
    login_as("admin")
    page = client.post(
        "/admin/users/import", data={"file": (io.BytesIO(data()), name)}, follow_redirects=True
    ).get_data(as_text=True)
    assert f"「{name}」" in page and says in page
    assert "Error tokenizing" not in page and "cannot be determined" not in page
    path = tmp_path / name
    path.write_bytes(data())
    before = count(User)
    result = app.test_cli_runner().invoke(main, ["user", "import", str(path), "--password", "x" * 12])
    assert result.exit_code != 0 and says in result.output
    assert count(User) == before


def test_a_manual_and_a_roster_within_limits_are_accepted(client, login_as):
    login_as("admin", "trainer")
    manual = client.post(
        "/manuals/import", data={"file": (io.BytesIO(EDITION_1.encode()), "制度.txt")},
        follow_redirects=True,
    )
    assert 'data-testid="manual-preview-document"' in manual.get_data(as_text=True)
    roster = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(roster_xlsx(good_rows(3))), "名单.xlsx")}, follow_redirects=True,
    )
    assert 'data-testid="roster-problem"' not in roster.get_data(as_text=True)
    assert staged_count() == 2 and count(Manual) == 0
