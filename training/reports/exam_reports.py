"""The exam report and the item analysis as `Report`s: what the pages show and what Excel,
CSV and PDF export, built from `training.reports.exams`' figures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import has_request_context, url_for
from flask_babel import gettext as _

from question_bank.statistics import FLAG_TEXTS, Flag
from training.exams.labels import GRADING_LABELS
from training.i18n import translate_pure
from training.reports import charts
from training.reports.document import Chart, Column, Kind, Report, Table, register
from training.reports.exams import (
    ExamFigures,
    Item,
    ItemAnalysis,
    exam_figures,
    exams_named,
    get_exam,
    item_analysis,
)
from training.reports.filters import Filters
from training.spreadsheets import Cell, Percent

STEM_CHARS = 40  # of a question's stem in the table; the editor shows the rest


def link(endpoint: str, **args: Any) -> str | None:
    """A drill-down URL for the page; none when built outside a request (a background export,
    which never writes links)."""
    return url_for(endpoint, **args) if has_request_context() else None


def _text(column: str, kind: Kind = Kind.TEXT) -> Column:
    return Column(column, kind)


# --- exam report ------------------------------------------------------------------------------


@register("exam")
def exam_report(filters: Filters) -> Report:
    """Assigned, took part, passed, spread, histogram and departments of each chosen exam, the
    people with their counted score and who was assigned but has no result."""
    figures = [exam_figures(exam, filters) for exam in exams_named(filters)]
    title = _("考试报表") if len(figures) != 1 else _("考试报表 · %(t)s", t=figures[0].exam.title)
    if not figures:
        return Report("exam", title, filters, notes=(_("请在上方选择一场或几场考试。"),))
    return Report(
        "exam", title, filters,
        tables=(_overview(figures, filters), _by_department(figures, filters), _people(figures),
                _absent(figures)),
        charts=tuple(chart for one in figures for chart in _exam_charts(one, len(figures) > 1)),
        notes=tuple(note for one in figures for note in _exam_notes(one)),
    )


def _exam_notes(figures: ExamFigures) -> list[str]:
    exam = figures.exam
    notes = [_("「%(t)s」每人计一次成绩（%(m)s），及格线 %(p)s%%；参考率 = 有成绩的应考人员 ÷ 应考人数。",
               t=exam.title, m=GRADING_LABELS[exam.grading_method], p=f"{exam.pass_mark:g}")]
    if figures.awaiting:
        notes.append(_("「%(t)s」另有 %(n)d 人的答卷待阅卷，评分后计入。", t=exam.title,
                       n=figures.awaiting))
    return notes


def _overview(figures: list[ExamFigures], filters: Filters) -> Table:
    args = filters.to_args()
    args.pop("exam", None)
    rows: list[list[Cell]] = []
    for one in figures:
        stats = one.figures
        rows.append([one.exam.title, one.assigned, one.took_part, Percent(one.participation),
                     one.passed, Percent(one.pass_rate), Percent(stats.mean),
                     Percent(stats.median), stats.sd, Percent(stats.minimum),
                     Percent(stats.maximum)])
    return Table(
        _("概况"),
        (_text(_("考试")), _text(_("应考人数"), Kind.INT), _text(_("参考人数"), Kind.INT),
         _text(_("参考率"), Kind.PERCENT), _text(_("通过人数"), Kind.INT),
         _text(_("通过率"), Kind.PERCENT), _text(_("平均得分率"), Kind.PERCENT),
         _text(_("中位数"), Kind.PERCENT), _text(_("标准差"), Kind.NUMBER),
         _text(_("最低"), Kind.PERCENT), _text(_("最高"), Kind.PERCENT)),
        rows,
        links=[link("reports.items", exam_id=one.exam.id, **args) for one in figures],
    )


Rows = Iterator[tuple[list[Cell], str | None]]  # a table's rows of one exam, with their links


def _per_exam(title: str, columns: tuple[Column, ...], figures: list[ExamFigures],
              rows_of: Callable[[ExamFigures], Rows]) -> Table:
    """A table of the exams' rows, led by the exam's title when there are several."""
    named = len(figures) > 1
    rows: list[list[Cell]] = []
    links: list[str | None] = []
    for one in figures:
        for cells, href in rows_of(one):
            rows.append([one.exam.title, *cells] if named else cells)
            links.append(href)
    head = (_text(_("考试")),) if named else ()
    return Table(title, head + columns, rows, links if any(links) else ())


def _by_department(figures: list[ExamFigures], filters: Filters) -> Table:
    def rows_of(one: ExamFigures) -> Rows:
        for department in one.departments:
            narrowed = Filters(filters.date_from, filters.date_to, department.path or None,
                               filters.position, (one.exam.id,))
            yield ([department.path or _("（未分配部门）"), department.took_part,
                    department.passed, Percent(department.pass_rate), Percent(department.mean)],
                   link("reports.exam_report", **narrowed.to_args()))

    return _per_exam(
        _("按部门"),
        (_text(_("部门")), _text(_("参考人数"), Kind.INT), _text(_("通过人数"), Kind.INT),
         _text(_("通过率"), Kind.PERCENT), _text(_("平均得分率"), Kind.PERCENT)),
        figures, rows_of,
    )


def _people(figures: list[ExamFigures]) -> Table:
    def rows_of(one: ExamFigures) -> Rows:
        for result in one.results:
            person = result.person
            yield ([person.employee_no or "", person.name, person.department,
                    Percent(result.percent), _("通过") if result.passed else _("未通过")], None)

    return _per_exam(
        _("成绩名单"),
        (_text(_("工号")), _text(_("姓名")), _text(_("部门")), _text(_("计入成绩"), Kind.PERCENT),
         _text(_("是否通过"))),
        figures, rows_of,
    )


def _absent(figures: list[ExamFigures]) -> Table:
    def rows_of(one: ExamFigures) -> Rows:
        for person in one.absent:
            yield [person.employee_no or "", person.name, person.department], None

    return _per_exam(_("已安排但无成绩"), (_text(_("工号")), _text(_("姓名")), _text(_("部门"))),
                     figures, rows_of)


def _exam_charts(figures: ExamFigures, named: bool) -> list[Chart]:
    prefix = f"{figures.exam.title} · " if named else ""
    found = [charts.histogram(prefix + _("成绩分布"), figures.bins, figures.exam.pass_mark)]
    departments = figures.departments
    if len(departments) > 1:
        found.append(charts.grouped_bars(
            prefix + _("各部门对比"), short_paths([d.path for d in departments]),
            {_("通过率"): [_rounded(d.pass_rate) for d in departments],
             _("平均得分率"): [_rounded(d.mean) for d in departments]},
        ))
    return found


def short_paths(paths: list[str]) -> list[str]:
    """Department paths without the part they all share, so the chart's labels stay short
    and still tell 华南客服中心/热线组 from 客服中心/热线组."""
    split = [path.split("/") for path in paths]
    shared = 0
    while all(len(parts) > shared + 1 and parts[shared] == split[0][shared] for parts in split):
        shared += 1
    return ["/".join(parts[shared:]) or _("（未分配部门）") for parts in split]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- item analysis ----------------------------------------------------------------------------


@register("items")
def items_report(filters: Filters) -> Report:
    """Per question: facility, discrimination, upper–lower index, option counts, articles and
    flags; per exam: reliability and SEM. The first exam of the filters is analysed."""
    if not filters.exam_ids:
        return Report("items", _("试题分析"), filters, notes=(_("请选择一场考试。"),))
    analysis = item_analysis(get_exam(filters.exam_ids[0]), filters)
    return Report(
        "items", _("试题分析 · %(t)s", t=analysis.exam.title), filters,
        tables=(_items_table(analysis),),
        charts=(_items_chart(analysis),) if analysis.items else (),
        notes=tuple(_items_notes(analysis)),
    )


def _items_notes(analysis: ItemAnalysis) -> list[str]:
    notes = [_("按 %(n)d 份计入成绩的答卷分析（每人一份：%(m)s；取平均分的考试用最后一次）。",
               n=analysis.attempts, m=GRADING_LABELS[analysis.exam.grading_method]),
             _("难度 = 平均得分 ÷ 满分（越高越容易）；区分度 = 本题得分与其余题目总分的相关系数；"
               "高低分组 = 前 27% 与后 27% 的难度之差。")]
    alpha = analysis.reliability.alpha
    if alpha is None:
        notes.append(_("各答卷的题目不完全相同（或答卷太少），不计算信度。"))
    else:
        notes.append(_("信度 α（KR-20）= %(a).2f，测量标准误 SEM = %(s).2f%%（占满分）。", a=alpha,
                       s=analysis.sem_percent or 0))
    return notes


def option_text(item: Item) -> str:
    """"A 12 · B* 30 · C 0": every option with its count, the keyed ones starred."""
    if item.options is None:
        return ""
    return " · ".join(f"{label}{'*' if label in item.options.keyed else ''} {count}"
                      for label, count in item.options.counts.items())


def flag_text(flags: list[Flag]) -> str:
    return "；".join(translate_pure(FLAG_TEXTS[flag]) for flag in flags)


def _items_table(analysis: ItemAnalysis) -> Table:
    rows: list[list[Cell]] = []
    for item in analysis.items:
        stem = item.stem if len(item.stem) <= STEM_CHARS else item.stem[:STEM_CHARS] + "…"
        rows.append([item.question_id, stem, item.sums.n, item.max_points, item.facility,
                     item.discrimination, item.upper_lower, option_text(item),
                     "；".join(item.articles), flag_text(item.flags)])
    return Table(
        _("试题分析"),
        (_text(_("题号"), Kind.INT), _text(_("题目")), _text(_("作答人数"), Kind.INT),
         _text(_("满分"), Kind.NUMBER), _text(_("难度"), Kind.NUMBER),
         _text(_("区分度"), Kind.NUMBER), _text(_("高低分组区分度"), Kind.NUMBER),
         _text(_("选项分布（*为正确答案）")), _text(_("考查条文")), _text(_("提示"))),
        rows,
        links=[link("bank.question_edit", question_id=item.question_id)
               for item in analysis.items],
    )


def _items_chart(analysis: ItemAnalysis) -> Chart:
    labels = [str(item.question_id) for item in analysis.items]
    return charts.grouped_bars(
        _("各题难度与区分度"), labels,
        {_("难度"): [_rounded(item.facility) for item in analysis.items],
         _("区分度"): [_rounded(item.discrimination) for item in analysis.items]},
        percent=False,
    )
