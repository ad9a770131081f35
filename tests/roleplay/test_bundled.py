"""The bundled scenarios (training/data/scenarios): each file reads and validates with the same
functions an import uses, has what the issue asks of demo content, and plays as a trainer expects:
the company's model replies pass, a careless employee fails, and the articles they link exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest

from training.manuals.demo import SEED_DIR
from training.manuals.outline import outline_rows
from training.manuals.parsing import extract_seed_library
from training.manuals.services import slugify
from training.roleplay.freetext import judge
from training.roleplay.graph import Check
from training.roleplay.play import Move, advance, offered
from training.roleplay.scoring import Result, score
from training.roleplay.script import Node, NodeKind, Option, Scenario
from training.roleplay.yaml_format import load_checked

Chooser = Callable[[Node, list[Option]], Option]  # picks one of the options offered
Typist = Callable[[Node], str]  # types the reply to a free-text step

BUNDLED = Path(__file__).resolve().parents[2] / "training" / "data" / "scenarios"
FILES = sorted(BUNDLED.glob("*.yaml"))

# The issue's list: the bank-counter e-banking card case, the dividend-date question, the
# restaurant portions case, a late delivery, a wrong credit-card charge, an insurance claim
# passed between departments, an expectation that cannot be met, a regulator complaint.
ISSUE_LIST = {
    "bank-ebanking-card",
    "fund-dividend-date",
    "restaurant-portions",
    "late-delivery",
    "credit-card-charge",
    "insurance-claim-ownership",
    "cash-withdrawal-limit",
    "regulator-complaint",
}

# What a careless employee types at each scenario's free-text step: every one must be caught
# as a critical mistake (推诿, 指责客户, promises the rules forbid, discouraging a complaint).
CARELESS_TYPED = {
    "bank-ebanking-card": "这个不归我管，是左边柜台办的，您找她去。",
    "fund-dividend-date": "明天肯定到，不到的话我们赔偿您的损失。",
    "restaurant-portions": "嫌多就别点那么多，吃不了别怪我们。",
    "late-delivery": "实在不行我们双倍赔偿给您，您就再等等吧。",
    "credit-card-charge": "系统显示是您自己刷了两次，这个我们没法处理。",
    "insurance-claim-ownership": "理赔的事不归我们客服管，您还是得找理赔部。",
    "cash-withdrawal-limit": "我私下帮您多取一点，不用登记了。",
    "regulator-complaint": "您别投诉了，我保证补给您。",
}

# Good replies in other words than the model reply, as an employee might type them: the
# scoring points' synonyms must catch them all.
GOOD_TYPED = {
    "bank-ebanking-card": "对不起耽误您时间了。我马上和电子银行部联系，最晚明天上午回复您，您不用再来排队。",
    "fund-dividend-date": "您别急，信息都是对的，一般两个工作日内到账，也就是明天，到了我打给您。",
    "restaurant-portions": "不好意思啊，下次米饭可以少盛，我们也准备出半份，老板同意了我告诉您。",
    "late-delivery": "对不起耽误您了，我这边给您重新发一份，走加急，周五中午前送到，我会一直跟踪。",
    "credit-card-charge": (
        "这笔我帮您提交调单了，8号先不用还这笔，也不影响征信，7个工作日左右出结果，"
        "我跟进后给您回电话。"
    ),
    "insurance-claim-ownership": "不好意思，我来联系理赔部，明天中午之前一定打给您告诉您结果。",
    "cash-withdrawal-limit": "真不好意思，今天最多先取一部分现金，其余我给您登记预约，明早来就能取。",
    "regulator-complaint": (
        "我这边给您受理了，工单号发您手机，核实后两天内联系您，结果出来之前我不能承诺什么，"
        "我会跟进。"
    ),
}


@cache
def loaded(path: Path) -> tuple[Scenario, Check]:
    """The file as `servicecoach scenario import` takes it: raises unless it reads and validates."""
    return load_checked(path.read_text(encoding="utf-8"), path.name)


@cache
def manual_articles() -> frozenset[str]:
    """Every article of the bundled manuals as `slug#anchor`, the way the demo imports them."""
    return frozenset(
        f"{slugify(document.title)}#{row.anchor}"
        for document in extract_seed_library(SEED_DIR)
        for row in outline_rows(document)
        if row.is_article
    )


def by_key(key: str) -> tuple[Scenario, Check]:
    return loaded(BUNDLED / f"{key}.yaml")


def typed_nodes(scenario: Scenario) -> list[Node]:
    return [node for node in scenario.nodes.values() if node.kind is NodeKind.FREE_TEXT]


def play(scenario: Scenario, choose: Chooser, type_reply: Typist) -> tuple[list[Move], Node, int]:
    """A run from the start to an end: `choose(node, offered)` picks options, `type_reply(node)`
    types replies; the moves, the end node and the final mood."""
    node_id, mood, moves = scenario.start, scenario.mood, list[Move]()
    while scenario.nodes[node_id].kind is not NodeKind.END:
        node = scenario.nodes[node_id]
        if node.kind is NodeKind.DECISION:
            move = advance(scenario, node_id, mood, option_id=choose(node, offered(node, mood)).id)
        elif node.kind is NodeKind.FREE_TEXT:
            move = advance(scenario, node_id, mood, text=type_reply(node))
        else:
            move = advance(scenario, node_id, mood)
        moves.append(move)
        node_id, mood = str(move.next_node_id), move.mood_after
        assert len(moves) < 100, "the run does not end"
    return moves, scenario.nodes[node_id], mood


def model_option(node: Node, options: list[Option]) -> Option:
    """The option that says what the step's model reply says (the debrief's 正确的处理)."""
    return next(option for option in options if option.text == option.model_reply)


def careless_option(node: Node, options: list[Option]) -> Option:
    """What annoys the customer most: the option with the worst mood change."""
    return min(options, key=lambda option: option.mood)


def result_of(
    scenario: Scenario, check: Check, choose: Chooser, type_reply: Typist
) -> tuple[Result, Node]:
    moves, end, mood = play(scenario, choose, type_reply)
    return score(scenario, check.maxima, moves, mood), end


def article_references(scenario: Scenario) -> Iterator[str]:
    yield from scenario.articles
    for node in scenario.nodes.values():
        yield from node.articles


def test_the_eight_scenarios_the_issue_lists_are_bundled():
    assert {path.stem for path in FILES} == ISSUE_LIST


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_file_imports_and_validates_without_any_problem(path: Path):
    scenario, check = loaded(path)
    assert check.valid and check.problems == []
    assert scenario.key == path.stem
    assert check.endings >= 2 and check.max_score >= scenario.pass_mark > check.min_score


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_each_scenario_has_what_the_issue_asks_of_bundled_content(key: str):
    scenario, _ = by_key(key)
    nodes = scenario.nodes.values()
    steps = [node for node in nodes if node.kind in (NodeKind.DECISION, NodeKind.FREE_TEXT)]
    assert len(steps) >= 4
    assert any(node.scoring and node.forbidden for node in typed_nodes(scenario))
    criticals = [option.critical for node in nodes for option in node.options if option.critical]
    criticals += [f.reason for node in nodes for f in node.forbidden if f.critical]
    assert criticals
    assert len({node.outcome for node in nodes if node.kind is NodeKind.END}) >= 2
    assert any(option.mood < 0 for node in nodes for option in node.options)
    assert scenario.articles


def test_some_scenarios_open_an_option_only_at_some_moods():
    gated = [
        key
        for key in ISSUE_LIST
        if any(option.gate for node in by_key(key)[0].nodes.values() for option in node.options)
    ]
    assert len(gated) >= 4


def gates_opened_without_a_critical_mistake(scenario: Scenario) -> set[tuple[str, str]]:
    """(node, option) of the gated options some run reaches with no critical mistake so far.

    A typed reply is tried twice: as the model reply (every point matched) and as a reply that
    matches nothing; the mood the free-text step leaves differs between the two."""
    opened: set[tuple[str, str]] = set()
    seen: set[tuple[str, int]] = set()

    def walk(node_id: str, mood: int) -> None:
        node = scenario.nodes[node_id]
        if node.kind is NodeKind.END or (node_id, mood) in seen:
            return
        seen.add((node_id, mood))
        if node.kind is NodeKind.DECISION:
            moves = [advance(scenario, node_id, mood, option_id=o.id) for o in offered(node, mood)]
            opened.update((node_id, m.option_id) for m in moves if node_option(node, m).gate)
        elif node.kind is NodeKind.FREE_TEXT:
            moves = [advance(scenario, node_id, mood, text=t) for t in (node.model_reply, "好的")]
        else:
            moves = [advance(scenario, node_id, mood)]
        for move in moves:
            if move.critical is None:
                walk(move.next_node_id, move.mood_after)

    walk(scenario.start, scenario.mood)
    return opened


def node_option(node: Node, move: Move) -> Option:
    return next(option for option in node.options if option.id == move.option_id)


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_every_mood_gate_opens_on_a_run_without_a_critical_mistake(key: str):
    """A gate that only a disqualified run can open would be an option nobody learns from."""
    scenario, _ = by_key(key)
    gated = {(n.id, o.id) for n in scenario.nodes.values() for o in n.options if o.gate}
    assert gated <= gates_opened_without_a_critical_mistake(scenario)


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_the_model_replies_play_to_a_resolved_passing_end(key: str):
    scenario, check = by_key(key)
    result, end = result_of(scenario, check, model_option, lambda node: node.model_reply)
    assert result.passed and result.critical_mistakes == []
    assert result.total >= scenario.pass_mark
    assert end.outcome == "resolved"


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_each_typed_model_reply_earns_every_scoring_point_and_no_forbidden_one(key: str):
    for node in typed_nodes(by_key(key)[0]):
        verdict = judge(node, node.model_reply)
        assert len(verdict.matched) == len(node.scoring), node.id
        assert verdict.forbidden == () and verdict.critical is None


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_a_good_reply_in_other_words_earns_every_scoring_point(key: str):
    (node, *_) = typed_nodes(by_key(key)[0])
    verdict = judge(node, GOOD_TYPED[key])
    assert len(verdict.matched) == len(node.scoring)
    assert verdict.forbidden == ()


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_a_careless_typed_reply_is_a_critical_mistake(key: str):
    (node, *_) = typed_nodes(by_key(key)[0])
    verdict = judge(node, CARELESS_TYPED[key])
    assert verdict.critical is not None
    assert len(verdict.matched) < len(node.scoring)


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_a_careless_employee_fails(key: str):
    scenario, check = by_key(key)
    result, _ = result_of(scenario, check, careless_option, lambda node: CARELESS_TYPED[key])
    assert not result.passed


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_one_critical_option_fails_a_run_that_otherwise_follows_the_model(key: str):
    scenario, check = by_key(key)
    chosen: list[Option] = []  # the critical option, once taken

    def critical_once(node: Node, options: list[Option]) -> Option:
        critical = [option for option in options if option.critical]
        if critical and not chosen:
            chosen.append(critical[0])
            return critical[0]
        return model_option(node, options)

    result, _ = result_of(scenario, check, critical_once, lambda node: node.model_reply)
    assert not result.passed
    assert [reason for _, reason in result.critical_mistakes] == [chosen[0].critical]


@pytest.mark.parametrize("key", sorted(ISSUE_LIST))
def test_every_article_reference_names_an_article_of_the_bundled_manuals(key: str):
    references = set(article_references(by_key(key)[0]))
    assert references and references <= manual_articles()


def test_the_bank_counter_case_follows_the_seed_correct_handling():
    """The seed's 正确的处理: find the cause, take the phone number, promise a time, contact the
    department, call back (tell the customer what to do only if they must come), apologise."""
    scenario, _ = by_key("bank-ebanking-card")
    typed = typed_nodes(scenario)[0]
    labels = {point.label for point in typed.scoring}
    assert {"承诺明确的回复时间", "留下客户电话，主动回复", "由自己联系电子银行部跟进"} <= labels
    callback = model_option(scenario.nodes["d5"], list(scenario.nodes["d5"].options))
    assert "抱歉" in callback.text and "查清楚" in callback.text
