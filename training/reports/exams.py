"""Exam figures and item analysis, aggregated in the database.

One result per examinee: the exam's grading method picks it (`grading.final_results`, the same
SQL the trainer's attempts list uses); item analysis needs one attempt's answers per examinee,
so there it is the attempt that method counts, and for an averaged exam the latest
(`grading.counted_attempts`). Attempts waiting for a grader have no result yet and are left out.

The period is the attempts' hand-in (local) day; department and position are the examinee's
today. Everything that grows with the answers is summed by grouped SQL — per question and
upper/middle/lower group the moment sums `question_bank.statistics` needs, per question and
response the option counts — so the work in Python is per examinee or per question, never per
answer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Float, Text, and_, case, cast, func, literal, select

from question_bank.statistics import (
    Descriptive,
    Flag,
    GroupSums,
    HistogramBin,
    ItemSums,
    Options,
    Reliability,
    TotalSums,
    count_options,
    describe,
    discrimination,
    facility,
    flags,
    group_size,
    histogram,
    reliability,
    upper_lower_index,
)
from question_bank.types import type_names
from training.bank.models import QuestionVersion
from training.database import db
from training.errors import NotFound
from training.exams.grading import counted_attempts, final_results
from training.exams.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Exam,
    ExamAssignment,
    to_hundredths,
)
from training.people.audience import reached_user_ids
from training.people.models import Department, User
from training.reports import scope
from training.reports.filters import Filters

# Features above reports that know which manual articles a question tests register a finder
# here (training.article_links): question ids → article headings, per question.
QUESTION_ARTICLES: list[Callable[[Collection[int]], dict[int, list[str]]]] = []

UPPER, MIDDLE, LOWER = "upper", "middle", "lower"


def get_exam(exam_id: int) -> Exam:
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        raise NotFound(_("考试不存在：%(id)s", id=exam_id))
    return exam


def examinees(filters: Filters) -> list[ColumnElement[bool]]:
    """SQL on `Attempt`: handed in during the period, by someone the people filters keep."""
    criteria = scope.period(filters, Attempt.submitted_at)
    kept = scope.people(filters)
    if kept:
        criteria.append(Attempt.user_id.in_(select(User.id).where(*kept)))
    return criteria


# --- the exam report --------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    employee_no: str | None
    name: str
    department: str


@dataclass(frozen=True)
class Result:
    """An examinee's result under the exam's grading method."""

    person: Person
    percent: float
    passed: bool


@dataclass(frozen=True)
class DepartmentFigures:
    path: str
    took_part: int
    passed: int
    mean: float | None

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.took_part if self.took_part else None


@dataclass(frozen=True)
class ExamFigures:
    """What the exam report shows of one exam under the filters."""

    exam: Exam
    assigned: int  # reached by the assignments today, within the people filters
    results: list[Result]  # by department, 工号
    absent: list[Person]  # assigned, without a result in the period
    awaiting: int  # examinees whose only finished attempts wait for a grader

    @property
    def took_part(self) -> int:
        return len(self.results)

    @property
    def passed(self) -> int:
        return sum(1 for result in self.results if result.passed)

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.took_part if self.took_part else None

    @property
    def participation(self) -> float | None:
        """Share of the assigned people with a result (参考率)."""
        if not self.assigned:
            return None
        return 100 * (self.assigned - len(self.absent)) / self.assigned

    @property
    def figures(self) -> Descriptive:
        return describe([result.percent for result in self.results])

    @property
    def bins(self) -> list[HistogramBin]:
        return histogram([result.percent for result in self.results], self.exam.pass_mark)

    @property
    def departments(self) -> list[DepartmentFigures]:
        by_path: dict[str, list[Result]] = defaultdict(list)
        for result in self.results:
            by_path[result.person.department].append(result)
        return [DepartmentFigures(path, len(rows), sum(1 for r in rows if r.passed),
                                  describe([r.percent for r in rows]).mean)
                for path, rows in sorted(by_path.items())]


PERSON_COLUMNS = (User.id, User.employee_no, User.display_name,
                  func.coalesce(Department.path, "").label("path"))


def _person(row) -> Person:  # noqa: ANN001 - a result row of PERSON_COLUMNS
    return Person(row.id, row.employee_no, row.display_name, row.path)


def exam_figures(exam: Exam, filters: Filters) -> ExamFigures:
    """The exam's figures in four queries, however many examinees and answers."""
    results = final_results(Attempt.exam_id == exam.id, *examinees(filters)).subquery()
    rows = db.session.execute(
        select(*PERSON_COLUMNS, results.c.percent, results.c.passed)
        .join(User, User.id == results.c.user_id).outerjoin(User.department)
        .order_by("path", User.employee_no, User.id)
    ).all()
    counted = [Result(_person(row), float(row.percent), bool(row.passed)) for row in rows]
    reached = reached_user_ids(ExamAssignment, ExamAssignment.exam_id == exam.id)
    assigned_people = and_(User.id.in_(reached), *scope.people(filters))
    assigned = db.session.scalar(select(func.count()).select_from(User).where(assigned_people))
    with_result = select(results.c.user_id)
    absent = [_person(row) for row in db.session.execute(
        select(*PERSON_COLUMNS).outerjoin(User.department)
        .where(assigned_people, User.id.not_in(with_result))
        .order_by("path", User.employee_no, User.id)
    )]
    awaiting = db.session.scalar(
        select(func.count(Attempt.user_id.distinct()))
        .where(Attempt.exam_id == exam.id, Attempt.submitted_at.is_not(None),
               Attempt.graded_at.is_(None), Attempt.user_id.not_in(with_result),
               *examinees(filters))
    )
    return ExamFigures(exam, int(assigned or 0), counted, absent, int(awaiting or 0))


