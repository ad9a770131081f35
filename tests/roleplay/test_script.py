"""A scenario as plain data: the database keeps `to_dict`, a run replays `from_dict` of it."""

from __future__ import annotations

import json

import pytest

from tests.roleplay import sample
from training.roleplay.script import (
    Dimension,
    MoodGate,
    NodeKind,
    ScenarioDataError,
    from_dict,
    to_dict,
)


def test_stored_json_gives_back_the_same_scenario():
    scenario = sample.scenario()
    stored = json.loads(json.dumps(to_dict(scenario), ensure_ascii=False))
    assert from_dict(stored) == scenario
    assert to_dict(from_dict(stored)) == stored


def test_the_sample_reads_as_written():
    scenario = sample.scenario()
    assert scenario.weights[Dimension.RESOLVE] == 25
    assert list(scenario.nodes)[:3] == ["c1", "d1", "c2"]
    d1 = scenario.nodes["d1"]
    assert d1.kind is NodeKind.DECISION
    assert d1.options[2].gate == MoodGate(below=50)
    assert d1.options[2].critical.startswith("在柜台大声念出")
    assert scenario.nodes["c3"].mood_shown is False
    assert scenario.nodes["f1"].forbidden[1].dimension is Dimension.OWNERSHIP


def test_defaults_are_left_out_of_the_data():
    c1 = to_dict(sample.scenario())["nodes"][0]
    assert c1 == {
        "id": "c1",
        "kind": "customer",
        "text": "我排了四十分钟队，你现在告诉我办不了？",
        "next": "d1",
    }


def test_a_gate_at_zero_stays_a_gate():
    data = sample.data()
    sample.option(data, "d3", "a")["when"] = {"at_least": 0, "below": 30}
    scenario = from_dict(data)
    assert scenario.nodes["d3"].options[0].gate == MoodGate(at_least=0, below=30)
    assert from_dict(to_dict(scenario)) == scenario


def test_bad_data_names_every_problem():
    data = sample.data()
    data["channel"] = "fax"
    del data["title"]
    sample.option(data, "d1", "a")["points"] = {"charm": 5}
    with pytest.raises(ScenarioDataError) as raised:
        from_dict(data)
    fields = {(p.node, p.field) for p in raised.value.problems}
    assert fields == {(None, "channel"), (None, "title"), ("d1", "options[0].points.charm")}
