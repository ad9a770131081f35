"""Validation of the conversation graph (each kind of problem) and its reachable scores."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.roleplay import sample
from training.roleplay.graph import check
from training.roleplay.script import Dimension, Option, Outcome, Scenario


def found(scenario: Scenario) -> set[tuple[str | None, str, str]]:
    """(node, severity, message) of every problem."""
    return {(p.node, p.severity, p.message) for p in check(scenario).problems}


def with_node(scenario: Scenario, node_id: str, **changes) -> Scenario:
    nodes = dict(scenario.nodes)
    nodes[node_id] = replace(nodes[node_id], **changes)
    return replace(scenario, nodes=nodes)


def test_the_sample_is_valid_with_its_figures():
    result = check(sample.scenario())
    assert result.problems == []
    # the best run: d1.a, every scoring point, d3.a (see test_scoring); the worst: the privacy
    # mistake, the customer waiting in the d2 loop until the mood is 0, then the argument
    assert (result.max_score, result.min_score) == (90.5, 0.0)
    assert result.maxima == {
        Dimension.LISTEN: 5,
        Dimension.EMPATHY: 10,  # d2.a then d3.a
        Dimension.APOLOGY: 5,
        Dimension.RESOLVE: 20,  # the typed reply's 10 and d3.a's 10
        Dimension.OWNERSHIP: 5,
        Dimension.COMPLIANCE: 5,
    }
    # routes passing no node twice: d1.a then d3.a or d3.b; d1.b or d1.c then d2.b, or d2.a
    # and d3.a or d3.b (d2.c goes back to c3)
    assert (result.endings, result.paths) == (3, 2 + 3 + 3)
    assert result.as_json() == {
        "valid": True,
        "problems": [],
        "max_score": 90.5,
        "min_score": 0.0,
        "endings": 3,
        "paths": 8,
    }


def test_weights_must_sum_to_100():
    data = sample.data()
    data["weights"]["mood"] = 10
    assert found(sample.scenario(data)) == {(None, "error", "各维度权重之和为 105，应为 100")}


def test_points_in_a_dimension_without_weight_are_flagged():
    data = sample.data()
    del data["weights"]["compliance"]
    data["weights"]["resolve"] = 35
    assert found(sample.scenario(data)) == {
        (None, "warning", "维度 compliance 没有权重，其得分不计入总分")
    }


def test_a_weighted_dimension_no_path_earns_is_flagged():
    data = sample.data()
    del sample.option(data, "d1", "a")["points"]["compliance"]
    assert found(sample.scenario(data)) == {
        (None, "warning", "没有路径能在维度 compliance 得分，未在此扣分的练习得满分")
    }


def test_start_and_next_must_name_existing_nodes():
    data = sample.data()
    data["start"] = "c0"
    assert (None, "error", "start 指向不存在的节点 c0") in found(sample.scenario(data))
    data = sample.data()
    sample.node(data, "c2")["next"] = "f9"
    sample.option(data, "d2", "b")["next"] = "e9"
    assert {
        ("c2", "error", "next 指向不存在的节点 f9"),
        ("d2", "error", "选项 b 的 next 指向不存在的节点 e9"),
    } <= found(sample.scenario(data))


@pytest.mark.parametrize("count", [1, 6])
def test_a_decision_has_2_to_5_options(count):
    scenario = sample.scenario()
    option = Option("x", "好的。", "e1")
    options = tuple(replace(option, id=f"x{i}") for i in range(count))
    assert ("d3", "error", f"决策节点应有 2–5 个选项，现有 {count} 个") in found(
        with_node(scenario, "d3", options=options)
    )


def test_an_end_node_has_an_outcome_and_no_next():
    scenario = sample.scenario()
    assert found(with_node(scenario, "e1", outcome=None)) == {
        ("e1", "error", "结束节点缺少 outcome")
    }
    assert found(with_node(scenario, "e2", next="c1", outcome=Outcome.ESCALATED)) == {
        ("e2", "error", "结束节点不能有后续")
    }


def test_a_node_without_next_is_a_dead_end():
    data = sample.data()
    del sample.node(data, "c2")["next"]
    problems = found(sample.scenario(data))
    assert ("c2", "error", "没有 next，对话在此中断") in problems
    assert ("f1", "error", "没有路径能到达此节点") in problems


def test_a_node_no_path_reaches_is_flagged():
    data = sample.data()
    data["nodes"].append({"id": "c9", "kind": "customer", "text": "还有别的吗？", "next": "e1"})
    assert found(sample.scenario(data)) == {("c9", "error", "没有路径能到达此节点")}


def test_a_cycle_without_a_way_out_is_named_once():
    data = sample.data()
    sample.option(data, "d2", "a")["next"] = "c3"
    sample.option(data, "d2", "b")["next"] = "c3"
    problems = found(sample.scenario(data))
    assert problems == {
        ("c3", "error", "循环 c3 → d2 没有出口，走不到结束节点"),
        ("e3", "error", "没有路径能到达此节点"),
    }


def test_a_cycle_whose_way_out_the_mood_keeps_shut_is_flagged_at_its_decision():
    data = sample.data()
    d2 = sample.node(data, "d2")
    d2["options"] = [o for o in d2["options"] if o["id"] != "b"]
    data["nodes"] = [n for n in data["nodes"] if n["id"] != "e3"]
    sample.option(data, "d2", "a")["when"] = {"at_least": 20}
    # after d1.c (mood 25) the way out is open; after d1.b (mood 10) the loop only lowers it
    assert found(sample.scenario(data)) == {
        ("d2", "error", "情绪为 0 时，从这里的每个回复都绕回原处，走不到结束节点")
    }


def test_a_loop_earns_its_points_once():
    data = sample.data()
    sample.option(data, "d2", "c")["points"] = {"apology": 5}
    assert check(sample.scenario(data)).maxima[Dimension.APOLOGY] == 10  # d2.c once, then d2.a


def test_a_mood_gate_no_path_opens_is_flagged():
    data = sample.data()
    sample.option(data, "d3", "a")["when"] = {"at_least": 95}
    assert ("d3", "error", "选项 a 的情绪条件在任何路径上都无法满足") in found(
        sample.scenario(data)
    )
    sample.option(data, "d3", "a")["when"] = {"at_least": 50, "below": 40}
    assert ("d3", "error", "选项 a 的情绪条件不可能满足") in found(sample.scenario(data))


def test_a_decision_that_offers_nothing_at_some_mood_is_a_dead_end():
    data = sample.data()
    sample.option(data, "d3", "b")["when"] = {"at_least": 40}
    assert found(sample.scenario(data)) == {("d3", "error", "情绪为 30 时没有可选的回复")}


def test_at_least_one_path_must_pass():
    data = sample.data()
    data["pass_mark"] = 91
    assert found(sample.scenario(data)) == {(None, "error", "没有能及格的路径")}
    data["pass_mark"] = 90.5
    assert found(sample.scenario(data)) == set()


def test_a_passing_total_with_a_critical_mistake_does_not_count_as_passing():
    data = sample.data()
    sample.option(data, "d1", "a")["critical"] = "测试用的一票否决"
    data["pass_mark"] = 60  # only d1.a reaches 60 (see test_scoring)
    assert (None, "error", "没有能及格的路径") in found(sample.scenario(data))


def test_a_typed_reply_without_scoring_points_is_flagged():
    data = sample.data()
    del sample.node(data, "f1")["scoring"]
    problems = found(sample.scenario(data))
    assert ("f1", "warning", "自由回复没有得分点") in problems


def test_a_very_branchy_scenario_keeps_exact_maxima_and_estimates_totals(monkeypatch):
    monkeypatch.setattr("training.roleplay.walk.MOST_OUTCOMES", 2)
    result = check(sample.scenario())
    assert (None, "warning", "路径太多，最高分、最低分和路径数为估算") in {
        (p.node, p.severity, p.message) for p in result.problems
    }
    assert result.valid
    assert result.maxima == check(sample.scenario()).maxima
    assert result.min_score <= result.max_score <= 90.5


def test_a_scenario_of_millions_of_paths_is_checked_at_once():
    data = sample.data()
    data["start"] = "q0"
    for i in range(12):  # twelve questions of four answers: 4¹² = 16,777,216 routes
        options = [
            {
                "id": f"o{j}",
                "text": "好的。",
                "next": f"q{i + 1}" if i < 11 else "c1",
                "points": {"listen": j, "empathy": 3 - j},
                "mood": 2 * j - 3,
            }
            for j in range(4)
        ]
        data["nodes"].append({"id": f"q{i}", "kind": "decision", "options": options})
    result = check(sample.scenario(data))
    assert result.problems == []
    assert result.paths == 4**12 * 8
    assert result.maxima[Dimension.LISTEN] == 12 * 3 + 5
