"""The bank's pages: who may use them, the import wizard, keying, editing, export, escaping."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from question_bank.formats import parse
from tests.bank.factories import single
from tests.bank.papers import BROKEN_PAPER, PAPER, UNKEYED_PAPER
from training.bank.models import Question
from training.bank.services import add_question, ensure_bank, mark_used
from training.database import db


@pytest.fixture
def bank(app):
    bank = ensure_bank("页面测试题库")
    db.session.commit()
    return bank


def question_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Question.id)))


def paste(client, bank, text: str):
    """Submit pasted text to the wizard; returns the preview page response."""
    return client.post(f"/bank/{bank.id}/import", data={"text": text, "format": "auto"},
                       follow_redirects=True)


@pytest.mark.parametrize("role", ["employee", "hr"])
def test_only_trainers_and_admins_see_the_bank(client, login_as, bank, role):
    login_as(role)
    assert client.get("/bank/").status_code == 403
    assert client.get(f"/bank/{bank.id}/").status_code == 403


def test_trainer_creates_a_bank(client, login_as):
    login_as("trainer")
    response = client.post("/bank/", data={"name": "新题库", "description": "说明"}, follow_redirects=True)
    assert "新题库" in response.get_data(as_text=True)
    duplicate = client.post("/bank/", data={"name": "新题库"}, follow_redirects=True)
    assert "已有同名题库" in duplicate.get_data(as_text=True)


def test_paste_preview_commit(client, login_as, bank):
    login_as("trainer")
    preview = paste(client, bank, PAPER)
    page = preview.get_data(as_text=True)
    assert "识别出 3 道题" in page and "倾听客户" in page
    assert question_count() == 0  # the preview writes nothing
    commit = client.post(preview.request.url, data={"category": "模拟卷", "by_section": "y"},
                         follow_redirects=True)
    assert "已导入 3 道题" in commit.get_data(as_text=True)
    assert question_count() == 3
    found = client.get(f"/bank/{bank.id}/?q=首问负责制").get_data(as_text=True)
    assert "首问负责制要求第一位接待客户的员工" in found and "客户情绪激动" not in found


def test_after_an_import_the_list_shows_only_the_imported_questions(client, login_as, bank):
    login_as("trainer")
    add_question(bank, single("早已在题库中的题"), category=None)
    db.session.commit()
    preview = paste(client, bank, PAPER)
    commit = client.post(preview.request.url, data={"category": "模拟卷", "by_section": "y"})
    assert "imported=" in commit.location
    listing = client.get(commit.location).get_data(as_text=True)
    assert "只显示刚导入的 3 道题" in listing and "倾听客户" in listing
    assert "早已在题库中的题" not in listing
    assert "早已在题库中的题" in client.get(f"/bank/{bank.id}/").get_data(as_text=True)


def test_editing_returns_to_the_list_as_the_trainer_left_it(client, login_as, bank):
    login_as("trainer")
    question = add_question(bank, single("要修改的题"), category=None)
    db.session.commit()
    where = f"/bank/{bank.id}/?q=修改&type=single&page=1"
    listing = client.get(where).get_data(as_text=True)
    edit_link = next(part for part in listing.split('href="')[1:] if "/edit?next=" in part)
    edit_url = edit_link.split('"')[0].replace("&amp;", "&")
    form = {"type": "single", "stem": "要修改的题（新）", "options": "A. 对的\nB. 错的",
            "answer": "A", "points": "2", "difficulty": "3", "status": "ready"}
    saved = client.post(edit_url, data=form)
    assert unquote(saved.location) == f"{where}#q{question.id}"
    elsewhere = client.post(f"/bank/questions/{question.id}/edit?next=https://evil.example/",
                            data=form)
    assert elsewhere.location == f"/bank/{bank.id}/#q{question.id}"


def test_broken_question_blocks_the_commit_until_excluded(client, login_as, bank):
    login_as("trainer")
    preview = paste(client, bank, BROKEN_PAPER)
    assert 'data-testid="import-blocked"' in preview.get_data(as_text=True)
    refused = client.post(preview.request.url, data={}, follow_redirects=True)
    assert "仍有未解决的错误" in refused.get_data(as_text=True)
    assert question_count() == 0
    accepted = client.post(preview.request.url, data={"exclude": "1"}, follow_redirects=True)
    assert "已导入 2 道题" in accepted.get_data(as_text=True)
    assert question_count() == 2


def test_pasted_text_can_be_revised_after_the_preview(client, login_as, bank):
    login_as("trainer")
    preview = paste(client, bank, BROKEN_PAPER)
    upload_id = preview.request.path.rstrip("/").split("/")[-1]
    form = client.get(f"/bank/{bank.id}/import?revise={upload_id}").get_data(as_text=True)
    assert "客户满意度调查的目的是" in form


def test_imported_markup_is_shown_as_text(client, login_as, bank):
    login_as("trainer")
    hostile = "1. <script>alert(1)</script>哪一项正确（ ）\nA. <b>甲</b> B. 乙\n答案：A\n"
    preview = paste(client, bank, hostile).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in preview and "&lt;script&gt;" in preview
    add_question(bank, single("<img src=x onerror=alert(1)>"), category=None)
    db.session.commit()
    listing = client.get(f"/bank/{bank.id}/").get_data(as_text=True)
    assert "<img src=x" not in listing and "&lt;img src=x" in listing


def test_keying_mode_keys_drafts_one_after_another(client, login_as, bank):
    login_as("trainer")
    preview = paste(client, bank, UNKEYED_PAPER)
    client.post(preview.request.url, data={}, follow_redirects=True)
    assert question_count() == 5
    page = client.get(f"/bank/{bank.id}/keying").get_data(as_text=True)
    assert "还有 5 题待补答案" in page and "第1道待补答案的题目" in page
    first = db.session.scalars(select(Question).order_by(Question.id)).first()
    after = client.post(f"/bank/{bank.id}/keying", data={"question_id": first.id, "choice": "C"},
                        follow_redirects=True).get_data(as_text=True)
    assert "还有 4 题待补答案" in after and "第2道待补答案的题目" in after
    db.session.expire_all()
    assert first.current_version.answer == ["C"] and first.status == "ready"


def test_editing_a_used_question_keeps_its_old_version(client, login_as, bank):
    login_as("trainer")
    question = add_question(bank, single("考过的题干"), category=None)
    mark_used([question.current_version_id])
    db.session.commit()
    form = {"type": "single", "stem": "修订后的题干", "options": "A. 对的\nB. 错的", "answer": "A",
            "points": "2", "difficulty": "3", "status": "ready"}
    response = client.post(f"/bank/questions/{question.id}/edit", data=form, follow_redirects=True)
    assert "题目已保存" in response.get_data(as_text=True)
    history = client.get(f"/bank/questions/{question.id}/history").get_data(as_text=True)
    assert "第 2 版" in history and "修订后的题干" in history and "考过的题干" in history


def test_editor_reports_a_bad_answer_and_saves_nothing(client, login_as, bank):
    login_as("trainer")
    form = {"type": "single", "stem": "新题", "options": "A. 甲\nB. 乙", "answer": "E",
            "points": "1", "difficulty": "3", "status": "ready"}
    response = client.post(f"/bank/{bank.id}/questions/new", data=form)
    assert "答案" in response.get_data(as_text=True)
    assert question_count() == 0


@pytest.mark.parametrize("fmt", ["xlsx", "gift", "moodle-xml"])
def test_export_downloads_reimport_to_the_same_questions(client, login_as, bank, fmt):
    login_as("trainer")
    preview = paste(client, bank, PAPER)
    client.post(preview.request.url, data={}, follow_redirects=True)
    download = client.get(f"/bank/{bank.id}/export/{fmt}")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    reparsed = parse(download.data, "export." + ("xml" if fmt == "moodle-xml" else fmt))
    assert not reparsed.has_errors, reparsed.problems
    assert sorted(q.stem for q in reparsed.questions) == sorted(q.stem for q in parse(PAPER.encode()).questions)


def test_template_download(client, login_as):
    login_as("trainer")
    response = client.get("/bank/import/template.xlsx")
    headers = [cell.value for cell in load_workbook(io.BytesIO(response.data)).worksheets[0][1]]
    assert {"题型", "题干", "答案", "解析"} <= set(headers)


def test_missing_records_are_404_pages(client, login_as):
    login_as("trainer")
    assert client.get("/bank/999999/").status_code == 404
    assert client.get("/bank/questions/999999/edit").status_code == 404


@pytest.mark.parametrize(("locale", "shown", "hidden"), [
    ("zh", ["答案: 选项 F 不存在", "中文试卷文本"], ["(answer label", "cn-text</option>", "does not exist"]),
    ("en", ["Answer: option F does not exist", "Chinese exam paper text"], ["选项 F 不存在", ">cn-text<"]),
])
def test_formats_and_validation_read_in_one_language(client, login_as, bank, locale, shown, hidden):
    login_as("trainer")
    client.post("/language", data={"locale": locale, "next": "/"})
    upload = client.get(f"/bank/{bank.id}/import").get_data(as_text=True)
    preview = paste(client, bank, "1. 哪一项正确（ ）\nA. 甲\nB. 乙\n答案：F\n").get_data(as_text=True)
    form = {"type": "single", "stem": "新题", "options": "A. 甲\nB. 乙", "answer": "F",
            "points": "1", "difficulty": "3", "status": "ready"}
    editor = client.post(f"/bank/{bank.id}/questions/new", data=form).get_data(as_text=True)
    assert shown[1] in upload
    assert shown[0] in editor
    for text in hidden:
        assert text not in upload + preview + editor


@pytest.mark.parametrize(("locale", "shown", "hidden"), [
    ("zh", ["第 2 行, 答案: 选项 F 不存在", "表头: 未知的列「备注」已忽略"], ["Row 2", "(unknown column)"]),
    ("en", ["Row 2, Answer: option F does not exist", "Header: unknown column “备注” ignored"],
     ["选项 F 不存在", "已忽略"]),
])
def test_a_spreadsheet_preview_reads_in_one_language(client, login_as, bank, locale, shown, hidden):
    login_as("trainer")
    client.post("/language", data={"locale": locale, "next": "/"})
    data = "题型,题干,选项A,选项B,答案,备注\n单选,甲,一,二,F,\n".encode()
    page = client.post(f"/bank/{bank.id}/import", data={"file": (io.BytesIO(data), "题.csv"),
                       "format": "auto"}, follow_redirects=True).get_data(as_text=True)
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page
