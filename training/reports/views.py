"""The people, team, learning and weak-article report pages (the exam pages are in routes.py).

Each view reads the filters from the URL, builds its report by name and renders it; the
profile first decides whose eyes it is for (`viewers.profile_builder`).
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from training.access import authenticated
from training.database import db, utcnow
from training.navigation import LEARN, register_nav
from training.reports import bp
from training.reports.document import build
from training.reports.filters import Filters
from training.reports.pages import filter_choices, register_page, render_report
from training.reports.people import people_page
from training.reports.profile import person
from training.reports.scope import previous_period
from training.reports.teams import default_period
from training.reports.viewers import leads_a_team, profile_builder, visible_people
from training.timezones import local_day

register_nav("reports.my_profile", _l("我的成绩档案"), "person-vcard", "employee", order=28,
             group=LEARN)
register_page("reports.people", _l("人员成绩档案"),
              _l("每个人的考试成绩趋势、课程、练习、情景演练、薄弱条文与认证记录。"), "person-vcard",
              order=30)
register_page("reports.teams", _l("团队对比"),
              _l("各部门本期与上期的参考率、通过率、平均分、课程完成与逾期。"), "people", order=40)
register_page("reports.learning", _l("学习情况"),
              _l("课程完成与逾期、制度阅读确认、练习活跃度，按部门。"), "mortarboard", order=50)
register_page("reports.weak_articles", _l("薄弱条文"),
              _l("答错最多的制度条文，可按考试、部门和期间查看。"), "journal-text", order=60)

PROFILE_FIELDS = ("from", "to", "exams")
PERIOD_FIELDS = ("from", "to")
TEAM_FIELDS = ("from", "to", "department", "position", "exams", "course")
LEARNING_FIELDS = ("from", "to", "department", "position", "course")
WEAK_FIELDS = ("from", "to", "department", "position", "exams")


@bp.route("/me")
@authenticated
def my_profile():
    return redirect(url_for("reports.profile", user_id=current_user.id))


@bp.route("/people/")
@authenticated
def people():
    criteria = visible_people(current_user)
    if criteria is None:
        abort(403)
    filters = Filters.from_args(request.args)
    page = db.paginate(people_page(filters, criteria), per_page=current_app.config["PER_PAGE"])
    fields = ("department", "position")
    return render_template("reports/people.html", filters=filters, page=page, fields=fields,
                           choices=filter_choices(fields), sees_everyone=not criteria)


@bp.route("/people/<int:user_id>")
@authenticated
def profile(user_id: int):
    builder = profile_builder(current_user, person(user_id))
    if builder is None:
        abort(404)
    filters = Filters.from_args(request.args)
    filters = Filters(filters.date_from, filters.date_to, exam_ids=filters.exam_ids,
                      user_id=user_id)
    sees_everyone = builder == "profile"  # the exam picker lists every exam: not for employees
    return render_report(build(builder, filters),
                         fields=PROFILE_FIELDS if sees_everyone else PERIOD_FIELDS,
                         template="reports/profile.html", sees_everyone=sees_everyone,
                         team_lead=leads_a_team(current_user) and current_user.id == user_id)


@bp.route("/teams")
def teams():
    filters = default_period(Filters.from_args(request.args), local_day(utcnow()))
    return render_report(build("teams", filters), fields=TEAM_FIELDS,
                         template="reports/teams.html", periods=period_links(filters))


def period_links(filters: Filters) -> list[tuple[str, str, bool]]:
    """(label, URL, active) of the quick periods: this month, last month, this quarter, last
    quarter — the rest of the filters kept."""
    today = local_day(utcnow())
    month = today.replace(day=1)
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    this_month = (month, today)
    last_month = previous_period(month, _month_end(month))
    this_quarter = (quarter, today)
    last_quarter = previous_period(quarter, _month_end(date(quarter.year, quarter.month + 2, 1)))
    links = []
    for label, (start, end) in ((_l("本月"), this_month), (_l("上月"), last_month),
                                (_l("本季度"), this_quarter), (_l("上季度"), last_quarter)):
        chosen = filters.with_period(start, end)
        links.append((str(label), url_for("reports.teams", **chosen.to_args()),
                      (filters.date_from, filters.date_to) == (start, end)))
    return links


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


@bp.route("/learning")
def learning():
    return render_report(build("learning", Filters.from_args(request.args)),
                         fields=LEARNING_FIELDS)


@bp.route("/weak-articles")
def weak_articles():
    return render_report(build("weak_articles", Filters.from_args(request.args)),
                         fields=WEAK_FIELDS)

