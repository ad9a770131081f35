"""Playing a scenario: start or resume a run, reply step by step, review typed replies.

Every write here is safe to repeat. Starting races on a partial unique index (one run in
progress per user and scenario) and falls back to the run the winner wrote. A reply names the
step it answers: a step already answered returns the run unchanged (a double click, a retry
after a dropped connection), a step not reached yet is refused (409 `step_ahead`). The run row
is locked (`FOR UPDATE` on PostgreSQL) while a reply checks its state, and the run moves on
only from the step it was at (`UPDATE … WHERE step = n`), so a racing twin finds the step taken
and returns the run as its winner left it; the unique (run, step) row is the last guard.

A run keeps its scenario version; the pure functions do the rest: `play.advance` moves through
the graph, `scoring.score` scores the recorded steps. Typed replies get suggested points; the
run then ends `pending_review` and its score is provisional until a trainer reviews each one.
"""

from __future__ import annotations

import math
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from training.audit.services import record
from training.database import db, utcnow
from training.errors import NotFound
from training.events import Event, publish
from training.people.models import User
from training.roleplay import play, scoring
from training.roleplay.errors import InvalidReply, RunRefused
from training.roleplay.models import RunState, RunStep, Scenario, ScenarioRun
from training.roleplay.script import Dimension, Node, NodeKind
from training.roleplay.services import runs_used

MAX_TEXT = 2000  # characters of a typed reply


def run_for(user: User, run_id: int) -> ScenarioRun:
    """The user's own run; anyone else's (or none) is NotFound."""
    run = db.session.scalar(
        select(ScenarioRun).where(ScenarioRun.id == run_id, ScenarioRun.user_id == user.id)
    )
    if run is None:
        raise NotFound(_("练习记录不存在。"))
    return run


def open_run(user: User, scenario: Scenario, playtest: bool) -> ScenarioRun | None:
    return db.session.scalar(select(ScenarioRun).where(
        ScenarioRun.scenario_id == scenario.id, ScenarioRun.user_id == user.id,
        ScenarioRun.playtest.is_(playtest), ScenarioRun.state == RunState.IN_PROGRESS,
    ))


def start_or_resume(
    user: User, scenario: Scenario, *, playtest: bool = False, now: datetime | None = None
) -> ScenarioRun:
    """The user's run in progress, or a new one on the latest version: pressing twice gives one.

    A new employee run needs a run left under the scenario's limit; play-tests are unlimited
    and counted nowhere."""
    current = open_run(user, scenario, playtest)
    if current is not None:
        return current
    if not playtest and scenario.max_runs is not None and runs_used(user, scenario) >= scenario.max_runs:
        raise RunRefused("no_runs_left", _("该场景的练习次数已用完。"))
    version = scenario.latest
    start = version.script
    try:
        with db.session.begin_nested():
            run = ScenarioRun(
                user_id=user.id, scenario_id=scenario.id, version_id=version.id,
                playtest=playtest, started_at=now or utcnow(), node_id=start.start, step=1,
                mood=start.mood, state=RunState.IN_PROGRESS,
            )
            db.session.add(run)
            db.session.flush()
    except IntegrityError:  # another tab won the race: use its run
        winner = open_run(user, scenario, playtest)
        if winner is None:
            raise
        return winner
    record(user, "roleplay.run_started", run, scenario_id=scenario.id, playtest=playtest)
    return run


