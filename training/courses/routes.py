"""Course pages: thin views over the services; the request commits once, at its end.

Learner views are `@authenticated` (a course shows only to those it is assigned to, anyone
else gets 404); building courses and the report are for trainers, the blueprint's default.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from training.access import authenticated
from training.courses import bp, labels
from training.courses.forms import AssignForm, CourseForm, ImageForm, LessonForm
from training.courses.images import image_by_hash, store_image
from training.courses.models import Course, Lesson
from training.courses.progress import (
    CourseProgress,
    complete_reading,
    learner_progress,
    open_lesson,
    progress_for,
    quiz_courses,
    quiz_status,
    record_completions,
    scenario_standing,
)
from training.courses.reports import course_report, report_workbook
from training.courses.richtext import render_markdown
from training.courses.sections import manual_section, section_options
from training.courses.services import (
    add_lesson,
    assign_course,
    assignment_counts,
    course_list,
    course_reach,
    create_course,
    get_assignment,
    get_course,
    get_lesson,
    lesson_scenarios,
    move_lesson,
    quiz_exams,
    remove_assignment,
    remove_lesson,
    update_course,
    update_lesson,
)
from training.database import db, utcnow
from training.errors import DomainError, NotFound
from training.people.audience import find_users
from training.spreadsheets import xlsx_download
from training.timezones import to_local
from training.unit_of_work import unit_of_work

DEFAULT_DUE_DAYS = 14
_ALT_UNSAFE = re.compile(r"[\[\]()<>\\`*_!]")  # would end or change the Markdown image syntax


@bp.context_processor
def course_labels() -> dict[str, object]:
    return {name.lower(): getattr(labels, name) for name in dir(labels) if name.isupper()}


@bp.app_template_filter("reading_time")
def reading_time(seconds: int) -> str:
    """90 → '1 分 30 秒': a minimum reading time as people say it."""
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return _("%(n)d 秒", n=rest)
    if not rest:
        return _("%(n)d 分钟", n=minutes)
    return _("%(m)d 分 %(s)d 秒", m=minutes, s=rest)


@bp.app_template_global()
def courses_with_quiz(exam_id: int) -> list[Course]:
    """For the exam's intro page: the signed-in learner's courses that use this quiz."""
    if not current_user.is_authenticated:
        return []
    return quiz_courses(current_user, exam_id)


def _lesson_content(lesson: Lesson, now: datetime) -> dict[str, object]:
    """What the lesson shows: the manual section, the rendered page, or the quiz's or the
    scenario's standing."""
    if lesson.kind == "manual":
        return {"section": manual_section(lesson.manual_id, lesson.anchor)}
    if lesson.kind == "page":
        return {"html": render_markdown(lesson.body)}
    if lesson.kind == "scenario":
        return {"scenario": scenario_standing(current_user, lesson.scenario_id)}
    return {"quiz": quiz_status(current_user, lesson, now)}


# ---------------------------------------------------------------- learners


@bp.route("/")
@authenticated
def my_courses():
    now = utcnow()
    progress = learner_progress(current_user, now)
    record_completions(current_user, progress)
    return render_template("courses/my_courses.html", progress=progress, now=now)


@bp.route("/<int:course_id>")
@authenticated
def course(course_id: int):
    now = utcnow()
    progress = progress_for(current_user, course_id, now)
    record_completions(current_user, [progress])
    return render_template("courses/course.html", progress=progress)


def _opened(course_id: int, lesson_id: int, now: datetime) -> CourseProgress:
    """The course after noting that the learner opened this lesson (refused when locked)."""
    progress = progress_for(current_user, course_id, now)
    if open_lesson(current_user, progress.state_of(lesson_id), now):
        progress = progress_for(current_user, course_id, now)
    record_completions(current_user, [progress])
    return progress


@bp.route("/<int:course_id>/lessons/<int:lesson_id>")
@authenticated
def lesson(course_id: int, lesson_id: int):
    now = utcnow()
    with unit_of_work(refused="warning", passes=(NotFound,)) as work:
        progress = _opened(course_id, lesson_id, now)
    if not work.done:  # the lesson is still locked
        return redirect(url_for("courses.course", course_id=course_id))
    state = progress.state_of(lesson_id)
    return render_template("courses/lesson.html", progress=progress, state=state,
                           **_lesson_content(state.lesson, now))


