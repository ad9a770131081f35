"""A level's rule over one employee's record: each requirement kind, groups, and since when."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from training.certification.rules import (
    AllOf,
    AnyOf,
    AttemptChoice,
    AttemptFact,
    CourseCompleted,
    CourseFact,
    ExamPassed,
    Facts,
    LevelActive,
    ManualConfirmed,
    MinimumTenure,
    RunFact,
    ScenarioPassed,
    evaluate,
    from_dict,
    referenced,
    to_dict,
    with_prerequisites,
)

TODAY = date(2026, 6, 15)
EXAM, COURSE, SCENARIO, MANUAL, LEVEL = 3, 4, 5, 6, 7


def attempt(percent: float, when: datetime, passed: bool | None = None) -> AttemptFact:
    return AttemptFact(EXAM, percent, percent >= 60 if passed is None else passed, when)


def run(score: float, when: datetime, critical: bool = False) -> RunFact:
    return RunFact(SCENARIO, score, score >= 60 and not critical, critical, when)


# --- exams --------------------------------------------------------------------------------


def test_exam_best_attempt_counts_and_best_percent_is_shown():
    facts = Facts(1, attempts=(attempt(85, datetime(2026, 3, 1, 9)), attempt(70, datetime(2026, 5, 1, 9))))
    state = evaluate(ExamPassed(EXAM, min_percent=80), facts, TODAY)
    assert (state.met, state.met_at, state.best) == (True, datetime(2026, 3, 1, 9), 85)


def test_exam_last_attempt_must_reach_the_mark():
    facts = Facts(1, attempts=(attempt(85, datetime(2026, 3, 1, 9)), attempt(70, datetime(2026, 5, 1, 9))))
    state = evaluate(ExamPassed(EXAM, 80, AttemptChoice.LAST), facts, TODAY)
    assert (state.met, state.met_at, state.best) == (False, None, 85)


def test_exam_below_the_mark_shows_how_close():
    facts = Facts(1, attempts=(attempt(72, datetime(2026, 3, 1, 9)),))
    state = evaluate(ExamPassed(EXAM, 80), facts, TODAY)
    assert (state.met, state.best) == (False, 72)


def test_exam_without_a_mark_uses_the_exams_own_pass():
    facts = Facts(1, attempts=(attempt(55, datetime(2026, 3, 1, 9), passed=True),))
    assert evaluate(ExamPassed(EXAM), facts, TODAY).met
    failed = Facts(1, attempts=(attempt(95, datetime(2026, 3, 1, 9), passed=False),))
    assert not evaluate(ExamPassed(EXAM), failed, TODAY).met


def test_exam_met_at_is_the_freshest_qualifying_attempt():
    facts = Facts(1, attempts=(attempt(90, datetime(2026, 2, 1, 9)), attempt(81, datetime(2026, 4, 2, 9))))
    assert evaluate(ExamPassed(EXAM, 80), facts, TODAY).met_at == datetime(2026, 4, 2, 9)


def test_exam_within_months_counts_calendar_months_back_from_the_day():
    # 12 months before 15 June 2026 is 15 June 2025: that day counts, the day before does not.
    on_the_day = Facts(1, attempts=(attempt(90, datetime(2025, 6, 15, 23)),))
    day_before = Facts(1, attempts=(attempt(90, datetime(2025, 6, 14, 23)),))
    rule = ExamPassed(EXAM, 80, within_months=12)
    assert evaluate(rule, on_the_day, TODAY).met
    old = evaluate(rule, day_before, TODAY)
    assert (old.met, old.best) == (False, None)


def test_evidence_after_the_day_evaluated_is_ignored():
    facts = Facts(1, attempts=(attempt(90, datetime(2026, 6, 16, 8)),))
    assert not evaluate(ExamPassed(EXAM, 80), facts, TODAY).met
    assert evaluate(ExamPassed(EXAM, 80), facts, date(2026, 6, 16)).met


def test_another_exams_attempts_do_not_count():
    facts = Facts(1, attempts=(AttemptFact(EXAM + 1, 99, True, datetime(2026, 3, 1)),))
    assert not evaluate(ExamPassed(EXAM, 80), facts, TODAY).met


# --- courses, role-play, manuals, tenure, levels -------------------------------------------


def test_course_completed_within_days_of_its_assignment():
    assigned = datetime(2026, 5, 1, 9)
    in_time = Facts(1, courses=(CourseFact(COURSE, datetime(2026, 5, 31, 20), assigned),))
    late = Facts(1, courses=(CourseFact(COURSE, datetime(2026, 6, 1, 8), assigned),))
    unassigned = Facts(1, courses=(CourseFact(COURSE, datetime(2026, 6, 1, 8), None),))
    rule = CourseCompleted(COURSE, within_days=30)
    assert evaluate(rule, in_time, TODAY).met_at == datetime(2026, 5, 31, 20)
    assert not evaluate(rule, late, TODAY).met
    assert evaluate(rule, unassigned, TODAY).met
    assert evaluate(CourseCompleted(COURSE), late, TODAY).met


def test_scenario_needs_the_score_and_no_critical_mistake():
    critical = Facts(1, runs=(run(95, datetime(2026, 5, 2), critical=True),))
    low = Facts(1, runs=(run(65, datetime(2026, 5, 2)),))
    good = Facts(1, runs=(run(65, datetime(2026, 5, 2)), run(82, datetime(2026, 5, 9))))
    rule = ScenarioPassed(SCENARIO, min_score=80)
    assert not evaluate(rule, critical, TODAY).met
    assert evaluate(ScenarioPassed(SCENARIO, 80, no_critical=False), critical, TODAY).met
    state = evaluate(rule, low, TODAY)
    assert (state.met, state.best) == (False, 65)
    state = evaluate(rule, good, TODAY)
    assert (state.met, state.met_at, state.best) == (True, datetime(2026, 5, 9), 82)


def test_manual_confirmation():
    facts = Facts(1, confirmed_manuals={MANUAL: datetime(2026, 4, 1, 10)})
    assert evaluate(ManualConfirmed(MANUAL), facts, TODAY).met_at == datetime(2026, 4, 1, 10)
    assert not evaluate(ManualConfirmed(MANUAL + 1), facts, TODAY).met
    assert not evaluate(ManualConfirmed(MANUAL), facts, date(2026, 3, 31)).met


def test_tenure_from_the_hire_date_in_calendar_months():
    facts = Facts(1, hire_date=date(2025, 12, 31))
    rule = MinimumTenure(months=2)  # 31 Dec + 2 months = 28 Feb 2026
    assert not evaluate(rule, facts, date(2026, 2, 27)).met
    assert evaluate(rule, facts, date(2026, 2, 28)).met_at == datetime(2026, 2, 28)
    assert not evaluate(rule, Facts(1), TODAY).met


def test_another_level_active_since_its_issue_day():
    facts = Facts(1, active_levels={LEVEL: date(2026, 5, 20)})
    assert evaluate(LevelActive(LEVEL), facts, TODAY).met_at == datetime(2026, 5, 20)
    assert not evaluate(LevelActive(LEVEL), facts, date(2026, 5, 19)).met


# --- groups ---------------------------------------------------------------------------------

RECORD = Facts(
    1,
    attempts=(attempt(88, datetime(2026, 3, 1)),),
    courses=(CourseFact(COURSE, datetime(2026, 4, 1), None),),
)
NESTED = AllOf((
    ExamPassed(EXAM, 80),
    AnyOf((CourseCompleted(COURSE), ScenarioPassed(SCENARIO, 70))),
    AnyOf((ManualConfirmed(MANUAL), LevelActive(LEVEL))),
))


def test_all_of_needs_every_child_and_lists_leaves_in_rule_order():
    state = evaluate(NESTED, RECORD, TODAY)
    assert not state.met and state.met_at is None and state.any_met
    assert [(leaf.rule, leaf.met) for leaf in state.leaves()] == [
        (ExamPassed(EXAM, 80), True),
        (CourseCompleted(COURSE), True),
        (ScenarioPassed(SCENARIO, 70), False),
        (ManualConfirmed(MANUAL), False),
        (LevelActive(LEVEL), False),
    ]


def test_all_of_met_since_its_latest_child_and_any_of_since_its_latest_met_child():
    facts = Facts(1, attempts=RECORD.attempts, courses=RECORD.courses,
                  confirmed_manuals={MANUAL: datetime(2026, 5, 5)})
    state = evaluate(NESTED, facts, TODAY)
    assert (state.met, state.met_at) == (True, datetime(2026, 5, 5))
    assert state.children[1].met_at == datetime(2026, 4, 1)


def test_nothing_met_is_not_started():
    assert not evaluate(NESTED, Facts(1), TODAY).any_met


def test_prerequisites_come_first():
    rule = with_prerequisites(ExamPassed(EXAM), [LEVEL])
    assert rule == AllOf((LevelActive(LEVEL), ExamPassed(EXAM)))
    assert with_prerequisites(ExamPassed(EXAM), []) == ExamPassed(EXAM)


# --- stored form --------------------------------------------------------------------------


def test_stored_form_round_trips_and_is_the_documented_json():
    rule = AllOf((ExamPassed(EXAM, 80, AttemptChoice.BEST, 12), AnyOf((MinimumTenure(3),))))
    stored = {"all_of": [
        {"exam": {"exam_id": 3, "min_percent": 80, "attempt": "best", "within_months": 12}},
        {"any_of": [{"tenure": {"months": 3}}]},
    ]}
    assert to_dict(rule) == stored
    assert from_dict(stored) == rule
    assert from_dict(to_dict(NESTED)) == NESTED


def test_stored_form_leaves_out_defaults():
    assert from_dict({"scenario": {"scenario_id": 5, "min_score": None}}) == ScenarioPassed(5, 0.0, True)


@pytest.mark.parametrize(("data", "where"), [
    ({"all_of": [{"exam": {"exam_id": 0}}]}, "all_of[0].exam.exam_id"),
    ({"all_of": [{"exam": {"exam_id": 1, "attempt": "worst"}}]}, "all_of[0].exam.attempt"),
    ({"any_of": []}, "any_of"),
    ({"all_of": [{"course": {"course_id": 1, "colour": "red"}}]}, "all_of[0].course.colour"),
    ({"tenure": {"months": 3}, "level": {"level_id": 1}}, ""),
    ({"all_of": [{"nap": {}}]}, "all_of[0].nap"),
    ({"manual": {}}, "manual.manual_id"),
])
def test_malformed_stored_form_names_the_path(data, where):
    with pytest.raises(ValueError) as raised:
        from_dict(data)
    assert str(raised.value).startswith(f"{where}: ")


def test_referenced_lists_every_requirement_in_order():
    assert referenced(NESTED) == [
        ExamPassed(EXAM, 80), CourseCompleted(COURSE), ScenarioPassed(SCENARIO, 70),
        ManualConfirmed(MANUAL), LevelActive(LEVEL),
    ]
