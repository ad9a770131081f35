"""Exam statistics against values worked out by hand (the working is in the comments), and the
moment-sum formulas against a direct row-by-row computation."""

from __future__ import annotations

import math
import random
import statistics as stdlib

import pytest

from question_bank.statistics import (
    Flag,
    GroupSums,
    ItemSums,
    Options,
    TotalSums,
    count_options,
    describe,
    discrimination,
    facility,
    flags,
    group_size,
    histogram,
    reliability,
    upper_lower_index,
)


def item_sums(scores: list[float], totals: list[float], maximum: float) -> ItemSums:
    """The sums grouped SQL gives for one item, from its scores and the attempts' totals."""
    return ItemSums(
        n=len(scores), sum_max=maximum * len(scores), sum_x=sum(scores),
        sum_xx=sum(x * x for x in scores), sum_t=sum(totals), sum_tt=sum(t * t for t in totals),
        sum_xt=sum(x * t for x, t in zip(scores, totals, strict=True)),
    )


def total_sums(totals: list[float]) -> TotalSums:
    return TotalSums(len(totals), sum(totals), sum(t * t for t in totals))


def items_of(matrix: list[list[float]], maxima: list[float]) -> tuple[list[ItemSums], TotalSums]:
    totals = [sum(row) for row in matrix]
    columns = list(zip(*matrix, strict=True))
    return ([item_sums(list(column), totals, maximum)
             for column, maximum in zip(columns, maxima, strict=True)], total_sums(totals))


# Five attempts, three 0/1 items. Item 1: everyone right. Items 2 and 3: the attempts that got
# one right got the other wrong, so each runs against the rest of the paper.
#   attempt  x1 x2 x3  t
#   a1        1  1  0  2
#   a2        1  1  0  2
#   a3        1  1  1  3
#   a4        1  0  1  2
#   a5        1  0  1  2
NEGATIVE = [[1, 1, 0], [1, 1, 0], [1, 1, 1], [1, 0, 1], [1, 0, 1]]


def test_an_item_against_the_rest_of_the_paper_discriminates_negatively():
    items, _totals = items_of(NEGATIVE, [1, 1, 1])
    # Item 3: x = 0 0 1 1 1 (mean .6), rest = t − x = 2 2 2 1 1 (mean 1.6).
    # deviations x: −.6 −.6 .4 .4 .4; rest: .4 .4 .4 −.6 −.6
    # Σ products = −.24 −.24 +.16 −.24 −.24 = −.8; Σx'² = 1.2; Σr'² = 1.2 → r = −.8/1.2 = −2/3
    assert discrimination(items[2]) == pytest.approx(-2 / 3)
    assert facility(items[2]) == pytest.approx(0.6)
    assert Flag.NEGATIVE in flags(items[2], discrimination(items[2]), None)


def test_an_item_everyone_got_right_has_no_discrimination_and_is_flagged():
    items, _totals = items_of(NEGATIVE, [1, 1, 1])
    assert facility(items[0]) == 1
    assert discrimination(items[0]) is None  # no variance in x
    assert flags(items[0], None, None) == [Flag.ALL_RIGHT]


def test_an_item_everyone_got_wrong_is_flagged():
    item = item_sums([0, 0, 0], [3, 1, 2], 2)
    assert facility(item) == 0
    assert flags(item, discrimination(item), None) == [Flag.ALL_WRONG]


def test_negative_reliability_by_hand():
    items, totals = items_of(NEGATIVE, [1, 1, 1])
    # Sample variances: items 0, .3, .3 (Σ = .6); totals 2 2 3 2 2, mean 2.2, Σd² = .8 → .2.
    # α = 3/2 · (1 − .6/.2) = −3; SEM = √.2 · √(1 − (−3)) = 2√.2
    found = reliability(items, totals)
    assert found.alpha == pytest.approx(-3)
    assert found.sem == pytest.approx(2 * math.sqrt(0.2))


def test_kr20_by_hand():
    #   attempt  x1 x2  t
    #   a1        1  1  2
    #   a2        1  1  2
    #   a3        0  0  0
    #   a4        1  0  1
    # var x1 = .75/3 = 1/4, var x2 = 1/3, var t = 2.75/3 = 11/12
    # α = 2 · (1 − (7/12)/(11/12)) = 8/11; SEM = √(11/12) · √(3/11) = 1/2
    # (KR-20 with p·q: .75·.25 + .5·.5 = .4375, var t (n) = .6875 → 2 · (1 − .4375/.6875) = 8/11)
    items, totals = items_of([[1, 1], [1, 1], [0, 0], [1, 0]], [1, 1])
    found = reliability(items, totals)
    assert found.alpha == pytest.approx(8 / 11)
    assert found.sem == pytest.approx(0.5)
    # item 1 against the rest (item 2): Σ products .5, Σx'² .75, Σr'² 1 → 1/√3
    assert discrimination(items[0]) == pytest.approx(1 / math.sqrt(3))