@bp.route("/<int:course_id>/lessons/<int:lesson_id>/complete", methods=["POST"])
@authenticated
def complete(course_id: int, lesson_id: int):
    """完成阅读 (CSRFProtect checks the token of every POST)."""
    now = utcnow()
    state = progress_for(current_user, course_id, now).state_of(lesson_id)
    with unit_of_work(refused="warning") as work:
        complete_reading(current_user, state, now)
        progress = progress_for(current_user, course_id, now)
        record_completions(current_user, [progress])
        work.message = _("恭喜，课程已全部完成！") if progress.done else _("本课时已完成。")
    return redirect(url_for("courses.lesson", course_id=course_id, lesson_id=lesson_id))


@bp.route("/images/<digest>")
@authenticated
def image(digest: str):
    """An uploaded lesson image; its address is its hash, so it may be cached for good."""
    stored = image_by_hash(digest)
    response = current_app.response_class(stored.data, mimetype=stored.content_type)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.set_etag(stored.sha256)
    return response.make_conditional(request)


# ---------------------------------------------------------------- trainers


@bp.route("/manage/")
def manage():
    stmt = course_list().options(selectinload(Course.lessons))
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"])
    counts = assignment_counts([course.id for course in page.items])
    return render_template("courses/manage.html", page=page, counts=counts)


@bp.route("/manage/new", methods=["GET", "POST"])
def create():
    form = CourseForm()
    if form.validate_on_submit():
        with unit_of_work(_("课程已创建，请添加课时。")) as work:
            created = create_course(form.title.data, form.description.data or "",
                                    form.sequential.data, actor=current_user)
        if work.done:
            return redirect(url_for("courses.edit", course_id=created.id))
    return render_template("courses/edit.html", form=form, course=None)


@bp.route("/manage/<int:course_id>", methods=["GET", "POST"])
def edit(course_id: int):
    course = get_course(course_id)
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        with unit_of_work(_("课程信息已保存。")) as work:
            update_course(course, form.title.data, form.description.data or "",
                          form.sequential.data, actor=current_user)
        if work.done:
            return redirect(url_for("courses.edit", course_id=course.id))
    due = to_local(utcnow()).date() + timedelta(days=DEFAULT_DUE_DAYS)
    return render_template("courses/edit.html", form=form, course=course,
                           assign=AssignForm(due_date=due).with_choices(), reach=course_reach(course))


@bp.route("/manage/<int:course_id>/assign", methods=["POST"])
def assign(course_id: int):
    course = get_course(course_id)
    form = AssignForm().with_choices()
    if not form.validate_on_submit():
        flash(_("请选择截止日期。"), "danger")
        return redirect(url_for("courses.edit", course_id=course.id, _anchor="assign"))
    users, unknown = find_users(form.users.data or "")
    with unit_of_work(_("课程已分配。")):
        if unknown:
            raise DomainError(_("找不到这些学员：%(names)s", names="、".join(unknown)))
        assign_course(course, form.wanted([u.id for u in users]), form.due_at(),
                      actor=current_user)
    return redirect(url_for("courses.edit", course_id=course.id, _anchor="assign"))