def _lock(run: ScenarioRun) -> ScenarioRun:
    """Re-read the run row under a lock that lasts until the request commits."""
    return db.session.scalars(
        select(ScenarioRun).where(ScenarioRun.id == run.id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def reply(
    run: ScenarioRun, step: int, *, option_id: str | None = None, text: str | None = None,
    now: datetime | None = None,
) -> ScenarioRun:
    """Answer the step the run awaits; an answered step changes nothing (see module)."""
    if text is not None and len(text) > MAX_TEXT:
        raise InvalidReply(_("回复过长（最多 %(n)d 字）。", n=MAX_TEXT))
    run = _lock(run)
    if step < run.step:
        return run
    if step > run.step:
        raise RunRefused("step_ahead", _("这一步还没有到，请刷新页面。"))
    if run.finished:
        raise RunRefused("run_ended", _("本次练习已结束。"))
    scenario = run.version.script
    node = scenario.nodes[run.node_id]
    try:
        move = play.advance(scenario, node.id, run.mood, option_id=option_id, text=text)
    except play.PlayError as error:
        raise InvalidReply(_reply_wanted(node)) from error
    assert move.next_node_id is not None  # every step of a validated scenario leads on
    advanced = db.session.execute(
        update(ScenarioRun)
        .where(ScenarioRun.id == run.id, ScenarioRun.step == step)
        .values(step=step + 1, node_id=move.next_node_id, mood=move.mood_after)
    )
    if advanced.rowcount == 0:  # a racing twin of this reply answered the step first
        db.session.refresh(run)
        return run
    run.steps.append(_step_row(step, move, now or utcnow()))
    if scenario.nodes[run.node_id].kind == NodeKind.END:
        _finish(run, now or utcnow())
    return run


def _reply_wanted(node: Node) -> str:
    """What the node awaits, said to someone whose reply did not fit it."""
    if node.kind == NodeKind.DECISION:
        return _("请选择本步给出的一个回复。")
    if node.kind == NodeKind.FREE_TEXT:
        return _("请输入您的回复。")
    return _("这一步无需作答，请继续。")


def _step_row(step: int, move: play.Move, now: datetime) -> RunStep:
    return RunStep(
        step=step, node_id=move.node_id, option_id=move.option_id, text=move.text,
        points={str(name): value for name, value in move.points.items()},
        mood_after=move.mood_after, critical=move.critical, suggested=move.suggested,
        answered_at=now,
    )


def _finish(run: ScenarioRun, now: datetime) -> None:
    """The run reached an end node: its outcome, its score, and whether a review is awaited."""
    end = run.version.script.nodes[run.node_id]
    run.outcome = str(end.outcome) if end.outcome else None
    run.ended_at = now
    rescore(run)
    record(run.user, "roleplay.run_ended", run, score=run.score, passed=run.passed)
    _publish_scored(run, now)


def _publish_scored(run: ScenarioRun, now: datetime) -> None:
    """A counted run has a score (at its end, or after a review): certification may read it."""
    if not run.playtest:
        publish(Event.RUN_SCORED, run.user_id, now)


def rescore(run: ScenarioRun) -> None:
    """Score the run's steps (the trainer's points where reviewed) and settle its state."""
    version = run.version
    scenario = version.script
    maxima = {Dimension(name): value for name, value in version.maxima.items()}
    result = scoring.score(scenario, maxima, [_move_of(s) for s in run.steps], run.mood)
    run.score, run.passed = result.total, result.passed
    run.dimensions = {str(name): value for name, value in result.dimensions.items()}
    awaiting = any(s.awaiting_review for s in run.steps)
    run.state = RunState.PENDING_REVIEW if awaiting else RunState.ENDED


def _move_of(row: RunStep) -> play.Move:
    """A recorded step as the pure scoring reads it, with the points that count."""
    return play.Move(
        node_id=row.node_id, option_id=row.option_id, text=row.text,
        points={Dimension(name): value for name, value in row.counted_points.items()},
        mood_after=row.mood_after, critical=row.critical,
        suggested=row.suggested,
    )


def review(
    row: RunStep, points: dict[str, float], *, reviewer: User, reason: str,
    clear_critical: bool = False, now: datetime | None = None,
) -> ScenarioRun:
    """A trainer sets a typed reply's points (with a reason); the run is scored again.

    `clear_critical` overrules a forbidden phrase the matching found where the reply did not
    mean it (e.g. quoting the customer); the audit keeps the reason it had."""
    if not reason.strip():
        raise InvalidReply(_("请写明评分理由。"))
    run = row.run
    scenario = run.version.script
    if scenario.nodes[row.node_id].kind != NodeKind.FREE_TEXT:
        raise InvalidReply(_("只有自由回复需要人工评分。"))
    unknown = set(points) - {str(name) for name in scenario.weights}
    if unknown:
        raise InvalidReply(_("未知的评分维度：%(names)s", names="、".join(sorted(unknown))))
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in points.values()):
        raise InvalidReply(_("分数必须是数字。"))
    cleared = row.critical if clear_critical else None
    if clear_critical:
        row.critical = None
    row.reviewed_points = {name: float(value) for name, value in points.items()}
    row.review_reason = reason.strip()
    row.reviewed_by_id, row.reviewed_at = reviewer.id, now or utcnow()
    if run.finished:
        rescore(run)
        _publish_scored(run, row.reviewed_at)
    record(reviewer, "roleplay.step_reviewed", run, step=row.step, points=row.reviewed_points,
           reason=row.review_reason, critical_cleared=cleared, score=run.score)
    return run


def review_queue(scenario: Scenario | None = None) -> list[RunStep]:
    """Typed replies of ended employee runs still awaiting a trainer, oldest first."""
    query = (
        select(RunStep).join(ScenarioRun, ScenarioRun.id == RunStep.run_id)
        .where(
            RunStep.suggested.is_(True), RunStep.reviewed_at.is_(None),
            ScenarioRun.playtest.is_(False), ScenarioRun.state == RunState.PENDING_REVIEW,
        )
        .order_by(RunStep.answered_at, RunStep.id)
    )
    if scenario is not None:
        query = query.where(ScenarioRun.scenario_id == scenario.id)
    return list(db.session.scalars(query))


def runs_of(user: User, scenario: Scenario) -> list[ScenarioRun]:
    """The user's own runs of a scenario (play-tests not counted), newest first."""
    return list(db.session.scalars(
        select(ScenarioRun)
        .where(
            ScenarioRun.user_id == user.id, ScenarioRun.scenario_id == scenario.id,
            ScenarioRun.playtest.is_(False),
        )
        .order_by(ScenarioRun.started_at.desc(), ScenarioRun.id.desc())
    ))
