"""Fixes made in the import preview: retype, merge, split, replayed on a fresh parse."""

from __future__ import annotations

from question_bank.formats import cn_text
from question_bank.import_fixes import Fix, apply_fixes, dump_fixes, load_fixes

PAPER = """一、选择题
1. 客户来电应先做什么？
A. 问候
B. 挂断
答案：A
2. 以下哪些属于服务礼仪
A. 微笑
B. 倾听
C. 争吵
答案：A
3. 根据服务规范第
4. 条，客户投诉应在几小时内回复？
A. 2
B. 24
答案：B
二、简答题
5. 首问负责制指什么？
答案：首位接待者负责到底
客服应如何结束通话？
答案：礼貌道别"""
LINES = PAPER.split("\n")


def parsed():
    return cn_text.parse_text(PAPER)


def test_changing_a_type_keeps_the_key_the_new_type_can_read():
    result = apply_fixes(parsed(), [Fix("type", 1, kind="multiple")], LINES)
    question = result.questions[1]
    assert (question.type, question.answer) == ("multiple", ["A"])


def test_merging_joins_the_stem_and_keeps_the_options_of_either():
    result = parsed()
    merged = apply_fixes(result, [Fix("merge", 2)], LINES)
    assert len(merged.questions) == len(result.questions) - 1
    question = merged.questions[2]
    assert (question.stem, [o.text for o in question.options], question.answer) == (
        "根据服务规范第\n条，客户投诉应在几小时内回复？",
        ["2", "24"],
        ["B"],
    )


def test_splitting_at_a_line_reads_a_lost_question_with_its_own_answer():
    result = parsed()
    before = len(result.questions)
    split_line = LINES.index("客服应如何结束通话？") + 1
    assert any("两个答案" in p.message for p in result.problems)
    fixed = apply_fixes(result, [Fix("split", 4, line=split_line)], LINES)
    assert len(fixed.questions) == before + 1
    new = fixed.questions[5]
    assert (new.stem, new.answer, new.source.line) == (
        "客服应如何结束通话？",
        "礼貌道别",
        split_line,
    )
    assert fixed.questions[4].answer == "首位接待者负责到底"
    assert not any("两个答案" in p.message for p in fixed.problems)


def test_fixes_travel_as_text_and_malformed_ones_are_dropped():
    fixes = [Fix("type", 0, kind="single"), Fix("merge", 1), Fix("split", 2, line=9)]
    assert load_fixes(dump_fixes(fixes)) == fixes
    assert load_fixes('[{"op": "drop", "index": 1}, {"op": "type", "index": 0, "kind": "x"}]') == []
    assert load_fixes("not json") == []


def test_fixes_out_of_range_change_nothing():
    result = parsed()
    fixed = apply_fixes(result, [Fix("merge", 99), Fix("split", 0, line=999)], LINES)
    assert [q.stem for q in fixed.questions] == [q.stem for q in result.questions]
