"""The level file (`servicecoach cert import` / `export`): every problem at its line, names
resolved to ids in a second step, and export read back to the same levels."""

from __future__ import annotations

import pytest

from training.certification.lifecycle import ExpiryBase
from training.certification.rule_yaml import (
    CertFileError,
    Level,
    dump,
    parse,
    resolve,
    resolve_levels,
)
from training.certification.rules import (
    AllOf,
    AnyOf,
    AttemptChoice,
    CourseCompleted,
    ExamPassed,
    LevelActive,
    ManualConfirmed,
    MinimumTenure,
    ScenarioPassed,
)

FILE = """\
- code: senior
  name: 高级客服专员
  validity_months: null
  prerequisites: [junior]
  rule:
    any_of:
      - scenario: {title: 次日达变成四天没动}
      - level: {code: junior}
- code: junior
  name: 初级客服专员
  description: 入门
  validity_months: 12
  expiry_base: previous_expiry
  window_days: 45
  applies_to:
    departments: [示范公司/客服中心]
    positions: [客服专员]
  rule:
    all_of:
      - exam: {title: 正式考试, min_percent: 80, attempt: last, within_months: 12}
      - course: {title: 入职培训, within_days: 30}
      - any_of:
          - scenario: {slug: late-delivery, min_score: 70, no_critical: false}
          - manual: {id: 9}
      - tenure: {months: 3}
"""

IDS = {
    ("exam", "title", "正式考试"): 1,
    ("course", "title", "入职培训"): 2,
    ("scenario", "slug", "late-delivery"): 3,
    ("scenario", "title", "次日达变成四天没动"): 3,
    ("level", "code", "junior"): 10,
    ("level", "code", "senior"): 11,
    ("department", "path", "示范公司/客服中心"): 20,
}
NAMES = {  # what export writes for each id: scenarios by slug
    ("exam", 1): "正式考试",
    ("course", 2): "入职培训",
    ("scenario", 3): "late-delivery",
    ("level", 10): "junior",
    ("level", 11): "senior",
    ("department", 20): "示范公司/客服中心",
}


def resolver(kind: str, by: str, value: str | int) -> int | None:
    if by == "id":
        return 9 if (kind, value) == ("manual", 9) else None
    return IDS.get((kind, by, value))


JUNIOR = Level(
    code="junior",
    name="初级客服专员",
    description="入门",
    validity_months=12,
    expiry_base=ExpiryBase.PREVIOUS_EXPIRY,
    window_days=45,
    department_ids=(20,),
    positions=("客服专员",),
    rule=AllOf((
        ExamPassed(1, 80, AttemptChoice.LAST, 12),
        CourseCompleted(2, 30),
        AnyOf((ScenarioPassed(3, 70, no_critical=False), ManualConfirmed(9))),
        MinimumTenure(3),
    )),
)
SENIOR = Level(
    code="senior",
    name="高级客服专员",
    prerequisite_ids=(10,),
    rule=AnyOf((ScenarioPassed(3), LevelActive(10))),
)


def test_a_file_reads_into_levels_with_ids_even_for_a_level_defined_further_down():
    assert resolve_levels(parse(FILE), resolver) == [SENIOR, JUNIOR]


def test_left_out_settings_take_their_defaults():
    senior = parse(FILE)[0]
    assert (senior.validity_months, senior.expiry_base, senior.window_days, senior.description) == (
        None, ExpiryBase.COMPLETION, 30, "")


def test_one_rule_resolves_alone():
    assert resolve(parse(FILE)[0].rule, resolver) == AnyOf((ScenarioPassed(3), LevelActive(10)))


def test_export_reads_back_to_the_same_levels():
    text = dump([SENIOR, JUNIOR], lambda kind, ident: NAMES.get((kind, ident)))
    assert resolve_levels(parse(text), resolver) == [SENIOR, JUNIOR]
    assert "exam: {title: 正式考试, min_percent: 80, attempt: last, within_months: 12}" in text
    assert "manual: {id: 9}" in text  # a thing without a name is written by id
    assert "no_critical: false" in text and "no_critical: true" not in text  # defaults left out


