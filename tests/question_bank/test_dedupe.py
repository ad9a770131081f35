"""Repeated questions: normalised stems, rapidfuzz scores, groups within one file."""

from __future__ import annotations

import pytest

from question_bank.dedupe import duplicate_groups, find_duplicates, fingerprint, normalise_stem
from question_bank.model import Option, Question


def choice(stem: str, *options: str, kind: str = "single") -> Question:
    return Question(kind, stem, [Option(chr(65 + i), text) for i, text in enumerate(options)])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("客户投诉时首先应该（  ）。", "客户投诉时首先应该()"),
        ("客户投诉时,首先应该____?", "客户投诉时首先应该？"),
        ("ＣＲＭ系统的作用是（ ）", "crm系统的作用是"),
        ("“大客户”指的是\n（ ）", "大客户指的是"),
    ],
)
def test_normalise_stem_ignores_blanks_punctuation_width_and_case(a: str, b: str) -> None:
    assert normalise_stem(a) == normalise_stem(b)


def test_normalise_stem_keeps_the_words() -> None:
    assert normalise_stem("客户 满意度！") == "客户满意度"
    assert normalise_stem("客户满意") != normalise_stem("客户忠诚")


def test_find_duplicates_scores_exact_and_near_matches() -> None:
    candidates = [
        choice("客户忠诚度指的是（ ）"),
        choice("关于客户情绪管理，下列说确的是（ ）"),
        choice("服务补救的第一步是什么？"),
    ]
    existing = [
        (10, fingerprint("客户忠诚度指的是()", [])),
        (11, fingerprint("关于客户情绪管理,下列说法正确的是()", [])),
        (12, fingerprint("投诉", [])),
    ]
    found = find_duplicates(candidates, existing)
    assert set(found) == {0, 1}
    assert found[0] == [(10, 100.0)]
    ((match, score),) = found[1]
    assert match == 11 and 90 <= score < 100


def test_find_duplicates_threshold_and_best_first() -> None:
    candidates = [choice("客户满意度调查的方法有哪些")]
    existing = [
        (1, fingerprint("客户满意度调查的方法有哪几种", [])),
        (2, fingerprint("客户满意度调查的方法有哪些", [])),
        (3, fingerprint("满意", [])),
    ]
    assert [qid for qid, _ in find_duplicates(candidates, existing, threshold=80)[0]] == [2, 1]
    assert [qid for qid, _ in find_duplicates(candidates, existing, threshold=100)[0]] == [2]


def test_a_shared_generic_stem_with_other_options_is_not_a_duplicate() -> None:
    banked = [(7, fingerprint("下列说法正确的是（ ）", ["客户永远是对的", "服务无小事", "投诉是负担"]))]
    other = choice("下列说法正确的是（ ）", "首问负责制要求推诿", "倾听先于解释", "争辩有助于解决")
    same = choice("下列说法正确的是()", "客户永远是对的", "服务无小事", "投诉是负担")
    assert find_duplicates([other, same], banked) == {1: [(7, 100.0)]}


def test_find_duplicates_with_nothing_to_compare() -> None:
    assert find_duplicates([], [(1, "甲")]) == {}
    assert find_duplicates([choice("甲")], []) == {}


def test_duplicate_groups_collapse_copies_including_cut_off_and_typo_copies() -> None:
    full = choice(
        "“大客户对企业的信任感和满意感”属于（ ）", "理念", "优质服务", "关系质量", "产品差异化"
    )
    cut = choice("“大客户对企业的信任感和满意感”属于()", "理念", "优质服务")
    typo = choice(
        "“大客户对企业的信任感和满意感”属于了（ ）", "理念", "优质服务", "关系质量", "产品差异化"
    )
    other = choice("客户流失的类型是（ ）", "自然流失", "恶意流失")
    assert duplicate_groups([full, other, cut, typo]) == [[0, 2, 3]]


def test_same_stem_with_different_options_is_not_a_duplicate() -> None:
    first = choice("下列说法正确的是（ ）", "客户永远正确", "服务是无形的")
    second = choice("下列说法正确的是（ ）", "投诉是坏事", "满意等于忠诚")
    assert duplicate_groups([first, second]) == []


def test_same_stem_of_different_kinds_is_not_a_duplicate() -> None:
    assert (
        duplicate_groups(
            [Question("true_false", "服务是无形的。"), Question("essay", "服务是无形的。")]
        )
        == []
    )
    assert duplicate_groups(
        [choice("甲乙丙丁", "a", "b"), choice("甲乙丙丁", "a", "b", kind="multiple")]
    ) == [[0, 1]]
