"""A rule as people read it: a tree of groups and requirement lines, each named by title, with
where to go to meet it and, for an employee, whether it is met and how close they are.

The rule names what it reads by id; `Names` looks the titles up with one query per kind, for
every rule shown on a page at once, so a page of levels costs a handful of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from training.certification.models import CertLevel
from training.certification.rules import (
    AllOf,
    AnyOf,
    AttemptChoice,
    CourseCompleted,
    ExamPassed,
    LevelActive,
    ManualConfirmed,
    MinimumTenure,
    Rule,
    ScenarioPassed,
    State,
    referenced,
)
from training.courses.models import Course
from training.database import db
from training.exams.models import Exam
from training.manuals.models import Manual
from training.roleplay.models import Scenario

_MODELS = {ExamPassed: Exam, CourseCompleted: Course, ScenarioPassed: Scenario,
           ManualConfirmed: Manual, LevelActive: CertLevel}


def _key(requirement: object) -> int | None:
    for name in ("exam_id", "course_id", "scenario_id", "manual_id", "level_id"):
        if hasattr(requirement, name):
            return getattr(requirement, name)
    return None


@dataclass
class Names:
    """Titles (and manual slugs) of what some rules name, looked up in one query per kind."""

    titles: dict[tuple[type, int], str] = field(default_factory=dict)
    slugs: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> Names:
        wanted: dict[type, set[int]] = {}
        for rule in rules:
            for requirement in referenced(rule):
                if type(requirement) in _MODELS:
                    wanted.setdefault(type(requirement), set()).add(_key(requirement))  # type: ignore[arg-type]
        names = cls()
        for kind, ids in wanted.items():
            model = _MODELS[kind]
            label = model.name if model is CertLevel else model.title
            columns = [model.id, label] + ([model.slug] if model is Manual else [])
            for row in db.session.execute(select(*columns).where(model.id.in_(ids))):
                names.titles[(kind, row[0])] = row[1]
                if model is Manual:
                    names.slugs[row[0]] = row[2]
        return names

    def title(self, requirement: object) -> str:
        return self.titles.get((type(requirement), _key(requirement)), _("（已删除）"))  # type: ignore[arg-type]


@dataclass
class Line:
    """One node of the rule as shown: a group ("全部满足" / "满足其一") or a requirement."""

    text: str
    group: bool = False
    children: list[Line] = field(default_factory=list)
    link: str | None = None  # where to go to meet it (employee pages)
    met: bool | None = None  # None: no employee record (the rule editor)
    progress: str | None = None  # "最高 72%，需 80%"


def rule_lines(rule: Rule, names: Names, state: State | None = None, *,
               links: bool = False) -> Line:
    """The rule (with `state`: one employee's record of it) as a tree of lines."""
    if isinstance(rule, AllOf | AnyOf):
        text = _("全部满足") if isinstance(rule, AllOf) else _("满足其一")
        children = [rule_lines(child, names, state.children[i] if state else None, links=links)
                    for i, child in enumerate(rule.items)]
        return Line(text, True, children, met=state.met if state else None)
    return Line(_requirement_text(rule, names), link=_link(rule, names) if links else None,
                met=state.met if state else None, progress=_progress(rule, state))


def _requirement_text(rule: Rule, names: Names) -> str:
    if isinstance(rule, ExamPassed):
        if rule.min_percent is None:
            text = _("通过考试「%(t)s」", t=names.title(rule))
        elif rule.attempt == AttemptChoice.LAST:
            text = _("考试「%(t)s」最近一次成绩不低于 %(p)s%%", t=names.title(rule), p=f"{rule.min_percent:g}")
        else:
            text = _("考试「%(t)s」最高成绩不低于 %(p)s%%", t=names.title(rule), p=f"{rule.min_percent:g}")
        if rule.within_months:
            text += _("（近 %(n)d 个月内）", n=rule.within_months)
        return text
    if isinstance(rule, CourseCompleted):
        text = _("完成课程「%(t)s」", t=names.title(rule))
        if rule.within_days:
            text += _("（分配后 %(n)d 天内）", n=rule.within_days)
        return text
    if isinstance(rule, ScenarioPassed):
        text = _("情景演练「%(t)s」得分不低于 %(s)s", t=names.title(rule), s=f"{rule.min_score:g}")
        return text + (_("，且没有致命错误") if rule.no_critical else "")
    if isinstance(rule, ManualConfirmed):
        return _("已确认阅读「%(t)s」现行版本", t=names.title(rule))
    if isinstance(rule, MinimumTenure):
        return _("入职满 %(n)d 个月", n=rule.months)
    if isinstance(rule, LevelActive):
        return _("持有有效的「%(t)s」认证", t=names.title(rule))
    raise TypeError(f"unknown requirement {rule!r}")


def _link(rule: Rule, names: Names) -> str | None:
    if isinstance(rule, ExamPassed):
        return url_for("exams.intro", exam_id=rule.exam_id)
    if isinstance(rule, CourseCompleted):
        return url_for("courses.course", course_id=rule.course_id)
    if isinstance(rule, ScenarioPassed):
        return url_for("roleplay.my_scenarios")
    if isinstance(rule, ManualConfirmed) and rule.manual_id in names.slugs:
        return url_for("manuals.read", slug=names.slugs[rule.manual_id])
    if isinstance(rule, LevelActive):
        return url_for("certification.mine")
    return None


def _progress(rule: Rule, state: State | None) -> str | None:
    """How close an unmet exam or scenario is: the best so far against what is needed."""
    if state is None or state.met or state.best is None:
        return None
    if isinstance(rule, ExamPassed):
        need = _("需及格") if rule.min_percent is None else _("需 %(p)s%%", p=f"{rule.min_percent:g}")
        return _("最高 %(b)s%%，%(need)s", b=f"{state.best:g}", need=need)
    if isinstance(rule, ScenarioPassed):
        return _("最高 %(b)s 分，需 %(s)s 分", b=f"{state.best:g}", s=f"{rule.min_score:g}")
    return None
