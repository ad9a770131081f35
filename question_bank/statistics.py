"""Exam statistics over plain numbers: descriptive figures, a histogram, and item analysis.

Item analysis takes *moment sums* rather than rows, because the reports run over millions of
answers: one grouped SQL query gives, per question, the count n of attempts that had it, its
points Σx, Σx², the attempts' totals Σt, Σt² and the cross product Σxt. Everything below follows
from those sums exactly (no approximation), so the figures equal a row-by-row computation:

* facility (难度) = Σx ÷ Σ(item maximum): the mean share of the points earned, 0–1;
* discrimination (区分度) = Pearson r between the item score x and the rest of the attempt
  r = t − x (the corrected point-biserial for 0/1 items): Σr = Σt − Σx,
  Σr² = Σt² − 2Σxt + Σx², Σxr = Σxt − Σx²; None below 3 attempts or without variance;
* upper–lower index = facility in the top 27 % of attempts − facility in the bottom 27 %;
* Cronbach's α = k/(k−1) · (1 − Σ var(item) ÷ var(total)) — KR-20 when items score 0/1 — and
  the standard error of measurement sd(total)·√(1−α); only meaningful when every attempt had
  the same k questions, otherwise None.
"""

from __future__ import annotations

import math
import statistics as stdlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from question_bank.texts import N_

UPPER_LOWER_SHARE = 0.27  # Kelley's 27 %: the top and bottom groups of the upper–lower index
MIN_CORRELATED = 3  # fewer attempts with an item give no discrimination
# Variances below this (relative to the squared scale of the sums) are rounding noise of the
# moment formula, not spread: an item everyone got right has variance 0, not 1e-17.
RELATIVE_EPSILON = 1e-9


@dataclass(frozen=True)
class Descriptive:
    """n, mean, median, sample standard deviation, min and max of some numbers (None if n=0;
    sd None below 2)."""

    n: int
    mean: float | None
    median: float | None
    sd: float | None
    minimum: float | None
    maximum: float | None


def describe(values: Sequence[float]) -> Descriptive:
    """The descriptive figures of `values` (e.g. each examinee's counted percentage)."""
    if not values:
        return Descriptive(0, None, None, None, None, None)
    sd = stdlib.stdev(values) if len(values) > 1 else None
    return Descriptive(len(values), stdlib.fmean(values), stdlib.median(values), sd,
                       min(values), max(values))


@dataclass(frozen=True)
class HistogramBin:
    """Values from `start` (included) to `end` (excluded; the last bin includes its end)."""

    start: float
    end: float
    count: int

    def passing(self, pass_mark: float) -> bool:
        return self.start >= pass_mark


def bin_edges(pass_mark: float, width: float = 10, top: float = 100) -> list[float]:
    """Edges every `width` from 0 to `top`, plus the pass mark, so that no bin straddles it."""
    count = math.ceil(top / width)
    edges = {min(top, i * width) for i in range(count + 1)}
    if 0 < pass_mark < top:
        edges.add(pass_mark)
    return sorted(edges)


def histogram(values: Iterable[float], pass_mark: float, width: float = 10,
              top: float = 100) -> list[HistogramBin]:
    """Counts of `values` (0–top) per bin of `bin_edges`; a value of `top` falls in the last."""
    edges = bin_edges(pass_mark, width, top)
    counts = [0] * (len(edges) - 1)
    for value in values:
        counts[bin_index(value, edges)] += 1
    return [HistogramBin(edges[i], edges[i + 1], counts[i]) for i in range(len(counts))]


def bin_index(value: float, edges: Sequence[float]) -> int:
    """Which bin of `edges` holds `value` (clamped to the first and the last)."""
    for i in range(len(edges) - 2, -1, -1):
        if value >= edges[i]:
            return i
    return 0


@dataclass(frozen=True)
class ItemSums:
    """One question's moment sums over the attempts that had it (see the module)."""

    n: int
    sum_max: float  # Σ of the item's maximum points over those attempts
    sum_x: float
    sum_xx: float
    sum_t: float
    sum_tt: float
    sum_xt: float


@dataclass(frozen=True)
class TotalSums:
    """The attempts' totals: count, Σt and Σt² (for reliability)."""

    n: int
    sum_t: float
    sum_tt: float


@dataclass(frozen=True)
class GroupSums:
    """An item in one group of attempts (upper or lower 27 %): attempts, Σx, Σ maximum."""

    n: int
    sum_x: float
    sum_max: float

    @property
    def facility(self) -> float | None:
        return self.sum_x / self.sum_max if self.n and self.sum_max else None


def _centred(sum_a: float, sum_b: float, sum_ab: float, n: int) -> float:
    """n · covariance (Σab − ΣaΣb/n), the building block of variance and correlation."""
    return sum_ab - sum_a * sum_b / n


def _is_zero(variance: float, scale: float) -> bool:
    return variance <= RELATIVE_EPSILON * max(scale, 1.0)


def facility(item: ItemSums) -> float | None:
    """Mean share of the item's points earned, 0–1 (None without attempts)."""
    return item.sum_x / item.sum_max if item.n and item.sum_max else None


