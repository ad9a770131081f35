"""What the runs of a scenario say: for the trainer's list, the insight page and its Excel file.

Only employees' runs count (play-tests are the trainer's own tries). A run counts once it has
ended; a run awaiting the review of a typed reply counts with its provisional score, and the
page says how many those are. Option shares and critical mistakes are counted in the database
(distinct runs per node and option, per reason); the per-employee series needs every run's
score and time anyway, so the runs of the one scenario are read once and the rest is summed
from them.

Option and node ids are compared across versions: a node kept through an edit keeps its
history, and its text is shown from the latest version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Integer, case, func, select

from question_bank.cells import text_cells
from question_bank.export.xlsx import workbook_bytes
from training.database import db
from training.people.models import User
from training.roleplay.labels import CHANNEL_LABELS, DIMENSION_LABELS, OUTCOME_LABELS
from training.roleplay.models import RunState, RunStep, Scenario, ScenarioAssignment, ScenarioRun
from training.roleplay.script import NodeKind
from training.templating import local_datetime


def _employee_runs():  # noqa: ANN202 - a SQLAlchemy condition
    return ScenarioRun.playtest.is_(False)


def _finished():  # noqa: ANN202 - a SQLAlchemy condition
    return ScenarioRun.state != RunState.IN_PROGRESS


# --- the trainer's list ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioFigures:
    """A scenario's line on the trainer's list."""

    scenario: Scenario
    assignments: int = 0
    runs: int = 0  # finished employee runs
    passed: int = 0
    pending_reviews: int = 0  # typed replies awaiting a trainer

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.runs if self.runs else None


def scenario_list(archived: bool = False) -> list[ScenarioFigures]:
    """Every scenario (or the archived ones) with its counts, in three grouped queries."""
    scenarios = list(db.session.scalars(
        select(Scenario).where(Scenario.archived.is_(archived)).order_by(Scenario.title)
    ))
    ids = [s.id for s in scenarios]
    assigned = dict(db.session.execute(
        select(ScenarioAssignment.scenario_id, func.count())
        .where(ScenarioAssignment.scenario_id.in_(ids)).group_by(ScenarioAssignment.scenario_id)
    ).all())
    runs = {sid: (n, p) for sid, n, p in db.session.execute(
        select(ScenarioRun.scenario_id, func.count(),
               func.sum(case((ScenarioRun.passed.is_(True), 1), else_=0)))
        .where(ScenarioRun.scenario_id.in_(ids), _employee_runs(), _finished())
        .group_by(ScenarioRun.scenario_id)
    ).all()}
    pending = dict(db.session.execute(_pending_reviews(ids)).all())
    return [
        ScenarioFigures(s, assigned.get(s.id, 0), *runs.get(s.id, (0, 0)), pending.get(s.id, 0))
        for s in scenarios
    ]


def _pending_reviews(scenario_ids: list[int]):  # noqa: ANN202 - a SQLAlchemy select
    return (
        select(ScenarioRun.scenario_id, func.count(RunStep.id))
        .join(RunStep, RunStep.run_id == ScenarioRun.id)
        .where(ScenarioRun.scenario_id.in_(scenario_ids), _employee_runs(),
               ScenarioRun.state == RunState.PENDING_REVIEW, RunStep.suggested.is_(True),
               RunStep.reviewed_at.is_(None))
        .group_by(ScenarioRun.scenario_id)
    )


# --- one scenario ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunPoint:
    """One finished run of an employee, for their series."""

    run_id: int
    started_at: datetime
    ended_at: datetime | None
    score: float | None
    passed: bool | None
    provisional: bool
    outcome: str | None
    dimensions: dict[str, float]


@dataclass
class EmployeeRuns:
    user: User
    runs: list[RunPoint] = field(default_factory=list)  # oldest first

    @property
    def best(self) -> float | None:
        return max((r.score for r in self.runs if r.score is not None), default=None)

    @property
    def last(self) -> RunPoint:
        return self.runs[-1]

    @property
    def passed(self) -> bool:
        return any(r.passed for r in self.runs)


@dataclass(frozen=True)
class OptionShare:
    option_id: str
    text: str
    runs: int  # runs that took this option
    reached: int  # runs that reached its decision
    critical: bool = False

    @property
    def share(self) -> float:
        return 100 * self.runs / self.reached if self.reached else 0.0


@dataclass(frozen=True)
class DecisionShares:
    node_id: str
    text: str
    reached: int
    options: list[OptionShare]


@dataclass(frozen=True)
class CriticalCount:
    reason: str
    runs: int
    share: float  # of the finished runs


@dataclass
class Insight:
    scenario: Scenario
    runs: int = 0  # finished employee runs
    in_progress: int = 0
    provisional: int = 0  # finished, awaiting review
    passed: int = 0
    average: float | None = None
    dimensions: dict[str, float | None] = field(default_factory=dict)  # name: mean 0–100
    outcomes: dict[str, int] = field(default_factory=dict)
    decisions: list[DecisionShares] = field(default_factory=list)
    criticals: list[CriticalCount] = field(default_factory=list)
    employees: list[EmployeeRuns] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.runs if self.runs else None


def insight(scenario: Scenario) -> Insight:
    """Every figure of the insight page for one scenario (see the module doc)."""
    result = Insight(scenario)
    result.in_progress = db.session.scalar(
        select(func.count()).where(ScenarioRun.scenario_id == scenario.id, _employee_runs(),
                                   ScenarioRun.state == RunState.IN_PROGRESS)
    ) or 0
    _read_runs(result)
    result.decisions = _decisions(scenario)
    result.criticals = _criticals(scenario, result.runs)
    return result


def _read_runs(result: Insight) -> None:
    """Totals, means and each employee's series from the scenario's finished runs."""
    rows = db.session.execute(
        select(ScenarioRun, User).join(User, User.id == ScenarioRun.user_id)
        .where(ScenarioRun.scenario_id == result.scenario.id, _employee_runs(), _finished())
        .order_by(ScenarioRun.started_at, ScenarioRun.id)
    ).all()
    weights = result.scenario.latest.script.weights
    sums: dict[str, list[float]] = {str(d): [] for d in weights}
    scores: list[float] = []
    employees: dict[int, EmployeeRuns] = {}
    for run, user in rows:
        point = RunPoint(run.id, run.started_at, run.ended_at, run.score, run.passed,
                         run.state == RunState.PENDING_REVIEW, run.outcome, run.dimensions or {})
        employees.setdefault(user.id, EmployeeRuns(user)).runs.append(point)
        result.runs += 1
        result.passed += bool(run.passed)
        result.provisional += point.provisional
        if run.outcome:
            result.outcomes[run.outcome] = result.outcomes.get(run.outcome, 0) + 1
        if run.score is not None:
            scores.append(run.score)
        for name, value in point.dimensions.items():
            sums.setdefault(name, []).append(value)
    result.average = sum(scores) / len(scores) if scores else None
    result.dimensions = {name: sum(v) / len(v) if v else None for name, v in sums.items()}
    result.employees = sorted(
        employees.values(),
        key=lambda e: (e.user.department.path if e.user.department else "", e.user.username),
    )


def _steps_of(scenario: Scenario):  # noqa: ANN202 - a SQLAlchemy select
    return (
        select(RunStep).join(ScenarioRun, ScenarioRun.id == RunStep.run_id)
        .where(ScenarioRun.scenario_id == scenario.id, _employee_runs())
    )


def _decisions(scenario: Scenario) -> list[DecisionShares]:
    """For each decision of the latest version: how many runs reached it, and took each option."""
    steps = _steps_of(scenario).subquery()
    reached = dict(db.session.execute(
        select(steps.c.node_id, func.count(steps.c.run_id.distinct())).group_by(steps.c.node_id)
    ).all())
    taken: dict[str, dict[str, int]] = defaultdict(dict)
    for node_id, option_id, runs in db.session.execute(
        select(steps.c.node_id, steps.c.option_id, func.count(steps.c.run_id.distinct()))
        .where(steps.c.option_id.is_not(None)).group_by(steps.c.node_id, steps.c.option_id)
    ):
        taken[node_id][option_id] = runs
    found = []
    for node in scenario.latest.script.nodes.values():
        if node.kind is not NodeKind.DECISION:
            continue
        count = reached.get(node.id, 0)
        options = [OptionShare(o.id, o.text, taken[node.id].get(o.id, 0), count, bool(o.critical))
                   for o in node.options]
        found.append(DecisionShares(node.id, node.text, count, options))
    return found


def _criticals(scenario: Scenario, runs: int) -> list[CriticalCount]:
    """Each critical mistake's reason and in how many runs it was made, the most frequent first."""
    steps = _steps_of(scenario).where(RunStep.critical.is_not(None)).subquery()
    rows = db.session.execute(
        select(steps.c.critical, func.count(steps.c.run_id.distinct()).cast(Integer).label("n"))
        .group_by(steps.c.critical).order_by(func.count(steps.c.run_id.distinct()).desc(),
                                             steps.c.critical)
    ).all()
    return [CriticalCount(reason, n, 100 * n / runs if runs else 0.0) for reason, n in rows]


