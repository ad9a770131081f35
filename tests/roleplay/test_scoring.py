"""Scores: weighted dimensions against the graph's maxima, 一票否决, the final mood."""

from __future__ import annotations

import pytest

from tests.roleplay import sample
from training.roleplay import graph
from training.roleplay.play import Move, advance
from training.roleplay.scoring import counted, score, share
from training.roleplay.script import Dimension

SCENARIO = sample.scenario()
MAXIMA = graph.check(SCENARIO).maxima


def play(*replies: str | None) -> tuple[list[Move], int]:
    """Play the sample from its start: an option id, a typed reply ("text:…") or None."""
    node_id, mood, moves = SCENARIO.start, SCENARIO.mood, []
    for reply in replies:
        text = reply[5:] if reply and reply.startswith("text:") else None
        option = reply if reply and text is None else None
        move = advance(SCENARIO, node_id, mood, option_id=option, text=text)
        moves.append(move)
        node_id, mood = move.next_node_id, move.mood_after
    assert SCENARIO.nodes[node_id].kind == "end"
    return moves, mood


def test_the_best_path_scores_each_dimension_against_its_maximum():
    moves, mood = play(None, "a", None, "text:我负责跟进，今天给您回电。", "a")
    result = score(SCENARIO, MAXIMA, moves, mood)
    assert result.dimensions == {
        Dimension.LISTEN: 100.0,
        Dimension.EMPATHY: 50.0,  # 5 of the 10 the d2 apology path also earns
        Dimension.APOLOGY: 100.0,
        Dimension.RESOLVE: 100.0,
        Dimension.OWNERSHIP: 100.0,
        Dimension.COMPLIANCE: 100.0,
        Dimension.MOOD: 60.0,
    }
    # 15 + 7.5 + 15 + 25 + 15 + 10 + 5 × 0.6
    assert result.total == 90.5
    assert result.passed and not result.critical_mistakes
    assert result.provisional  # the typed reply awaits a trainer


def test_below_the_pass_mark_fails():
    moves, mood = play(None, "b", None, "a", None, "text:您先回去等通知吧。", "b")
    result = score(SCENARIO, MAXIMA, moves, mood)
    # empathy 5/10, apology 5/5, ownership -5 → 0, mood 25 - 15 + 20 - 10 - 10 = 10
    assert result.total == 7.5 + 15 + 0.5
    assert not result.passed


def test_a_critical_mistake_fails_the_run_whatever_its_total():
    moves, mood = play(None, "c", None, "a", None, "text:我负责跟进，今天给您回电。", "a")
    result = score(SCENARIO, MAXIMA, moves, mood)
    assert result.total >= SCENARIO.pass_mark
    assert not result.passed
    assert result.critical_mistakes == [(2, "在柜台大声念出客户完整身份证号，泄露隐私。")]


def test_a_reviewed_typed_reply_counts_the_trainers_points():
    moves, mood = play(None, "a", None, "text:这不归我管。", "b")
    assert score(SCENARIO, MAXIMA, moves, mood).critical_mistakes == [(4, "推诿")]
    reviewed = [
        *moves[:3],
        Move("f1", text=moves[3].text, points={Dimension.RESOLVE: 10}),
        moves[4],
    ]
    result = score(SCENARIO, MAXIMA, reviewed, mood)
    assert not result.provisional and not result.critical_mistakes
    assert result.dimensions[Dimension.RESOLVE] == 50.0


def test_a_choice_made_again_in_a_loop_counts_once():
    looped = [Move("d2", "a", points={Dimension.APOLOGY: 5})] * 3
    assert counted(looped) == [True, False, False]
    assert score(SCENARIO, MAXIMA, looped, 50).dimensions[Dimension.APOLOGY] == 100.0
    assert score(SCENARIO, MAXIMA, looped[:1], 50).dimensions[Dimension.EMPATHY] == 0.0


@pytest.mark.parametrize(
    ("earned", "most", "expected"),
    [(5, 10, 0.5), (15, 10, 1.0), (-5, 10, 0.0), (0, 0, 1.0), (-1, 0, 0.0)],
)
def test_a_dimension_share_is_clamped_and_a_dimension_nothing_earns_is_kept_unless_lost(
    earned, most, expected
):
    assert share(earned, most) == expected
