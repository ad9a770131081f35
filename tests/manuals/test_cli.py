"""`servicecoach manual import`: the dry-run JSON contract, exit codes, all-or-nothing import."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from tests.manuals.samples import BROKEN, EDITION_1, EDITION_2, OTHER
from training.cli import main
from training.database import db
from training.manuals.models import Manual, ManualEdition, ManualPart

PART_KEYS = {"label", "title", "text", "parts"}


def run(app, tmp_path, text: str, *args: str, name: str = "制度.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(
        main, ["manual", "import", str(path), *args], catch_exceptions=False
    )


def rows() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Manual, ManualEdition, ManualPart)
    )


def check_part(part: dict) -> None:
    assert set(part) == PART_KEYS
    assert isinstance(part["label"], str) and isinstance(part["text"], str)
    assert part["title"] is None or isinstance(part["title"], str)
    for child in part["parts"]:
        check_part(child)


def test_dry_run_json_is_exactly_the_contract_and_writes_nothing(app, tmp_path):
    result = run(app, tmp_path, EDITION_1, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"documents", "problems"}
    (document,) = payload["documents"]
    assert set(document) == {"title", "parts"} and document["title"] == "客户服务管理制度"
    for part in document["parts"]:
        check_part(part)
    chapter = document["parts"][1]
    assert (chapter["label"], chapter["title"], chapter["text"]) == ("第二章", "投诉处理", "")
    article = chapter["parts"][0]
    assert article == {
        "label": "第三条",
        "title": None,
        "text": "客户投诉应在24小时内响应：",
        "parts": [
            {"label": "1.", "title": None, "text": "记录投诉内容；", "parts": []},
            {"label": "2.", "title": None, "text": "核实问题原因。", "parts": []},
        ],
    }
    assert payload["problems"] == []
    assert rows() == (0, 0, 0)


def test_dry_run_reports_problems_with_lines_and_exit_status(app, tmp_path):
    warned = json.loads(run(app, tmp_path, EDITION_2, "--dry-run", "--json").stdout)
    (problem,) = warned["problems"]
    assert set(problem) == {"line", "severity", "message"}
    assert (problem["line"], problem["severity"]) == (11, "warning")

    broken = run(app, tmp_path, BROKEN, "--dry-run", "--json")
    assert broken.exit_code == 1
    payload = json.loads(broken.stdout)
    assert [p["severity"] for p in payload["problems"]] == ["error"]
    assert payload["problems"][0]["line"] == 4

    mixed = run(app, tmp_path, OTHER + "\n" + BROKEN, "--dry-run", "--json")
    assert mixed.exit_code == 0, "one regulation parsed without error"
    assert len(json.loads(mixed.stdout)["documents"]) == 2

    empty = run(app, tmp_path, "", "--dry-run", "--json")
    assert empty.exit_code == 1
    assert json.loads(empty.stdout) == {
        "documents": [],
        "problems": [
            {"line": 1, "severity": "error", "message": "「制度.txt」是空文件，请选择有内容的文件重新上传。"}
        ],
    }
    assert rows() == (0, 0, 0)


def test_dry_run_without_json_prints_a_summary(app, tmp_path):
    result = run(app, tmp_path, EDITION_2, "--dry-run")
    assert result.exit_code == 0
    assert "客户服务管理制度: 4 articles" in result.stdout
    assert "line 11: warning" in result.stderr
    assert rows() == (0, 0, 0)


def test_import_writes_and_reports_ids(app, tmp_path):
    result = run(app, tmp_path, EDITION_1, "--json")
    assert result.exit_code == 0, result.output
    (document,) = json.loads(result.stdout)["documents"]
    assert set(document) == {"title", "parts", "manual_id", "edition_id", "version", "created"}
    assert (document["version"], document["created"]) == (1, True)
    assert rows() == (1, 1, 8)
    again = run(app, tmp_path, EDITION_2)
    assert again.exit_code == 0
    assert again.stdout.strip() == "客户服务管理制度: 4 articles → v2"
    unchanged = run(app, tmp_path, EDITION_2)
    assert "(unchanged)" in unchanged.stdout
    assert rows() == (1, 2, 18)


def test_import_is_all_or_nothing(app, tmp_path):
    result = run(app, tmp_path, OTHER + "\n" + BROKEN)
    assert result.exit_code == 1
    assert "未导入任何制度" in result.stderr
    assert rows() == (0, 0, 0)


def test_title_option_names_the_regulation(app, tmp_path):
    result = run(app, tmp_path, "第一条 甲。\n第二条 乙。\n", "--title", "服务礼仪规范", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["documents"][0]["title"] == "服务礼仪规范"
    assert db.session.scalar(select(Manual.title)) == "服务礼仪规范"
