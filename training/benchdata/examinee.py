"""How a simulated examinee answers one question, and what the scoring rules make of it.

The report benchmark's data set needs answers whose statistics mean something: a logistic item
model (an ability per person, a slope and a difficulty per question) gives facility and
discrimination a report can find, including the bad items a trainer must be shown — a negative
slope discriminates the wrong way, a very low difficulty is answered right by everyone.
Responses take the shapes the exam pages store (`training.exams.serialise.to_stored`) and the
points follow `question_bank.scoring`, which a test checks row by row. Pure Python.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BLANK_RATE = 0.03  # share of questions left unanswered
FILL_WORDS = ("首问负责", "限时办结", "一次告知", "主动回访", "情绪安抚", "核实身份")


@dataclass(frozen=True)
class Item:
    """A bank question as the simulation needs it: its key and its item parameters."""

    question_id: int
    version_id: int
    type: str
    labels: tuple[str, ...]  # option labels, choice types only
    key: Any  # as the bank stores it: ["B"], ["A", "C"], True, [["x"], ["y"]], text
    points: float
    slope: float
    difficulty: float
    distractors: tuple[float, ...]  # weights of the wrong labels, in label order

    @property
    def wrong_labels(self) -> list[str]:
        return [label for label in self.labels if label not in self.key]


@dataclass(frozen=True)
class Response:
    """One stored answer: the response, its points and verdict, and whether a person graded it."""

    response: Any
    points: float
    correct: bool
    answered: bool
    graded_by_person: bool


def chance_right(item: Item, ability: float) -> float:
    return 1 / (1 + math.exp(-item.slope * (ability - item.difficulty)))


def respond(item: Item, points: float, ability: float, partial: bool,
            rng: random.Random) -> Response:
    """What an examinee of `ability` answers to `item` worth `points` in this attempt."""
    if rng.random() < BLANK_RATE:
        return Response(None, 0.0, False, False, False)
    p = chance_right(item, ability)
    answer = ANSWERERS.get(item.type)
    if answer is None:  # a subjective type: a grader's points
        return _graded_text(points, p, rng)
    return answer(item, points, rng.random() < p, partial, rng)


def _single(item: Item, points: float, right: bool, _partial: bool,
            rng: random.Random) -> Response:
    return _all_or_nothing([item.key[0] if right else _distractor(item, rng)], points, right)


def _true_false(item: Item, points: float, right: bool, _partial: bool,
                _rng: random.Random) -> Response:
    return _all_or_nothing(item.key if right else not item.key, points, right)


def _all_or_nothing(response: Any, points: float, right: bool) -> Response:
    return Response(response, points if right else 0.0, right, True, False)


def _distractor(item: Item, rng: random.Random) -> str:
    return rng.choices(item.wrong_labels, weights=item.distractors)[0]


def _multiple(item: Item, points: float, right: bool, partial: bool,
              rng: random.Random) -> Response:
    """Wrong is half the time a clean subset (half the points under `partial`), else a wrong pick."""
    key = list(item.key)
    if right:
        return _all_or_nothing(key, points, True)
    if len(key) > 1 and rng.random() < 0.5:
        dropped = rng.choice(key)
        subset = [label for label in key if label != dropped]
        return Response(subset, round(points * 0.5, 2) if partial else 0.0, False, True, False)
    picked = sorted({*key[1:], _distractor(item, rng)})
    return _all_or_nothing(picked, points, False)


def _fill_blank(item: Item, points: float, right: bool, _partial: bool,
                rng: random.Random) -> Response:
    """Each blank is right or wrong; a wrong answer still gets some blanks right."""
    blanks = len(item.key)
    hits = blanks if right else rng.randrange(blanks)
    texts = [alternatives[0] if n < hits else rng.choice(FILL_WORDS) + "？"
             for n, alternatives in enumerate(item.key)]
    return Response(texts, round(points * hits / blanks, 2), hits == blanks, True, False)


def _graded_text(points: float, p: float, rng: random.Random) -> Response:
    """A grader's points in half-point steps, near the examinee's chance of getting it right."""
    fraction = min(1.0, max(0.0, p + rng.gauss(0, 0.15)))
    awarded = min(points, round(points * fraction * 2) / 2)
    text = "先倾听客户诉求，再核实信息，" + ("给出解决方案并回访。" if fraction > 0.5 else "请示组长。")
    return Response(text, awarded, awarded >= points, True, True)


# How a simulated examinee answers each objective type (the others are graded text), by the
# type's registered name, as `question_bank.types` registers its classes.
ANSWERERS: dict[str, Callable[[Item, float, bool, bool, random.Random], Response]] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "fill_blank": _fill_blank,
}