def problems_of(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(CertFileError) as raised:
        parse(text)
    return [(problem.line, problem.node, problem.field) for problem in raised.value.problems]


def test_every_problem_is_reported_with_its_line_level_and_field():
    text = """\
- code: bad code
  name: 甲
  colour: red
  validity_months: 0
  expiry_base: never
  rule:
    all_of:
      - exam: {title: 考试, min_percent: 120, attempt: worst}
      - course: {}
      - scenario: {slug: a, title: b}
      - nap: {}
- code: b
  name: 甲
  applies_to: {departments: [1], teams: []}
  rule:
    any_of: []
"""
    assert problems_of(text) == [
        (1, "bad code", "code"),
        (3, "bad code", "colour"),
        (4, "bad code", "validity_months"),
        (5, "bad code", "expiry_base"),
        (8, "bad code", "rule.all_of[0].exam.min_percent"),
        (8, "bad code", "rule.all_of[0].exam.attempt"),
        (9, "bad code", "rule.all_of[1].course"),
        (10, "bad code", "rule.all_of[2].scenario"),
        (11, "bad code", "rule.all_of[3].nap"),
        (13, "b", "name"),
        (14, "b", "applies_to.teams"),
        (14, "b", "applies_to.departments[0]"),
        (16, "b", "rule.any_of"),
    ]


def test_missing_fields_and_duplicate_codes():
    text = """\
- code: a
  rule: {tenure: {months: 1}}
- code: a
  name: 乙
  rule: {tenure: {}}
"""
    assert problems_of(text) == [
        (1, "a", "name"),
        (3, "a", "code"),
        (5, "a", "rule.tenure.months"),
    ]


def test_levels_requiring_each_other_in_a_circle_are_refused():
    text = """\
- code: a
  name: 甲
  prerequisites: [b]
  rule: {tenure: {months: 1}}
- code: b
  name: 乙
  rule: {level: {code: a}}
- code: c
  name: 丙
  prerequisites: [a]
  rule: {tenure: {months: 1}}
"""
    assert problems_of(text) == [(1, "a", "code"), (5, "b", "code")]


@pytest.mark.parametrize(("text", "line"), [
    ("- code: a\n  name: [unclosed\n", 3),
    ("", 1),
    ("code: a\n", 1),
    ("- code: a\n  code: b\n  name: x\n  rule: {tenure: {months: 1}}\n", 2),
])
def test_a_file_that_is_not_a_list_of_levels_is_refused_at_its_line(text, line):
    with pytest.raises(CertFileError) as raised:
        parse(text)
    assert raised.value.problems[0].line == line


def test_every_name_not_found_is_reported_at_its_line():
    with pytest.raises(CertFileError) as raised:
        resolve_levels(parse(FILE), lambda kind, by, value: None)
    assert [(p.line, p.node, p.field, p.message) for p in raised.value.problems] == [
        (4, "senior", "prerequisites[0]", "找不到认证等级：junior"),
        (7, "senior", "rule.any_of[0].scenario.title", "找不到情景演练场景：次日达变成四天没动"),
        (8, "senior", "rule.any_of[1].level.code", "找不到认证等级：junior"),
        (16, "junior", "applies_to.departments[0]", "找不到部门：示范公司/客服中心"),
        (20, "junior", "rule.all_of[0].exam.title", "找不到考试：正式考试"),
        (21, "junior", "rule.all_of[1].course.title", "找不到课程：入职培训"),
        (23, "junior", "rule.all_of[2].any_of[0].scenario.slug", "找不到情景演练场景：late-delivery"),
        (24, "junior", "rule.all_of[2].any_of[1].manual.id", "找不到手册：id 9"),
    ]