def exam_json(figures: ExamFigures) -> dict:
    """`GET /api/v1/reports/exams/{id}` and its CLI twin: the contract's keys, percentages with
    two decimals."""
    stats = figures.figures
    return {
        "exam_id": figures.exam.id,
        "assigned": figures.assigned,
        "took_part": figures.took_part,
        "passed": figures.passed,
        "mean": two(stats.mean),
        "median": two(stats.median),
        "histogram": [{"from": b.start, "to": b.end, "count": b.count} for b in figures.bins],
        "departments": [{"path": d.path, "took_part": d.took_part, "passed": d.passed,
                         "mean": two(d.mean)} for d in figures.departments],
    }


def two(value: float | None) -> float | None:
    """A percentage as the contract gives it: two decimals, halves up (as the app rounds)."""
    return None if value is None else to_hundredths(value) + 0.0


# --- item analysis ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One question's analysis (see `question_bank.statistics` for each figure)."""

    question_id: int
    ordinal: int  # where it first appears on the paper (shuffled papers: its earliest place)
    type: str
    stem: str
    sums: ItemSums
    max_points: float
    upper: GroupSums
    lower: GroupSums
    options: Options | None  # choice questions only
    articles: list[str]

    @property
    def facility(self) -> float | None:
        return facility(self.sums)

    @property
    def discrimination(self) -> float | None:
        return discrimination(self.sums)

    @property
    def upper_lower(self) -> float | None:
        return upper_lower_index(self.upper, self.lower)

    @property
    def flags(self) -> list[Flag]:
        return flags(self.sums, self.discrimination, self.options)


@dataclass(frozen=True)
class ItemAnalysis:
    exam: Exam
    attempts: int
    items: list[Item]
    reliability: Reliability  # SEM in points
    max_score: float | None  # the paper's maximum when every attempt had the same questions

    @property
    def sem_percent(self) -> float | None:
        """The SEM in percent of the maximum score (the unit the exam report uses)."""
        if self.reliability.sem is None or not self.max_score:
            return None
        return 100 * self.reliability.sem / self.max_score


def _grouped(counted, total: int) -> ColumnElement[str]:  # noqa: ANN001 - a subquery
    """SQL on the ranked counted attempts: upper, lower or middle 27 % by percentage."""
    size = group_size(total)
    return case((counted.c.rank <= size, literal(UPPER)),
                (counted.c.rank > total - size, literal(LOWER)), else_=literal(MIDDLE))


def item_analysis(exam: Exam, filters: Filters) -> ItemAnalysis:
    """Per question and for the exam, from the counted attempts, in five grouped queries."""
    chosen = counted_attempts(Attempt.exam_id == exam.id, *examinees(filters)).subquery()
    counted = select(
        chosen.c.id, chosen.c.score, chosen.c.percent,
        func.row_number().over(order_by=(chosen.c.percent.desc(), chosen.c.id)).label("rank"),
    ).subquery()
    total_n, sum_t, sum_tt = db.session.execute(
        select(func.count(), func.coalesce(func.sum(counted.c.score), 0),
               func.coalesce(func.sum(counted.c.score * counted.c.score), 0))
    ).one()
    totals = TotalSums(int(total_n), float(sum_t), float(sum_tt))
    group = _grouped(counted, totals.n).label("grp")
    sums = _item_sums(counted, group)
    options = _option_counts(counted, group)
    versions = _versions({row.version_id for row in sums.values()})
    articles = _articles(sums.keys())
    items = sorted(
        (_item(question_id, row, versions[row.version_id], options.get(question_id),
               articles.get(question_id, []))
         for question_id, row in sums.items()),
        key=lambda item: (item.ordinal, item.question_id),
    )
    found = reliability([item.sums for item in items], totals)
    same = all(item.sums.n == totals.n for item in items)
    max_score = sum(item.max_points for item in items) if same and items else None
    return ItemAnalysis(exam, totals.n, items, found, max_score)


@dataclass
class _Sums:
    """A question's sums, gathered over its upper, middle and lower rows."""

    version_id: int = 0
    ordinal: int | None = None
    max_points: float = 0
    total: ItemSums = ItemSums(0, 0, 0, 0, 0, 0, 0)
    groups: dict[str, GroupSums] | None = None


