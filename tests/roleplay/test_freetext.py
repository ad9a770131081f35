"""Typed replies scored on jieba words: scoring points, forbidden phrases, the mood they move."""

from __future__ import annotations

import pytest

from tests.roleplay import sample
from training.roleplay.freetext import judge, tokenized
from training.roleplay.script import Dimension

F1 = sample.scenario().nodes["f1"]


def test_a_reply_with_a_time_commitment_and_ownership_earns_both_points():
    verdict = judge(F1, "先生，我来跟进，今天下午五点前给您回电。")
    assert verdict.points == {Dimension.RESOLVE: 10, Dimension.OWNERSHIP: 5}
    assert verdict.matched == ("给出具体的时间承诺", "自己负责跟进")
    assert (verdict.forbidden, verdict.critical, verdict.mood) == ((), None, 10)


def test_a_vague_reply_earns_nothing_and_the_customer_gets_angrier():
    verdict = judge(F1, "您先回去等通知吧。")
    assert verdict.points == {}
    assert verdict.matched == ()
    assert verdict.mood == -10


def test_shirking_is_a_critical_mistake():
    verdict = judge(F1, "这不归我管，你去找别的部门。")
    assert verdict.critical == "推诿"
    assert verdict.forbidden == ("推诿",)


def test_blaming_the_customer_costs_the_penalty_in_its_dimension():
    verdict = judge(F1, "是您自己搞错了，我负责帮您改，明天回电。")
    assert verdict.points == {Dimension.RESOLVE: 10, Dimension.OWNERSHIP: 5 - 5}
    assert verdict.forbidden == ("指责客户",)
    assert verdict.critical is None


@pytest.mark.parametrize(
    ("reply", "phrase", "matches"),
    [
        ("我们的管理很规范", "管", False),  # a character inside a word is not the word
        ("这不归我管", "管", True),
        ("今天下午五点前", "今天", True),  # a word inside a longer token still counts
        ("两小时内回复您", "小时内", True),  # words across tokens, on their boundaries
        ("请 明天 再来", "明天 再来", True),
        ("请明天再来", "后天|明天 来电", False),  # all words of one alternative are needed
        ("ＯＫ，我明天回复您", "ok", True),  # full-width letters and case are folded
    ],
)
def test_words_match_on_token_boundaries(reply, phrase, matches):
    assert tokenized(reply).matches(phrase) is matches
