"""Runs: start or resume, replies that count once, version freezing, limits, review re-scoring."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers import both_at_once
from tests.roleplay.factories import (
    CRITICAL_PATH,
    GOOD_PATH,
    assign,
    play,
    saved_scenario,
)
from tests.roleplay.sample import data
from training.database import db
from training.errors import NotFound
from training.people.models import User
from training.roleplay.errors import InvalidReply, RunRefused
from training.roleplay.models import RunState, RunStep, Scenario, ScenarioRun
from training.roleplay.runs import (
    reply,
    review,
    review_queue,
    run_for,
    runs_of,
    start_or_resume,
)


def changed_sample(line: str) -> dict:
    changed = data()
    changed["nodes"][0]["text"] = line
    return changed


def test_pressing_start_twice_gives_one_run(app, make_user):
    employee, scenario = make_user(), saved_scenario()
    first = start_or_resume(employee, scenario)
    db.session.commit()
    assert start_or_resume(employee, scenario).id == first.id
    assert (first.step, first.node_id, first.mood, first.state) == (1, "c1", 25, "in_progress")


def test_a_played_version_is_frozen_and_an_edit_makes_a_new_one(app, make_user):
    employee, scenario = make_user(), saved_scenario()
    run = start_or_resume(employee, scenario)
    db.session.commit()
    saved_scenario(changed_sample("我等了一个小时！"))
    assert [v.number for v in scenario.versions] == [1, 2]
    assert run.version.number == 1
    assert run.version.script.nodes["c1"].text == "我排了四十分钟队，你现在告诉我办不了？"
    play(run, GOOD_PATH)  # the old version plays on to its end
    assert run.outcome == "resolved"
    newer = start_or_resume(employee, scenario)
    assert newer.version.number == 2
    assert newer.version.script.nodes["c1"].text == "我等了一个小时！"


def test_a_version_only_play_tested_is_replaced_in_place(app, make_user):
    trainer, scenario = make_user(roles=("trainer",)), saved_scenario()
    start_or_resume(trainer, scenario, playtest=True)
    db.session.commit()
    saved_scenario(changed_sample("我等了一个小时！"))
    assert [v.number for v in scenario.versions] == [1]
    assert scenario.latest.script.nodes["c1"].text == "我等了一个小时！"
    assert db.session.scalar(select(func.count(ScenarioRun.id))) == 0  # the trial went with it


def test_a_repeated_reply_counts_once_and_changes_nothing(app, make_user):
    run = start_or_resume(make_user(), saved_scenario())
    reply(run, 1)
    reply(run, 2, option_id="a")
    db.session.commit()
    again = reply(run, 2, option_id="b")  # a double click, or a retry after a dropped line
    assert (again.step, again.node_id, again.mood) == (3, "c2", 40)
    steps = db.session.scalars(select(RunStep).where(RunStep.run_id == run.id)).all()
    assert [(s.step, s.option_id) for s in steps] == [(1, None), (2, "a")]


def test_a_step_from_the_future_is_refused(app, make_user):
    run = start_or_resume(make_user(), saved_scenario())
    with pytest.raises(RunRefused) as refused:
        reply(run, 2, option_id="a")
    assert (refused.value.code, refused.value.status) == ("step_ahead", 409)


def test_a_reply_that_does_not_fit_the_node_is_refused(app, make_user):
    run = start_or_resume(make_user(), saved_scenario())
    with pytest.raises(InvalidReply):
        reply(run, 1, option_id="a")  # a customer line takes a plain "continue"
    reply(run, 1)
    with pytest.raises(InvalidReply):
        reply(run, 2, option_id="zz")
    with pytest.raises(InvalidReply):
        reply(run, 2, text="您好")


def test_an_option_behind_a_closed_mood_gate_is_refused(app, make_user):
    run = start_or_resume(make_user(), saved_scenario())
    play(run, [{}, {"option_id": "b"}, {}, {"option_id": "a"}, {},
               {"text": "我不知道。"}])  # mood 25 → 10 → 30 → 20: d3 a needs 40
    assert (run.node_id, run.mood) == ("d3", 20)
    with pytest.raises(InvalidReply):
        reply(run, run.step, option_id="a")


def test_a_critical_mistake_fails_the_run_whatever_its_score(app, make_user):
    run = play(start_or_resume(make_user(), saved_scenario()), CRITICAL_PATH)
    assert (run.state, run.outcome, run.passed) == ("ended", "lost", False)
    assert [(s.step, s.critical) for s in run.steps if s.critical] == [
        (2, "在柜台大声念出客户完整身份证号，泄露隐私。")
    ]
    with pytest.raises(RunRefused) as refused:
        reply(run, run.step)
    assert refused.value.code == "run_ended"


def test_a_typed_reply_waits_for_review_and_the_review_rescores_the_run(app, make_user):
    trainer = make_user(roles=("trainer",))
    run = play(start_or_resume(make_user(), saved_scenario()), GOOD_PATH)
    assert run.state == RunState.PENDING_REVIEW and run.outcome == "resolved"
    typed = run.steps[3]
    assert typed.suggested and typed.points == {"resolve": 10.0, "ownership": 5.0}
    assert review_queue() == [typed]
    provisional = run.score

    review(typed, {"resolve": 0, "ownership": 0}, reviewer=trainer, reason="没有具体时间")
    db.session.commit()
    assert run.state == RunState.ENDED and run.score < provisional
    assert review_queue() == []
    review(typed, {"resolve": 10, "ownership": 5}, reviewer=trainer, reason="复核：承诺明确")
    assert run.score == provisional
    assert run.steps[3].review_reason == "复核：承诺明确"


def test_a_review_needs_a_reason_and_known_dimensions(app, make_user):
    trainer = make_user(roles=("trainer",))
    run = play(start_or_resume(make_user(), saved_scenario()), GOOD_PATH)
    with pytest.raises(InvalidReply):
        review(run.steps[3], {"resolve": 5}, reviewer=trainer, reason=" ")
    with pytest.raises(InvalidReply):
        review(run.steps[3], {"charm": 5}, reviewer=trainer, reason="x")
    with pytest.raises(InvalidReply):
        review(run.steps[1], {"resolve": 5}, reviewer=trainer, reason="x")  # an option, not typed


def test_the_run_limit_counts_employee_runs_not_play_tests(app, make_user):
    employee, trainer = make_user(), make_user(roles=("trainer",))
    scenario = saved_scenario(max_runs=1)
    run = start_or_resume(employee, scenario)
    assert start_or_resume(employee, scenario).id == run.id  # resuming is not a new run
    play(run, CRITICAL_PATH)
    with pytest.raises(RunRefused) as refused:
        start_or_resume(employee, scenario)
    assert (refused.value.code, refused.value.status) == ("no_runs_left", 409)
    for _ in range(2):
        play(start_or_resume(trainer, scenario, playtest=True), CRITICAL_PATH)


def test_another_employees_run_is_not_found(app, make_user):
    run = start_or_resume(make_user(), saved_scenario())
    db.session.commit()
    with pytest.raises(NotFound):
        run_for(make_user(), run.id)
    assert run_for(run.user, run.id) is run


def test_assignment_reaches_department_position_and_user(app, make_user):
    from training.people.audience import targets
    from training.people.services import ensure_department
    from training.roleplay.services import assign_scenario, open_scenarios

    by_department = make_user(department_path="示范公司/客服中心/热线一组")
    centre = ensure_department("示范公司/客服中心")
    by_position = make_user(position="投诉专员")
    by_name, nobody = make_user(), make_user()
    scenario = saved_scenario()
    assign_scenario(scenario, targets([centre.id], [], [by_name.id]), actor=None)
    assign_scenario(scenario, targets([], ["投诉专员"], []), actor=None)
    db.session.commit()
    for user in (by_department, by_position, by_name):
        assert [s.scenario.id for s in open_scenarios(user)] == [scenario.id]
    assert open_scenarios(nobody) == []
    scenario.archived = True
    assert open_scenarios(by_name) == []


def test_open_scenarios_count_runs_and_best_score(app, make_user):
    from training.roleplay.services import open_scenarios

    employee, scenario = make_user(), saved_scenario()
    assign(scenario, employee)
    first = play(start_or_resume(employee, scenario), CRITICAL_PATH)
    second = play(start_or_resume(employee, scenario), GOOD_PATH[:2])
    play(start_or_resume(make_user(roles=("trainer",)), scenario, playtest=True), CRITICAL_PATH)
    assert runs_of(employee, scenario) == [second, first]
    found = open_scenarios(employee)[0]
    assert (found.runs_used, found.passed, found.runs_left) == (2, False, None)
    assert found.best_score is not None and found.open_run_id is not None


def test_start_pressed_twice_at_once_makes_one_run(app, make_user):
    user_id, scenario_id = make_user().id, saved_scenario().id

    def start() -> int:
        me, scenario = db.session.get(User, user_id), db.session.get(Scenario, scenario_id)
        return start_or_resume(me, scenario).id

    first, second = both_at_once(app, start)
    assert first == second
    assert db.session.scalar(select(func.count(ScenarioRun.id))) == 1


def test_a_reply_sent_twice_at_once_is_recorded_once(app, make_user):
    run = start_or_resume(make_user(), saved_scenario())
    reply(run, 1)
    db.session.commit()
    run_id = run.id

    def choose() -> tuple[int, str]:
        answered = reply(db.session.get(ScenarioRun, run_id), 2, option_id="a")
        return answered.step, answered.node_id

    assert both_at_once(app, choose) == [(3, "c2"), (3, "c2")]
    db.session.expire_all()
    steps = db.session.scalars(select(RunStep).where(RunStep.run_id == run_id)).all()
    assert [s.step for s in steps] == [1, 2]


def test_a_review_can_overrule_a_forbidden_phrase_found_by_mistake(app, make_user):
    trainer = make_user(roles=("trainer",))
    quoting = "您刚才说“不归我管”这种话让您很生气，非常抱歉，这件事我负责跟进，今天给您回电。"
    run = play(start_or_resume(make_user(), saved_scenario()),
               [*GOOD_PATH[:3], {"text": quoting}, {"option_id": "a"}])
    assert run.passed is False and run.steps[3].critical == "推诿"
    review(run.steps[3], {"resolve": 10, "ownership": 5}, reviewer=trainer,
           reason="引用客户的话，并非推诿", clear_critical=True)
    assert run.state == RunState.ENDED and run.passed is True
    assert run.steps[3].critical is None
