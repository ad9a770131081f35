"""`servicecoach cert …` exactly as outside tools read it: evaluate's and status's JSON, import
all or nothing with each problem at its line, export read back by import."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from tests.certification.conftest import ALL_RIGHT, today
from tests.exams.helpers import sit_exam
from training.certification import rules
from training.certification.codes import format_code
from training.certification.models import Certificate, CertLevel, CertRuleVersion
from training.cli import main
from training.database import db


def cli(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args), catch_exceptions=False)


def level_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(CertLevel.id)))


def test_evaluate_json_lists_each_change_by_username_and_level_code(app, exam, make_level, make_user):
    user = make_user(username="wang")
    sit_exam(exam, user, ALL_RIGHT)
    make_level(rules.ExamPassed(exam.id, min_percent=80), code="cs-junior", validity_months=12)
    result = cli(app, "cert", "evaluate", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"changes": [
        {"username": "wang", "level": "cs-junior", "from": "not_started", "to": "certified"}]}
    assert json.loads(cli(app, "cert", "evaluate", "--json").stdout) == {"changes": []}
    expires = (today() + timedelta(days=400)).isoformat()
    later = cli(app, "cert", "evaluate", "--as-of", expires, "--json")
    assert json.loads(later.stdout)["changes"] == [
        {"username": "wang", "level": "cs-junior", "from": "certified", "to": "expired"}]


def test_status_json_gives_dates_and_the_grouped_code(app, exam, make_level, make_user):
    level = make_level(rules.ExamPassed(exam.id), code="cs-junior", validity_months=12)
    make_level(rules.ExamPassed(exam.id, min_percent=100), code="forever", validity_months=None)
    user = make_user(username="li")
    sit_exam(exam, user, ALL_RIGHT)
    certificate = db.session.scalar(select(Certificate).filter_by(level_id=level.id))
    result = cli(app, "cert", "status", "LI", "--json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found[0] == {
        "level": "cs-junior", "status": "certified", "issued_at": today().isoformat(),
        "expires_at": certificate.expires_on.isoformat(), "code": format_code(certificate.code),
    }
    assert found[1]["level"] == "forever" and found[1]["expires_at"] is None
    assert set(found[1]) == {"level", "status", "issued_at", "expires_at", "code"}
    assert cli(app, "cert", "status", "nobody", "--json").exit_code == 1


LEVELS = """\
- code: junior
  name: 初级
  validity_months: 12
  rule:
    all_of:
      - exam: {{title: {exam}, min_percent: 80}}
      - tenure: {{months: 1}}
- code: senior
  name: 高级
  prerequisites: [junior]
  rule:
    exam: {{title: {exam}, min_percent: 95}}
"""


def test_import_saves_every_level_and_export_reads_back(app, exam, tmp_path):
    path = tmp_path / "levels.yaml"
    path.write_text(LEVELS.format(exam=exam.title), encoding="utf-8")
    result = cli(app, "cert", "import", str(path))
    assert result.exit_code == 0, result.stderr
    junior, senior = (db.session.scalar(select(CertLevel).filter_by(code=c)) for c in ("junior", "senior"))
    assert senior.prerequisite_ids == [junior.id] and junior.current_version.number == 1
    exported = cli(app, "cert", "export").stdout
    assert "junior" in exported and exam.title in exported
    path.write_text(exported, encoding="utf-8")
    assert cli(app, "cert", "import", str(path)).exit_code == 0
    assert db.session.scalar(select(func.count(CertRuleVersion.id))) == 2  # unchanged rules


def test_a_bad_file_changes_nothing_and_names_each_line(app, exam, tmp_path):
    path = tmp_path / "levels.yaml"
    bad = LEVELS.format(exam=exam.title).replace("min_percent: 95", "min_percent: 195") \
        .replace("name: 初级", "name: 初级\n  validity_months: -1")
    path.write_text(bad.replace("{title: " + exam.title + ", min_percent: 80}",
                                "{title: 没有这场考试, min_percent: 80}"), encoding="utf-8")
    result = cli(app, "cert", "import", str(path))
    assert result.exit_code == 1
    assert f"{path}:" in result.stderr and level_count() == 0
    unknown = LEVELS.format(exam="没有这场考试")
    path.write_text(unknown, encoding="utf-8")
    result = cli(app, "cert", "import", str(path))
    assert result.exit_code == 1 and level_count() == 0
    assert f"{path}:6: 找不到考试：没有这场考试" in result.stderr and f"{path}:12:" in result.stderr