def test_mixed_points_and_partial_credit_by_hand():
    # P: multiple answer worth 2, partial credit; Q: worth 1; R: worth 3.
    #   attempt  P  Q  R  t
    #   a1       2  1  3  6
    #   a2       1  1  0  2
    #   a3       0  0  3  3
    items, _totals = items_of([[2, 1, 3], [1, 1, 0], [0, 0, 3]], [2, 1, 3])
    p, q, r = items
    assert [facility(p), facility(q), facility(r)] == pytest.approx([3 / 6, 2 / 3, 6 / 9])
    # P: x 2 1 0 (mean 1), rest 4 1 3 (mean 8/3); Σ products 4/3 + 0 − 1/3 = 1; Σx'² = 2;
    # Σr'² = 16/9 + 25/9 + 1/9 = 14/3 → r = 1/√(28/3)
    assert discrimination(p) == pytest.approx(1 / math.sqrt(28 / 3))
    # Q: x 1 1 0, rest 5 1 3 (mean 3): deviations 2 −2 0 → Σ products 0
    assert discrimination(q) == pytest.approx(0)
    # R: x 3 0 3 (mean 2), rest 3 2 0 (mean 5/3): Σ products 4/3 − 2/3 − 5/3 = −1; Σx'² = 6;
    # Σr'² = 14/3 → r = −1/√28
    assert discrimination(r) == pytest.approx(-1 / math.sqrt(28))


def test_reliability_needs_the_same_questions_in_every_attempt():
    items, totals = items_of([[1, 1], [1, 0], [0, 0]], [1, 1])
    drawn_twice = ItemSums(2, 2, 1, 1, 2, 4, 2)  # an item only two of three attempts had
    assert reliability([items[0], drawn_twice], totals).alpha is None
    assert reliability(items[:1], totals).alpha is None  # one item: no α


def test_discrimination_needs_three_attempts():
    assert discrimination(item_sums([1, 0], [2, 0], 1)) is None


def test_upper_lower_index_from_group_sums():
    # 11 attempts: groups of round(2.97) = 3. Upper: 3 of 3 right; lower: 1 of 3 right.
    assert group_size(11) == 3 and group_size(1) == 0 and group_size(3) == 1
    assert upper_lower_index(GroupSums(3, 3, 3), GroupSums(3, 1, 3)) == pytest.approx(2 / 3)
    assert upper_lower_index(GroupSums(0, 0, 0), GroupSums(3, 1, 3)) is None


def test_distractor_flags():
    options = Options({"A": 3, "B": 0, "C": 2}, frozenset({"A"}), upper={"A": 2, "C": 1},
                      lower={"A": 1, "C": 0})
    item = item_sums([1, 1, 1, 0, 0], [3, 3, 2, 1, 0], 1)
    assert flags(item, 0.5, options) == [Flag.UNCHOSEN, Flag.STRONG_DISTRACTOR]


def test_option_counts_from_grouped_responses():
    grouped = [("B", 4), (["A", "C"], 2), (["C"], 1), (None, 3), ("", 1), ("Z", 1)]
    assert count_options(["A", "B", "C", "D"], grouped) == {"A": 2, "B": 4, "C": 3, "D": 0}


def test_descriptive_figures_by_hand():
    # mean 67.5, median (60 + 70)/2; deviations −17.5 −7.5 2.5 22.5 → Σd² = 875 → sd √(875/3)
    found = describe([50, 60, 70, 90])
    assert (found.n, found.mean, found.median, found.minimum, found.maximum) == (
        4, 67.5, 65, 50, 90)
    assert found.sd == pytest.approx(math.sqrt(875 / 3))
    assert describe([]).mean is None and describe([80]).sd is None


def test_histogram_bins_split_at_the_pass_mark():
    bins = histogram([0, 59.99, 60, 64, 65, 100], 65)
    assert [(b.start, b.end) for b in bins][5:8] == [(50, 60), (60, 65), (65, 70)]
    counts = {(b.start, b.end): b.count for b in bins}
    assert counts[(0, 10)] == 1 and counts[(50, 60)] == 1 and counts[(60, 65)] == 2
    assert counts[(65, 70)] == 1 and counts[(90, 100)] == 1
    assert sum(counts.values()) == 6
    assert not bins[6].passing(65) and bins[7].passing(65)


def test_moment_sums_agree_with_a_row_by_row_computation():
    rng = random.Random(17)
    maxima = [1, 2, 3, 1, 5]
    matrix = [[rng.choice([0, m / 2, m, m]) for m in maxima] for _ in range(40)]
    items, totals = items_of(matrix, maxima)
    rows_total = [sum(row) for row in matrix]
    for index, item in enumerate(items):
        scores = [row[index] for row in matrix]
        rest = [t - x for t, x in zip(rows_total, scores, strict=True)]
        assert discrimination(item) == pytest.approx(stdlib.correlation(scores, rest))
        assert facility(item) == pytest.approx(stdlib.fmean(scores) / maxima[index])
    k = len(maxima)
    direct = k / (k - 1) * (1 - sum(stdlib.variance([row[i] for row in matrix]) for i in range(k))
                            / stdlib.variance(rows_total))
    assert reliability(items, totals).alpha == pytest.approx(direct)