@bp.route("/manage/<int:course_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
def unassign(course_id: int, assignment_id: int):
    course = get_course(course_id)
    assignment = get_assignment(course, assignment_id)
    with unit_of_work(_("已取消该分配。")):
        remove_assignment(assignment, actor=current_user)
    return redirect(url_for("courses.edit", course_id=course.id, _anchor="assign"))


def _lesson_form() -> LessonForm:
    return LessonForm(sections=section_options(), quizzes=quiz_exams(),
                      scenarios=lesson_scenarios())


def _preview(form: LessonForm) -> dict[str, object]:
    """The unsaved lesson as a learner would see it (the 预览 button)."""
    values = form.values()
    if values.kind == "manual":
        return {"section": manual_section(values.manual_id, values.anchor), "previewing": True}
    if values.kind == "page":
        return {"html": render_markdown(values.body), "previewing": True}
    return {}


def _save_lesson(course: Course, form: LessonForm, lesson: Lesson | None):
    """Add or update from the form; the page again (with the error) when a rule refuses it."""
    with unit_of_work(_("课时已保存。")) as work:
        if lesson is None:
            add_lesson(course, form.values(), actor=current_user)
        else:
            update_lesson(lesson, form.values(), actor=current_user)
    if not work.done:
        return None
    return redirect(url_for("courses.edit", course_id=course.id, _anchor="lessons"))


@bp.route("/manage/<int:course_id>/lessons/new", methods=["GET", "POST"])
def new_lesson(course_id: int):
    course = get_course(course_id)
    form = _lesson_form()
    if request.method == "GET":
        form.kind.data = request.args.get("kind", "page")
    preview = _preview(form) if "preview" in request.form else {}
    if form.validate_on_submit() and not preview:
        saved = _save_lesson(course, form, None)
        if saved is not None:
            return saved
    return render_template("courses/lesson_form.html", course=course, lesson=None, form=form,
                           image_form=ImageForm(), **preview)


@bp.route("/manage/<int:course_id>/lessons/<int:lesson_id>", methods=["GET", "POST"])
def edit_lesson(course_id: int, lesson_id: int):
    course = get_course(course_id)
    lesson = get_lesson(course, lesson_id)
    form = _lesson_form()
    if request.method == "GET":
        form.load(lesson)
    form.kind.data = lesson.kind
    preview = _preview(form) if "preview" in request.form else {}
    if form.validate_on_submit() and not preview:
        saved = _save_lesson(course, form, lesson)
        if saved is not None:
            return saved
    return render_template("courses/lesson_form.html", course=course, lesson=lesson, form=form,
                           image_form=ImageForm(), **preview)


@bp.route("/manage/<int:course_id>/lessons/<int:lesson_id>/preview")
def preview_lesson(course_id: int, lesson_id: int):
    course = get_course(course_id)
    lesson = get_lesson(course, lesson_id)
    return render_template("courses/lesson_preview.html", course=course, lesson=lesson,
                           **_lesson_content(lesson, utcnow()))


@bp.route("/manage/<int:course_id>/lessons/<int:lesson_id>/move", methods=["POST"])
def move(course_id: int, lesson_id: int):
    """上移 / 下移: the pressed button's `direction` is up or down."""
    course = get_course(course_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""), 0)
    move_lesson(get_lesson(course, lesson_id), offset, actor=current_user)
    return redirect(url_for("courses.edit", course_id=course.id, _anchor="lessons"))


@bp.route("/manage/<int:course_id>/lessons/<int:lesson_id>/delete", methods=["POST"])
def delete_lesson(course_id: int, lesson_id: int):
    course = get_course(course_id)
    lesson = get_lesson(course, lesson_id)
    with unit_of_work(_("课时已删除。")):
        remove_lesson(lesson, actor=current_user)
    return redirect(url_for("courses.edit", course_id=course.id, _anchor="lessons"))


@bp.route("/manage/<int:course_id>/report")
def report(course_id: int):
    """The course's learners moved to the learning report (报表 · 学习情况), one place for all."""
    course = get_course(course_id)
    return redirect(url_for("reports.learning", course=course.id), 301)


@bp.route("/manage/<int:course_id>/report.xlsx")
def report_xlsx(course_id: int):
    course = get_course(course_id)
    return xlsx_download(report_workbook(course_report(course, utcnow())),
                         f"{course.title}-{_('完成情况')}.xlsx")


@bp.route("/manage/images", methods=["POST"])
def upload_image():
    """The editor's image upload: JSON with the address and the Markdown to insert."""
    form = ImageForm()
    if not form.validate_on_submit():
        return jsonify(error=_("请选择一张图片。")), 400
    file = form.image.data
    try:
        stored = store_image(file.read(), file.filename or "", actor=current_user)
    except DomainError as error:  # the error status rolls the request back
        return jsonify(error=error.message), 400
    url = url_for("courses.image", digest=stored.sha256)
    alt = _ALT_UNSAFE.sub("", (file.filename or "").rsplit(".", 1)[0])[:60] or _("图片")
    return jsonify(url=url, markdown=f"![{alt}]({url})")