# --- Excel -------------------------------------------------------------------------------------


def _append(sheet: Worksheet, values: list[object], *, bold: bool = False) -> None:
    """One row; text stays text (a name starting with '=' is never a formula)."""
    sheet.append(text_cells(values))
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def _percent(value: float | None) -> object:
    return round(value, 1) if value is not None else ""


def _summary_sheet(sheet: Worksheet, data: Insight) -> None:
    sheet.title = _("概况")
    scenario = data.scenario
    _append(sheet, [_("场景"), scenario.title], bold=True)
    _append(sheet, [_("渠道"), str(CHANNEL_LABELS.get(scenario.channel, scenario.channel))])
    _append(sheet, [_("已完成练习"), data.runs])
    _append(sheet, [_("其中待评分"), data.provisional])
    _append(sheet, [_("进行中"), data.in_progress])
    _append(sheet, [_("通过率 %"), _percent(data.pass_rate)])
    _append(sheet, [_("平均分"), _percent(data.average)])
    _append(sheet, [])
    _append(sheet, [_("维度"), _("平均得分率 %")], bold=True)
    for name, value in data.dimensions.items():
        _append(sheet, [str(DIMENSION_LABELS.get(name, name)), _percent(value)])
    _append(sheet, [])
    _append(sheet, [_("结局"), _("次数")], bold=True)
    for name, count in data.outcomes.items():
        _append(sheet, [str(OUTCOME_LABELS.get(name, name)), count])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 40


