"""Levels and their rules in the browser's forms: the rule typed as YAML (the `rule:` part of the
level file) with its problems at their lines, shown as a tree, previewed before saving (who
would hold it, who newly, who would lose it), and saved as a new rule version."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.certification.conftest import ALL_RIGHT, HALF, SIX
from tests.exams.helpers import sit_exam
from training.certification import rules
from training.certification.models import CertLevel, CertRuleVersion
from training.database import db

RULE = """any_of:
  - exam: {title: %s, min_percent: %d}
  - tenure: {months: 1200}
"""


def _form(rule: str, **fields) -> dict:
    return {"name": "初级客服专员", "code": "junior", "description": "", "validity_months": "12",
            "expiry_base": "completion", "window_days": "30", "rule": rule, **fields}


def _versions() -> int:
    return db.session.scalar(select(func.count(CertRuleVersion.id)))


def test_a_new_level_is_previewed_then_saved_as_version_one(client, login_as, exam, make_user):
    passed, close = make_user(), make_user()
    sit_exam(exam, passed, ALL_RIGHT)
    sit_exam(exam, close, HALF)
    login_as("hr")
    data = _form(RULE % (exam.title, 80), action="save")
    response = client.post("/certification/levels/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="preview"' in html  # not saved yet
    assert _versions() == 0
    assert 'data-testid="preview-certified">1<' in html and 'data-testid="preview-newly">1<' in html
    assert f"考试「{exam.title}」最高成绩不低于 80%" in html  # the rule as a tree
    previewed = html.split('name="previewed"')[1].split('value="')[1].split('"')[0]
    response = client.post("/certification/levels/new", data={**data, "previewed": previewed})
    assert response.status_code == 302
    level = db.session.scalar(select(CertLevel).filter_by(code="junior"))
    assert level.current_version.number == 1
    assert rules.from_dict(level.current_version.rule) == rules.AnyOf(
        (rules.ExamPassed(exam.id, min_percent=80), rules.MinimumTenure(1200)))


def test_a_stricter_rule_shows_who_would_lose_it_and_makes_a_new_version(
        client, login_as, exam, make_user, make_level):
    level = make_level(rules.ExamPassed(exam.id, min_percent=80), code="junior",
                       name="初级客服专员", validity_months=12)
    holder = make_user()
    sit_exam(exam, holder, SIX)  # 85.7 %: certified under 80, not under 90
    login_as("hr")
    page = client.get(f"/certification/levels/{level.id}").get_data(as_text=True)
    assert "min_percent: 80" in page and "第 1 版" in page
    data = _form(f"exam: {{title: {exam.title}, min_percent: 90}}\n", action="preview")
    html = client.post(f"/certification/levels/{level.id}", data=data).get_data(as_text=True)
    # nothing is revoked by a rule change: the holder keeps the certificate until it expires,
    # and is counted as losing it (they could not renew it under the new rule)
    assert 'data-testid="preview-losing">1<' in html and 'data-testid="preview-newly">0<' in html
    previewed = html.split('name="previewed"')[1].split('value="')[1].split('"')[0]
    client.post(f"/certification/levels/{level.id}",
                data={**data, "action": "save", "previewed": previewed})
    db.session.expire_all()
    assert level.current_version.number == 2 and _versions() == 2
    page = client.get(f"/certification/levels/{level.id}").get_data(as_text=True)
    assert page.count('data-testid="version"') == 2


def test_changing_only_the_description_saves_without_a_preview_or_version(
        client, login_as, exam, make_level):
    level = make_level(rules.ExamPassed(exam.id, min_percent=80), code="junior", name="初级客服专员",
                       validity_months=12)
    login_as("hr")
    data = _form(f"exam: {{title: {exam.title}, min_percent: 80}}\n", description="新的说明",
                 action="save")
    assert client.post(f"/certification/levels/{level.id}", data=data).status_code == 302
    db.session.expire_all()
    assert level.description == "新的说明" and _versions() == 1


@pytest.mark.parametrize(("rule", "message"), [
    ("all_of:\n  - exam: {title: 不存在的考试}\n", "第 2 行"),
    ("all_of:\n  - tenure: {months: 3}\n  - exam: {title: a\n  - tenure: {months: 1}\n", "第 4 行"),
    ("all_of:\n  - tenure: {months: 3}\n  - unknown: {a: 1}\n", "第 3 行"),
])
def test_a_bad_rule_is_refused_at_its_line_and_nothing_is_saved(client, login_as, rule, message):
    login_as("hr")
    response = client.post("/certification/levels/new", data=_form(rule, action="save"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    problems = html.split('data-testid="rule-problems"')[1].split("</ul>")[0]
    assert message in problems
    assert db.session.scalar(select(func.count(CertLevel.id))) == 0


def test_bad_fields_are_refused_with_a_message(client, login_as):
    login_as("hr")
    response = client.post("/certification/levels/new", data=_form(
        "tenure: {months: 3}\n", code="有 空格", validity_months="0", action="save"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "代码只能包含字母、数字" in html and "invalid-feedback" in html
    assert db.session.scalar(select(func.count(CertLevel.id))) == 0


def test_the_levels_list_shows_version_and_holders(client, login_as, make_level, exam, make_user):
    make_level(rules.ExamPassed(exam.id, min_percent=80), code="junior", name="初级客服专员")
    sit_exam(exam, make_user(), ALL_RIGHT)
    login_as("hr")
    html = client.get("/certification/levels").get_data(as_text=True)
    row = html.split('data-testid="level-row"')[1].split("</tr>")[0]
    assert "初级客服专员" in row and "第 1 版" in row and '<td class="text-end">1</td>' in row
