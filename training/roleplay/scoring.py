"""A run's score: weighted dimensions → 0–100, and 一票否决 for any critical mistake.

A dimension scores the points the run earned in it divided by the most a single path through
the scenario can earn in it (`graph.Check.maxima`, computed when the scenario is saved), clamped
to 0–1; `mood` scores the final mood ÷ 100. A choice made again in a loop of the conversation
(the same option, or the same typed-reply step) counts once, the first time: walking a loop
twice must not earn more than the best path, and the graph's maxima are computed the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from training.roleplay.play import Move
from training.roleplay.script import Dimension, Scenario


@dataclass(frozen=True)
class Result:
    total: float  # 0–100, one decimal
    dimensions: dict[Dimension, float]  # weighted dimensions only, 0–100 each
    passed: bool
    critical_mistakes: list[tuple[int, str]]  # (step, reason); step n is moves[n - 1]
    provisional: bool  # a typed reply's points still await a trainer's review


def share(earned: float, most: float) -> float:
    """A dimension's score 0–1; where no path can earn anything, a run that lost nothing has it all."""
    if most <= 0:
        return 1.0 if earned >= 0 else 0.0
    return min(1.0, max(0.0, earned / most))


def weighted(
    weights: Mapping[Dimension, int],
    maxima: Mapping[Dimension, float],
    earned: Mapping[Dimension, float],
    final_mood: int,
) -> tuple[float, dict[Dimension, float]]:
    """The total 0–100 and each weighted dimension's score 0–100."""
    dimensions = {
        dimension: 100.0
        * (
            final_mood / 100
            if dimension is Dimension.MOOD
            else share(earned.get(dimension, 0.0), maxima.get(dimension, 0.0))
        )
        for dimension in weights
    }
    total = sum(weights[d] * dimensions[d] / 100 for d in weights)
    return round(total, 1), {d: round(value, 1) for d, value in dimensions.items()}


def counted(moves: Sequence[Move]) -> list[bool]:
    """Which moves' points count: the first of each choice (option, or typed-reply step)."""
    seen: set[tuple[str, str | None]] = set()
    flags = []
    for move in moves:
        choice = (move.node_id, move.option_id)
        flags.append(choice not in seen)
        seen.add(choice)
    return flags


def earned(moves: Sequence[Move]) -> dict[Dimension, float]:
    """Points per dimension over the moves that count."""
    totals: dict[Dimension, float] = {}
    for move, counts in zip(moves, counted(moves), strict=True):
        if counts:
            for dimension, points in move.points.items():
                totals[Dimension(dimension)] = totals.get(Dimension(dimension), 0.0) + points
    return totals


def score(
    scenario: Scenario,
    maxima: Mapping[Dimension, float],
    moves: Sequence[Move],
    final_mood: int,
) -> Result:
    """The run's result from its moves (with reviewed points where a trainer set them)."""
    total, dimensions = weighted(scenario.weights, maxima, earned(moves), final_mood)
    mistakes = [(step, move.critical) for step, move in enumerate(moves, 1) if move.critical]
    return Result(
        total=total,
        dimensions=dimensions,
        passed=not mistakes and total >= scenario.pass_mark,
        critical_mistakes=mistakes,
        provisional=any(move.suggested for move in moves),
    )