def _options_sheet(sheet: Worksheet, data: Insight) -> None:
    _append(sheet, [_("节点"), _("选项"), _("回复"), _("选择次数"), _("到达次数"), _("占比 %"),
                    _("严重错误")], bold=True)
    for decision in data.decisions:
        for option in decision.options:
            _append(sheet, [decision.node_id, option.option_id, option.text, option.runs,
                            option.reached, _percent(option.share),
                            _("是") if option.critical else ""])
    for column, width in zip("ABCDEFG", (10, 8, 60, 10, 10, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width


def _critical_sheet(sheet: Worksheet, data: Insight) -> None:
    _append(sheet, [_("严重错误"), _("次数"), _("占已完成练习 %")], bold=True)
    for item in data.criticals:
        _append(sheet, [item.reason, item.runs, _percent(item.share)])
    sheet.column_dimensions["A"].width = 60


def _runs_sheet(sheet: Worksheet, data: Insight) -> None:
    names = list(data.dimensions)
    _append(sheet, [_("工号"), _("姓名"), _("部门"), _("开始时间"), _("结束时间"), _("结局"),
                    _("得分"), _("是否通过"), _("待评分"),
                    *(str(DIMENSION_LABELS.get(n, n)) for n in names)], bold=True)
    for employee in data.employees:
        user = employee.user
        for run in employee.runs:
            _append(sheet, [
                user.employee_no or "", user.display_name,
                user.department.path if user.department else "",
                local_datetime(run.started_at), local_datetime(run.ended_at),
                str(OUTCOME_LABELS.get(run.outcome, run.outcome or "")),
                _percent(run.score), _("是") if run.passed else _("否"),
                _("是") if run.provisional else "",
                *(_percent(run.dimensions.get(n)) for n in names),
            ])
    for column, width in zip("ABCDE", (12, 12, 30, 18, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"


def insight_workbook(data: Insight) -> bytes:
    """The insight page as .xlsx: summary, option shares, critical mistakes, every run."""
    workbook = Workbook()
    _summary_sheet(workbook.active, data)
    _options_sheet(workbook.create_sheet(_("选项分布")), data)
    _critical_sheet(workbook.create_sheet(_("严重错误")), data)
    _runs_sheet(workbook.create_sheet(_("练习记录")), data)
    return workbook_bytes(workbook)
