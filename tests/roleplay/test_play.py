"""The conversation as a state machine: options by mood, steps, the next node, mood 0–100."""

from __future__ import annotations

import pytest

from tests.roleplay import sample
from training.roleplay.play import Move, PlayError, advance, offered
from training.roleplay.script import Dimension

SCENARIO = sample.scenario()


def test_a_gated_option_is_offered_only_while_the_mood_admits_it():
    d1, d3 = SCENARIO.nodes["d1"], SCENARIO.nodes["d3"]
    assert [o.id for o in offered(d1, 49)] == ["a", "b", "c"]
    assert [o.id for o in offered(d1, 50)] == ["a", "b"]
    assert [o.id for o in offered(d3, 39)] == ["b"]
    assert [o.id for o in offered(d3, 40)] == ["a", "b"]


def test_a_customer_line_is_a_step_taken_with_continue():
    assert advance(SCENARIO, "c1", 25) == Move(node_id="c1", mood_after=25, next_node_id="d1")


def test_an_option_gives_its_points_mood_and_next_node():
    move = advance(SCENARIO, "d1", 25, option_id="a")
    assert move.points == {Dimension.LISTEN: 5, Dimension.APOLOGY: 5, Dimension.COMPLIANCE: 5}
    assert (move.mood_after, move.next_node_id, move.critical, move.suggested) == (
        40,
        "c2",
        None,
        False,
    )


def test_a_critical_option_carries_its_reason():
    move = advance(SCENARIO, "d1", 25, option_id="c")
    assert move.critical == "在柜台大声念出客户完整身份证号，泄露隐私。"


def test_a_typed_reply_gets_suggested_points():
    move = advance(SCENARIO, "f1", 40, text="  我负责跟进，今天给您回电。 ")
    assert move.text == "我负责跟进，今天给您回电。"
    assert move.points == {Dimension.RESOLVE: 10, Dimension.OWNERSHIP: 5}
    assert (move.suggested, move.mood_after, move.next_node_id) == (True, 50, "d3")
    assert move.matched == ("给出具体的时间承诺", "自己负责跟进")


def test_the_mood_stays_within_0_and_100():
    assert advance(SCENARIO, "d2", 10, option_id="b").mood_after == 0
    assert advance(SCENARIO, "d2", 95, option_id="a").mood_after == 100


@pytest.mark.parametrize(
    ("node_id", "mood", "option_id", "text"),
    [
        ("d1", 25, None, None),  # a decision needs an option
        ("d1", 25, "z", None),  # that exists
        ("d1", 60, "c", None),  # and is open at this mood
        ("d1", 25, "a", "hello"),  # and no text
        ("f1", 25, None, "  "),  # a typed reply needs text
        ("f1", 25, "a", "我负责"),  # and no option
        ("c1", 25, None, "hello"),  # a customer line takes neither
        ("e1", 60, None, None),  # an ended conversation takes nothing
        ("zz", 60, None, None),  # nor does a node that is not there
    ],
)
def test_a_reply_that_does_not_fit_the_step_is_refused(node_id, mood, option_id, text):
    with pytest.raises(PlayError):
        advance(SCENARIO, node_id, mood, option_id=option_id, text=text)