def _item_sums(counted, group: ColumnElement[str]) -> dict[int, _Sums]:  # noqa: ANN001
    x = func.coalesce(Answer.points_awarded, 0)
    t = cast(counted.c.score, Float)
    rows = db.session.execute(
        select(AttemptQuestion.question_id, group, func.count(),
               func.sum(AttemptQuestion.points), func.sum(x), func.sum(x * x), func.sum(t),
               func.sum(t * t), func.sum(x * t), func.max(AttemptQuestion.version_id),
               func.min(AttemptQuestion.ordinal), func.max(AttemptQuestion.points))
        .select_from(counted)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == counted.c.id)
        .outerjoin(Answer, Answer.attempt_question_id == AttemptQuestion.id)
        .group_by(AttemptQuestion.question_id, group)
    ).all()
    found: dict[int, _Sums] = defaultdict(_Sums)
    for question_id, grp, n, s_max, s_x, s_xx, s_t, s_tt, s_xt, version, ordinal, most in rows:
        entry = found[question_id]
        part = ItemSums(int(n), *(float(v or 0) for v in (s_max, s_x, s_xx, s_t, s_tt, s_xt)))
        entry.total = _add(entry.total, part)
        entry.groups = {**(entry.groups or {}), grp: GroupSums(part.n, part.sum_x, part.sum_max)}
        entry.version_id = max(entry.version_id, int(version))
        entry.ordinal = int(ordinal) if entry.ordinal is None else min(entry.ordinal, ordinal)
        entry.max_points = max(entry.max_points, float(most))
    return dict(found)


def _add(a: ItemSums, b: ItemSums) -> ItemSums:
    return ItemSums(a.n + b.n, a.sum_max + b.sum_max, a.sum_x + b.sum_x, a.sum_xx + b.sum_xx,
                    a.sum_t + b.sum_t, a.sum_tt + b.sum_tt, a.sum_xt + b.sum_xt)


def _option_counts(counted, group: ColumnElement[str]) -> dict[int, dict[str, list]]:  # noqa: ANN001
    """Per choice question and group, the (response, count) pairs: responses are stored with
    the bank's labels whatever order the examinee saw, so they are counted as they are."""
    response = cast(Answer.response, Text).label("response_text")
    rows = db.session.execute(
        select(AttemptQuestion.question_id, group, response, func.count())
        .select_from(counted)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == counted.c.id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.version_id)
        .join(Answer, Answer.attempt_question_id == AttemptQuestion.id)
        .where(QuestionVersion.type.in_(type_names(choice=True)))
        .group_by(AttemptQuestion.question_id, group, response)
    ).all()
    found: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for question_id, grp, text, count in rows:
        found[question_id][grp].append((_parsed(text), int(count)))
    return found


def _parsed(text: str | None) -> object:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _versions(ids: Collection[int]) -> dict[int, QuestionVersion]:
    if not ids:
        return {}
    return {version.id: version for version in db.session.scalars(
        select(QuestionVersion).where(QuestionVersion.id.in_(ids)))}


def _articles(question_ids: Collection[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for finder in QUESTION_ARTICLES:
        for question_id, headings in finder(question_ids).items():
            found.setdefault(question_id, []).extend(headings)
    return found


def _keyed(answer: object) -> frozenset[str]:
    if isinstance(answer, str):
        return frozenset({answer})
    if isinstance(answer, list):
        return frozenset(str(label) for label in answer)
    return frozenset()


def _item(question_id: int, sums: _Sums, version: QuestionVersion,
          responses: dict[str, list] | None, articles: list[str]) -> Item:
    groups = sums.groups or {}
    empty = GroupSums(0, 0, 0)
    options = None
    if version.type in type_names(choice=True):
        labels = [option["label"] for option in version.options or []]
        every = [pair for pairs in (responses or {}).values() for pair in pairs]
        options = Options(
            count_options(labels, every), _keyed(version.answer),
            upper=count_options(labels, (responses or {}).get(UPPER, [])),
            lower=count_options(labels, (responses or {}).get(LOWER, [])),
        )
    return Item(question_id, sums.ordinal or 0, version.type, version.stem, sums.total,
                sums.max_points, groups.get(UPPER, empty), groups.get(LOWER, empty), options,
                articles)


def ratio(value: float | None) -> float | None:
    """A 0–1 figure (facility, discrimination, α) as the contract gives it: four decimals."""
    return None if value is None else round(value + 0.0, 4)


def items_json(analysis: ItemAnalysis) -> dict:
    """`servicecoach report item-analysis --json` and `GET .../items`: the contract's keys."""
    return {
        "exam_id": analysis.exam.id,
        "attempts": analysis.attempts,
        "questions": [
            {"question_id": item.question_id, "n": item.sums.n, "facility": ratio(item.facility),
             "discrimination": ratio(item.discrimination),
             "options": dict(item.options.counts) if item.options else {}}
            for item in analysis.items
        ],
        "reliability": {"alpha": ratio(analysis.reliability.alpha),
                        "sem": two(analysis.sem_percent)},
    }


def exams_named(filters: Filters) -> Sequence[Exam]:
    """The filter's exams, in its order; an unknown id is a NotFound."""
    return [get_exam(exam_id) for exam_id in filters.exam_ids]
