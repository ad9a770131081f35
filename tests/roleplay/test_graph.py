"""Validation of the conversation graph (each kind of problem) and its reachable scores."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.roleplay import sample
from training.roleplay.graph import check
from training.roleplay.script import Dimension, Option, Outcome, Scenario


def found(scenario: Scenario) -> set[tuple[str | None, str, str]]:
    """(node, severity, the message's English tag) of every problem."""
    return {
        (p.node, p.severity, re.search(r"\(([^()]*)\)$", p.message).group(1))
        for p in check(scenario).problems
    }


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
    assert found(sample.scenario(data)) == {(None, "error", "weights sum to 105")}


def test_points_in_a_dimension_without_weight_are_flagged():
    data = sample.data()
    del data["weights"]["compliance"]
    data["weights"]["resolve"] = 35
    assert found(sample.scenario(data)) == {(None, "warning", "points in an unweighted dimension")}


def test_a_weighted_dimension_no_path_earns_is_flagged():
    data = sample.data()
    del sample.option(data, "d1", "a")["points"]["compliance"]
    assert found(sample.scenario(data)) == {
        (None, "warning", "no path earns compliance: runs that lose none get its whole weight")
    }


def test_start_and_next_must_name_existing_nodes():
    data = sample.data()
    data["start"] = "c0"
    assert (None, "error", "no such node") in found(sample.scenario(data))
    data = sample.data()
    sample.node(data, "c2")["next"] = "f9"
    sample.option(data, "d2", "b")["next"] = "e9"
    assert {("c2", "error", "no such node"), ("d2", "error", "no such node")} <= found(
        sample.scenario(data)
    )


@pytest.mark.parametrize("count", [1, 6])
def test_a_decision_has_2_to_5_options(count):
    scenario = sample.scenario()
    option = Option("x", "好的。", "e1")
    options = tuple(replace(option, id=f"x{i}") for i in range(count))
    assert ("d3", "error", "2–5 options") in found(with_node(scenario, "d3", options=options))


def test_an_end_node_has_an_outcome_and_no_next():
    scenario = sample.scenario()
    assert found(with_node(scenario, "e1", outcome=None)) == {
        ("e1", "error", "end node without outcome")
    }
    assert found(with_node(scenario, "e2", next="c1", outcome=Outcome.ESCALATED)) == {
        ("e2", "error", "end node with a next")
    }


def test_a_node_without_next_is_a_dead_end():
    data = sample.data()
    del sample.node(data, "c2")["next"]
    problems = found(sample.scenario(data))
    assert ("c2", "error", "dead end") in problems
    assert ("f1", "error", "unreachable node") in problems


def test_a_node_no_path_reaches_is_flagged():
    data = sample.data()
    data["nodes"].append({"id": "c9", "kind": "customer", "text": "还有别的吗？", "next": "e1"})
    assert found(sample.scenario(data)) == {("c9", "error", "unreachable node")}


def test_a_cycle_without_a_way_out_is_named_once():
    data = sample.data()
    sample.option(data, "d2", "a")["next"] = "c3"
    sample.option(data, "d2", "b")["next"] = "c3"
    problems = found(sample.scenario(data))
    assert problems == {
        ("c3", "error", "cycle without a way out"),
        ("e3", "error", "unreachable node"),
    }
    (message,) = [p.message for p in check(sample.scenario(data)).problems if p.node == "c3"]
    assert "c3 → d2" in message


def test_a_cycle_whose_way_out_the_mood_keeps_shut_is_flagged_at_its_decision():
    data = sample.data()
    d2 = sample.node(data, "d2")
    d2["options"] = [o for o in d2["options"] if o["id"] != "b"]
    data["nodes"] = [n for n in data["nodes"] if n["id"] != "e3"]
    sample.option(data, "d2", "a")["when"] = {"at_least": 20}
    # after d1.c (mood 25) the way out is open; after d1.b (mood 10) the loop only lowers it
    assert found(sample.scenario(data)) == {("d2", "error", "cycle without a way out")}
    (problem,) = check(sample.scenario(data)).problems
    assert problem.message.startswith("情绪为 0 时")


def test_a_loop_earns_its_points_once():
    data = sample.data()
    sample.option(data, "d2", "c")["points"] = {"apology": 5}
    assert check(sample.scenario(data)).maxima[Dimension.APOLOGY] == 10  # d2.c once, then d2.a


def test_a_mood_gate_no_path_opens_is_flagged():
    data = sample.data()
    sample.option(data, "d3", "a")["when"] = {"at_least": 95}
    assert ("d3", "error", "mood gate never opens") in found(sample.scenario(data))
    sample.option(data, "d3", "a")["when"] = {"at_least": 50, "below": 40}
    assert ("d3", "error", "empty gate") in found(sample.scenario(data))


def test_a_decision_that_offers_nothing_at_some_mood_is_a_dead_end():
    data = sample.data()
    sample.option(data, "d3", "b")["when"] = {"at_least": 40}
    assert found(sample.scenario(data)) == {("d3", "error", "no option open: dead end")}


def test_at_least_one_path_must_pass():
    data = sample.data()
    data["pass_mark"] = 91
    assert found(sample.scenario(data)) == {(None, "error", "no path passes")}
    data["pass_mark"] = 90.5
    assert found(sample.scenario(data)) == set()


def test_a_passing_total_with_a_critical_mistake_does_not_count_as_passing():
    data = sample.data()
    sample.option(data, "d1", "a")["critical"] = "测试用的一票否决"
    data["pass_mark"] = 60  # only d1.a reaches 60 (see test_scoring)
    assert (None, "error", "no path passes") in found(sample.scenario(data))


def test_a_typed_reply_without_scoring_points_is_flagged():
    data = sample.data()
    del sample.node(data, "f1")["scoring"]
    problems = found(sample.scenario(data))
    assert ("f1", "warning", "free-text step scores nothing") in problems


def test_a_very_branchy_scenario_keeps_exact_maxima_and_estimates_totals(monkeypatch):
    monkeypatch.setattr("training.roleplay.walk.MOST_OUTCOMES", 2)
    result = check(sample.scenario())
    assert (None, "warning", "too many paths: figures estimated") in {
        (p.node, p.severity, re.search(r"\(([^()]*)\)$", p.message).group(1))
        for p in result.problems
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
