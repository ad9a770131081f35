"""The documented scoring rules of question_bank.scoring."""

from __future__ import annotations

import pytest

from question_bank.model import Option, Question, ScoringPoint
from question_bank.scoring import (
    ScoringRule,
    fold_text,
    manual_grading,
    score_fill_blank,
    score_multiple,
    score_single,
    score_true_false,
)
from question_bank.types import get_type

PARTIAL = ScoringRule(multiple="partial")


def multiple(answer: list[str], points: float = 4) -> Question:
    options = [Option(label, label.lower()) for label in "ABCDE"]
    return Question(
        type="multiple", stem="哪些是礼貌用语?", options=options, answer=answer, points=points
    )


def test_single_is_all_or_nothing():
    question = Question(type="single", stem="?", answer=["B"], points=2)
    assert score_single(question, "B").points_awarded == 2
    wrong = score_single(question, "A")
    assert (wrong.points_awarded, wrong.correct, wrong.needs_manual) == (0, False, False)
    assert "B" in wrong.detail
    assert score_single(question, None).points_awarded == 0


@pytest.mark.parametrize(
    ("picked", "all_or_nothing", "partial"),
    [
        (["A", "B", "D"], 4, 4),
        (["A", "B"], 0, 2),
        (["D"], 0, 2),
        (["A", "C"], 0, 0),
        (["A", "B", "C", "D"], 0, 0),
        ([], 0, 0),
    ],
)
def test_multiple_rules(picked, all_or_nothing, partial):
    question = multiple(["A", "B", "D"])
    assert score_multiple(question, picked).points_awarded == all_or_nothing
    assert score_multiple(question, picked, PARTIAL).points_awarded == partial


def test_partial_fraction_is_a_parameter():
    rule = ScoringRule(multiple="partial", partial_fraction=0.4)
    result = score_multiple(multiple(["A", "B"], points=5), ["A"], rule)
    assert (result.points_awarded, result.correct) == (2.0, False)


def test_only_the_exact_set_is_correct():
    assert score_multiple(multiple(["A", "B"]), ["B", "A"], PARTIAL).correct is True
    assert score_multiple(multiple(["A", "B"]), ["A"], PARTIAL).correct is False


@pytest.mark.parametrize(
    "settings", [{"multiple": "lenient"}, {"partial_fraction": 1.5}, {"partial_fraction": -0.1}]
)
def test_bad_rules_are_refused(settings):
    with pytest.raises(ValueError):
        ScoringRule(**settings)


def test_true_false():
    question = Question(type="true_false", stem="?", answer=False, points=1)
    assert score_true_false(question, False).correct is True
    assert score_true_false(question, True).points_awarded == 0
    assert score_true_false(question, None).correct is False


def test_fill_blank_splits_points_per_blank():
    question = Question(
        type="fill_blank", stem="____ ____ ____", answer=[["甲"], ["乙"], ["丙"]], points=3
    )
    result = score_fill_blank(question, ["甲", "错", "丙"])
    assert (result.points_awarded, result.correct, result.blanks) == (
        2.0,
        False,
        (True, False, True),
    )


def test_fill_blank_rounds_to_two_decimals():
    question = Question(type="fill_blank", stem="?", answer=[["a"], ["b"], ["c"]], points=1)
    assert score_fill_blank(question, ["a"]).points_awarded == 0.33


@pytest.mark.parametrize("given", ["  Ａ Ｂ ", "ab", "A B", "ａｂ", "AB\n"])
def test_fill_blank_ignores_whitespace_width_and_case(given):
    question = Question(type="fill_blank", stem="?", answer=[["AB"]], points=2)
    assert score_fill_blank(question, [given]).points_awarded == 2


def test_fill_blank_accepts_any_alternative_and_missing_blanks_are_wrong():
    question = Question(type="fill_blank", stem="?", answer=[["八", "8"], ["22"]], points=2)
    result = score_fill_blank(question, ["8"])
    assert (result.points_awarded, result.blanks) == (1.0, (True, False))
    assert score_fill_blank(question, ["", "22"]).blanks == (False, True)


def test_fold_text_normalises_full_width_and_spaces():
    assert fold_text(" ＡＢ　１２ c ") == "ab12c"


def case_question(points: float = 10) -> Question:
    return Question(
        type="case",
        stem="客户收到破损商品, 如何处理?",
        points=points,
        scoring_points=[
            ScoringPoint("致歉", 3, ["道歉", "对不起"]),
            ScoringPoint("核实订单", 4),
            ScoringPoint("回访", 5),
        ],
    )


def test_subjective_needs_manual_grading_with_a_suggestion_from_scoring_points():
    result = get_type("case").score(case_question(), "先对不起客户, 然后核实 订单, 最后退款")
    assert (result.needs_manual, result.correct, result.points_awarded) == (True, None, 0.0)
    assert result.suggested_points == 7
    assert result.matched_phrases == ("致歉", "核实订单")


def test_suggestion_is_capped_at_the_question_points():
    result = get_type("case").score(case_question(points=6), "道歉, 核实订单, 回访")
    assert result.suggested_points == 6


def test_without_scoring_points_there_is_no_suggestion():
    question = Question(type="essay", stem="论述", points=10)
    result = get_type("essay").score(question, "任何内容")
    assert (result.needs_manual, result.suggested_points) == (True, None)


def test_a_blank_phrase_never_matches():
    question = Question(type="essay", stem="?", points=5, scoring_points=[ScoringPoint(" ", 5)])
    assert manual_grading(question, "任何内容", "需人工评分").suggested_points == 0


def test_an_objective_question_without_key_needs_manual_grading():
    question = Question(type="single", stem="?", options=[Option("A", "x"), Option("B", "y")])
    result = get_type("single").score(question, "A")
    assert (result.needs_manual, result.correct, result.points_awarded) == (True, None, 0.0)