def discrimination(item: ItemSums) -> float | None:
    """Corrected item–rest correlation (see the module); None below 3 attempts or when the item
    or the rest of the attempt does not vary."""
    n = item.n
    if n < MIN_CORRELATED:
        return None
    sum_r = item.sum_t - item.sum_x
    sum_rr = item.sum_tt - 2 * item.sum_xt + item.sum_xx
    sum_xr = item.sum_xt - item.sum_xx
    var_x = _centred(item.sum_x, item.sum_x, item.sum_xx, n)
    var_r = _centred(sum_r, sum_r, sum_rr, n)
    if _is_zero(var_x, item.sum_xx) or _is_zero(var_r, sum_rr):
        return None
    r = _centred(item.sum_x, sum_r, sum_xr, n) / math.sqrt(var_x * var_r)
    return max(-1.0, min(1.0, r))


def upper_lower_index(upper: GroupSums, lower: GroupSums) -> float | None:
    """Facility in the upper group minus facility in the lower group (−1 to 1)."""
    if upper.facility is None or lower.facility is None:
        return None
    return upper.facility - lower.facility


def group_size(attempts: int) -> int:
    """How many attempts make the upper (and the lower) group: 27 %, at least 1 when n ≥ 2."""
    if attempts < 2:
        return 0
    return max(1, round(attempts * UPPER_LOWER_SHARE))


@dataclass(frozen=True)
class Reliability:
    alpha: float | None
    sem: float | None  # in the totals' unit


def reliability(items: Sequence[ItemSums], totals: TotalSums) -> Reliability:
    """Cronbach's α and the SEM, when every attempt had the same questions (each item's n equals
    the attempts' n) and there are at least two items and two attempts; else both None."""
    n, k = totals.n, len(items)
    if n < 2 or k < 2 or any(item.n != n for item in items):
        return Reliability(None, None)
    var_total = _centred(totals.sum_t, totals.sum_t, totals.sum_tt, n) / (n - 1)
    if _is_zero(var_total * (n - 1), totals.sum_tt):
        return Reliability(None, None)
    var_items = sum(_centred(i.sum_x, i.sum_x, i.sum_xx, n) for i in items) / (n - 1)
    alpha = k / (k - 1) * (1 - var_items / var_total)
    sem = math.sqrt(var_total) * math.sqrt(max(0.0, 1 - alpha))
    return Reliability(alpha, sem)


class Flag(StrEnum):
    """What makes a question worth a trainer's look."""

    NEGATIVE = "negative_discrimination"
    ALL_RIGHT = "everyone_right"
    ALL_WRONG = "everyone_wrong"
    UNCHOSEN = "distractor_unchosen"
    STRONG_DISTRACTOR = "distractor_strong"


FLAG_TEXTS: dict[Flag, str] = {
    Flag.NEGATIVE: N_("区分度为负：成绩好的人反而答错更多"),
    Flag.ALL_RIGHT: N_("所有人都答对"),
    Flag.ALL_WRONG: N_("所有人都答错"),
    Flag.UNCHOSEN: N_("有干扰项无人选择"),
    Flag.STRONG_DISTRACTOR: N_("有干扰项高分组比低分组选得多"),
}


@dataclass(frozen=True)
class Options:
    """How often each option was chosen, overall and in the upper and lower groups."""

    counts: Mapping[str, int]  # every label of the question, in the bank's order
    keyed: frozenset[str]  # the correct labels
    upper: Mapping[str, int] = field(default_factory=dict)
    lower: Mapping[str, int] = field(default_factory=dict)

    @property
    def distractors(self) -> list[str]:
        return [label for label in self.counts if label not in self.keyed]


def flags(item: ItemSums, r: float | None, options: Options | None) -> list[Flag]:
    """The flags of one question, in `Flag`'s order."""
    found: list[Flag] = []
    if r is not None and r < 0:
        found.append(Flag.NEGATIVE)
    if item.n and item.sum_max:
        if _is_zero(item.sum_max - item.sum_x, item.sum_max * 1e-3):
            found.append(Flag.ALL_RIGHT)
        elif _is_zero(item.sum_x, item.sum_max * 1e-3):
            found.append(Flag.ALL_WRONG)
    if options is not None and item.n:
        distractors = options.distractors
        if any(options.counts.get(label, 0) == 0 for label in distractors):
            found.append(Flag.UNCHOSEN)
        if any(options.upper.get(label, 0) > options.lower.get(label, 0) for label in distractors):
            found.append(Flag.STRONG_DISTRACTOR)
    return found


def chosen_labels(response: object) -> list[str]:
    """The option labels a stored response chose ("B" or ["A", "C"]), each once."""
    if isinstance(response, str):
        return [response] if response.strip() else []
    if isinstance(response, list):
        return list(dict.fromkeys(str(item) for item in response if isinstance(item, str)))
    return []


def count_options(labels: Sequence[str], responses: Iterable[tuple[object, int]]) -> dict[str, int]:
    """Per label (all of `labels`, in order), how many responses chose it, from grouped
    (response, count) pairs; labels not in the question are ignored."""
    counts = dict.fromkeys(labels, 0)
    for response, count in responses:
        for label in chosen_labels(response):
            if label in counts:
                counts[label] += count
    return counts
