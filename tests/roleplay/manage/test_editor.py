"""The trainer's import and editor: problems at their lines, every save validated, versions kept."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from tests.roleplay.factories import GOOD_PATH, play, sample_text, saved_scenario
from training.database import db
from training.roleplay import script as plain
from training.roleplay import yaml_format
from training.roleplay.forms import node_data, settings_data
from training.roleplay.models import Scenario, ScenarioRun
from training.roleplay.runs import start_or_resume


@pytest.fixture
def trainer(login_as):
    return login_as("trainer")


def fields(values: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Form values as the browser posts them (WTForms names: `options-0-text`)."""
    posted: dict[str, str] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, list):
            for index, item in enumerate(value):
                posted.update(fields(item, f"{name}-{index}-"))
        elif isinstance(value, bool):
            if value:
                posted[name] = "y"
        else:
            posted[name] = "" if value is None else str(value)
    return posted


def latest(scenario: Scenario) -> plain.Scenario:
    db.session.expire_all()
    return db.session.get(Scenario, scenario.id).latest.script


def test_an_uploaded_file_is_imported_and_opens_in_the_editor_with_its_graph(client, trainer):
    upload = {"file": (io.BytesIO(sample_text().encode()), "bank-ebanking-card.yaml")}
    response = client.post("/roleplay/manage/import", data=upload,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    scenario = db.session.query(Scenario).one()
    assert scenario.title in page and "校验通过" in page
    drawn = set(re.findall(r'data-node="([^"]+)"', page.split('class="rp-graph"')[1]))
    assert drawn == set(scenario.latest.script.nodes)


def test_a_broken_file_is_refused_whole_with_each_problem_at_its_line(client, trainer):
    text = sample_text().replace("listen: 5", "patience: 5", 1)  # an unknown dimension
    text = text.replace("outcome: escalated", "outcome: transferred", 1)  # an unknown outcome
    response = client.post("/roleplay/manage/import", data={"text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and db.session.query(Scenario).count() == 0
    assert "发现 2 个问题，未导入" in page
    for word in ("patience", "transferred"):
        line = next(i for i, row in enumerate(text.splitlines(), 1) if word in row)
        assert f"第 {line} 行" in page
        assert f'<li id="line-{line}" class="rp-bad-line">' in page


def test_a_graph_error_is_shown_at_the_line_of_its_node(client, trainer):
    text = sample_text().replace("next: e3", "next: d2", 1)  # d2 b loops back: e3 unreachable
    page = client.post("/roleplay/manage/import", data={"text": text}).get_data(as_text=True)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip() == "- id: e3")
    assert db.session.query(Scenario).count() == 0
    assert "没有路径能到达此节点" in page and f"第 {line} 行" in page


@pytest.mark.parametrize("node_id", ["c1", "d1", "f1", "e1"])
def test_saving_a_node_form_unchanged_changes_nothing(client, trainer, node_id):
    scenario = saved_scenario()
    before = scenario.latest.script
    form = client.get(f"/roleplay/manage/{scenario.id}/nodes/{node_id}").get_data(as_text=True)
    assert 'data-testid="node-form"' in form
    response = client.post(f"/roleplay/manage/{scenario.id}/nodes/{node_id}",
                           data=fields(node_data(before.nodes[node_id])))
    assert response.status_code == 302
    assert plain.to_dict(latest(scenario)) == plain.to_dict(before)


def test_a_node_edit_is_saved_and_shown_in_the_graph(client, trainer):
    scenario = saved_scenario()
    values = node_data(scenario.latest.script.nodes["d1"])
    values["options"][1]["text"] = "这是银行的规定，请您理解。"
    values["options"][1]["critical"] = "把问题推给制度"
    values["options"][3] = {"id": "d", "text": "我马上帮您联系开户网点。", "next": "c2",
                            "resolve": 5}
    client.post(f"/roleplay/manage/{scenario.id}/nodes/d1", data=fields(values))
    d1 = latest(scenario).nodes["d1"]
    assert [o.id for o in d1.options] == ["a", "b", "c", "d"]
    assert d1.options[1].critical == "把问题推给制度"
    assert d1.options[3].points == {plain.Dimension.RESOLVE: 5}
    page = client.get(f"/roleplay/manage/{scenario.id}").get_data(as_text=True)
    assert "b,c" in page and "rp-edge rp-critical" in page  # both options now critical, one arrow


def test_a_change_that_breaks_the_scenario_is_refused_with_its_problem(client, trainer):
    scenario = saved_scenario()
    before = plain.to_dict(scenario.latest.script)
    values = node_data(scenario.latest.script.nodes["d1"])
    for row in values["options"][1:]:
        row.update(text="")  # one option left
    page = client.post(f"/roleplay/manage/{scenario.id}/nodes/d1",
                       data=fields(values)).get_data(as_text=True)
    assert "未保存" in page and "2–5" in page
    assert 'class="list-group-item list-group-item-action active"' in page  # still on d1's form
    assert plain.to_dict(latest(scenario)) == before


def test_editing_a_played_scenario_makes_a_new_version_and_the_run_keeps_its_own(
    client, trainer, make_user
):
    scenario = saved_scenario()
    run = play(start_or_resume(make_user(), scenario), GOOD_PATH)
    values = node_data(scenario.latest.script.nodes["c1"])
    values["text"] = "我等了一个小时！"
    page = client.get(f"/roleplay/manage/{scenario.id}").get_data(as_text=True)
    assert "第 2 版" in page  # the editor warns before the save
    client.post(f"/roleplay/manage/{scenario.id}/nodes/c1", data=fields(values))
    db.session.expire_all()
    assert [v.number for v in scenario.versions] == [1, 2]
    assert run.version.script.nodes["c1"].text != "我等了一个小时！"
    assert latest(scenario).nodes["c1"].text == "我等了一个小时！"


def test_a_new_node_is_put_on_the_chosen_link(client, trainer):
    scenario = saved_scenario()
    response = client.post(f"/roleplay/manage/{scenario.id}/nodes",
                           data={"id": "n1", "kind": "narration", "after": "d1.a"})
    assert response.headers["Location"].endswith(f"/roleplay/manage/{scenario.id}/nodes/n1")
    edited = latest(scenario)
    assert edited.nodes["d1"].options[0].next == "n1" and edited.nodes["n1"].next == "c2"
    refused = client.post(f"/roleplay/manage/{scenario.id}/nodes",
                          data={"id": "c1", "kind": "customer", "after": "c1"})
    assert refused.status_code == 200 and "已存在" in refused.get_data(as_text=True)


def test_deleting_a_customer_line_joins_its_neighbours(client, trainer):
    scenario = saved_scenario()
    client.post(f"/roleplay/manage/{scenario.id}/nodes/c2/delete")
    edited = latest(scenario)
    assert "c2" not in edited.nodes
    assert edited.nodes["d1"].options[0].next == "f1" and edited.nodes["d2"].options[0].next == "f1"


def test_settings_are_validated_on_save(client, trainer):
    scenario = saved_scenario()
    values = settings_data(scenario.latest.script)
    values.update(title="网银盾（新版）", weight_listen=values["weight_listen"] + 10)
    page = client.post(f"/roleplay/manage/{scenario.id}/settings",
                       data=fields(values)).get_data(as_text=True)
    assert "各维度权重之和为 110，应为 100" in page and latest(scenario).title != "网银盾（新版）"
    values["weight_listen"] -= 10
    client.post(f"/roleplay/manage/{scenario.id}/settings", data=fields(values))
    assert latest(scenario).title == "网银盾（新版）"
    assert db.session.get(Scenario, scenario.id).title == "网银盾（新版）"


def test_export_gives_back_the_saved_file(client, trainer):
    scenario = saved_scenario()
    response = client.get(f"/roleplay/manage/{scenario.id}/export")
    assert "attachment" in response.headers["Content-Disposition"]
    exported = yaml_format.load(response.get_data(as_text=True))
    assert plain.to_dict(exported) == plain.to_dict(scenario.latest.script)


def test_a_play_test_opens_the_chat_and_is_not_an_employee_run(client, trainer):
    scenario = saved_scenario()
    response = client.post(f"/roleplay/manage/{scenario.id}/playtest")
    run = db.session.query(ScenarioRun).one()
    assert response.headers["Location"].endswith(f"/roleplay/runs/{run.id}")
    assert run.playtest and run.user_id == trainer.id


def test_a_binary_file_is_refused_unread(client, trainer):
    upload = {"file": (io.BytesIO(b"\x00\x01\x02PK\x03\x04" * 200), "scenario.yaml")}
    page = client.post("/roleplay/manage/import", data=upload,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "不是文本文件" in page and db.session.query(Scenario).count() == 0


@pytest.mark.parametrize(
    ("locale", "shown", "hidden"),
    [
        ("en", "The dimension weights sum to 110; they should sum to 100", "各维度权重之和"),
        ("zh_CN", "各维度权重之和为 110，应为 100", "dimension weights sum"),
    ],
)
def test_the_editor_shows_a_problem_in_the_readers_language_only(
    client, trainer, locale, shown, hidden
):
    client.post("/language", data={"locale": locale, "next": "/"})
    scenario = saved_scenario()
    values = settings_data(scenario.latest.script)
    values.update(weight_listen=values["weight_listen"] + 10)
    page = client.post(f"/roleplay/manage/{scenario.id}/settings",
                       data=fields(values)).get_data(as_text=True)
    problems = page.split('data-testid="problems"')[1].split("</ul>")[0]
    assert shown in problems and hidden not in problems


@pytest.mark.parametrize(
    ("locale", "shown", "hidden"),
    [
        ("en", "Unknown dimension patience; known dimensions: ", "未知维度"),
        ("zh_CN", "未知维度 patience，可用的维度：", "Unknown dimension"),
    ],
)
def test_the_import_page_shows_a_reading_problem_in_the_readers_language_only(
    client, trainer, locale, shown, hidden
):
    client.post("/language", data={"locale": locale, "next": "/"})
    text = sample_text().replace("listen: 5", "patience: 5", 1)
    page = client.post("/roleplay/manage/import", data={"text": text}).get_data(as_text=True)
    problems = page.split('data-testid="import-problems"')[1].split("</ul>")[0]
    assert shown in problems and hidden not in problems
