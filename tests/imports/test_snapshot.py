"""A parse result stored as JSON comes back as the same dataclasses, answers of every shape."""

from __future__ import annotations

import json
from datetime import date

from question_bank.model import ImportResult, Option, Problem, Question, ScoringPoint, Source
from tests.manuals.samples import EDITION_2, parsed
from training.imports.snapshot import freeze, thaw
from training.manuals.parsing import ManualParseResult
from training.people.roster import Roster, RosterProblem, RosterRow


def round_trip(value):
    return thaw(type(value), json.loads(json.dumps(freeze(value), ensure_ascii=False)))


def test_questions_keep_every_answer_shape():
    result = ImportResult("cn-text", [
        Question("single", "甲？", [Option("A", "对"), Option("B", "错")], ["A"], source=Source("p.txt", 2)),
        Question("true_false", "乙。", answer=False, tags=["示例"]),
        Question("fill_blank", "丙 ____ 丁 ____", answer=[["8", "八"], ["22"]], points=2.5),
        Question("case", "戊", answer="参考答案", scoring_points=[ScoringPoint("倾听", 2.0, ["聆听"])]),
        Question("essay", "己", answer=None, knowledge_points=["投诉"]),
    ], [Problem(5, "warning", "没有答案"), Problem(None, "error", "文件级问题")])
    assert round_trip(result) == result


def test_a_regulation_keeps_its_tree_and_permalink_keys():
    result = parsed(EDITION_2)
    back = round_trip(result)
    assert isinstance(back, ManualParseResult) and back == result
    assert [p.key for p in back.documents[0].walk()] == [p.key for p in result.documents[0].walk()]


def test_a_roster_keeps_roles_and_dates():
    roster = Roster(
        [RosterRow(2, "E1", "张三", "总部", frozenset({"trainer", "employee"}), "培训师",
                   date(2024, 3, 1), None)],
        [RosterProblem(3, "手机", "手机号格式不正确")], total_rows=2,
    )
    assert round_trip(roster) == roster
