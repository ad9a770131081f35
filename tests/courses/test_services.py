"""Building courses: lesson rules per kind, order, manual sections across editions, assigning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.courses.conftest import page_lesson
from tests.manuals.samples import EDITION_2, parsed
from training.audit.models import AuditEvent
from training.courses.models import Lesson
from training.courses.sections import manual_section, section_options
from training.courses.services import (
    LessonValues,
    add_lesson,
    assign_course,
    create_course,
    move_lesson,
    remove_lesson,
    update_lesson,
)
from training.database import db, utcnow
from training.errors import Conflict, DomainError
from training.manuals.services import import_manuals
from training.people.audience import targets
from training.people.services import ensure_department


def manual_lesson(manual, anchor: str, title: str = "") -> LessonValues:
    return LessonValues("manual", title, "opened", manual_id=manual.id, anchor=anchor)


def test_lessons_of_each_kind_take_their_titles_from_their_source(app, manual, quiz):
    course = create_course("入职培训", "", False, actor=None)
    chapter = add_lesson(course, manual_lesson(manual, "ch2"), actor=None)
    article = add_lesson(course, manual_lesson(manual, "a1", "总则第一条"), actor=None)
    test = add_lesson(course, LessonValues("quiz", completion="min_time", exam_id=quiz.id),
                      actor=None)
    page = add_lesson(course, page_lesson("欢迎"), actor=None)
    assert [(lesson.title, lesson.ordinal) for lesson in course.lessons] == [
        ("第二章 投诉处理", 1), ("总则第一条", 2), ("服务规范课程测验", 3), ("欢迎", 4)
    ]
    assert (test.completion, test.body, test.manual_id) == ("quiz_passed", "", None)
    assert (chapter.body, chapter.exam_id, article.anchor) == ("", None, "a1")
    assert page.manual_id is None


@pytest.mark.parametrize(("values", "message"), [
    (LessonValues("manual", "章节", anchor="nowhere"), "请选择制度中的章节"),
    (LessonValues("page", "空页面", body="  "), "图文内容不能为空"),
    (LessonValues("quiz", "测验"), "请选择一场课程测验"),
    (LessonValues("page", "", body="正文"), "课时名称不能为空"),
    (LessonValues("page", "阅读", "min_time", 0, body="正文"), "最短阅读时间"),
    (LessonValues("page", "阅读", "quiz_passed", body="正文"), "无效的完成条件"),
    (LessonValues("video", "视频"), "未知的课时类型"),
])
def test_lessons_a_rule_forbids_are_refused(app, values, message):
    course = create_course("入职培训", "", False, actor=None)
    with pytest.raises(DomainError, match=message):
        add_lesson(course, values, actor=None)


def test_only_quiz_exams_make_quiz_lessons(app, make_exam, objective_only):
    formal = make_exam(kind="formal", assign_root=False)
    course = create_course("入职培训", "", False, actor=None)
    with pytest.raises(DomainError, match="课程测验"):
        add_lesson(course, LessonValues("quiz", exam_id=formal.id), actor=None)


def test_course_titles_are_unique(app):
    create_course("入职培训", "", False, actor=None)
    db.session.flush()
    with pytest.raises(Conflict):
        create_course(" 入职培训 ", "", False, actor=None)


def test_lessons_move_and_close_up_when_one_is_removed(app):
    course = create_course("入职培训", "", False, actor=None)
    for title in "甲乙丙丁":
        add_lesson(course, page_lesson(title), actor=None)
    db.session.commit()

    def order() -> str:
        return "".join(lesson.title for lesson in sorted(course.lessons, key=lambda x: x.ordinal))

    move_lesson(course.lessons[2], -1, actor=None)
    assert order() == "甲丙乙丁"
    move_lesson(course.lessons[0], -1, actor=None)  # already first: nothing moves
    assert order() == "甲丙乙丁"
    move_lesson(course.lessons[0], 1, actor=None)
    db.session.commit()
    assert order() == "丙甲乙丁"
    remove_lesson(course.lessons[1], actor=None)
    db.session.commit()
    assert order() == "丙乙丁"
    assert [lesson.ordinal for lesson in course.lessons] == [1, 2, 3]
    assert db.session.scalar(select(Lesson).filter_by(title="甲")) is None
    moved = db.session.scalars(select(AuditEvent).filter_by(action="course.lesson_moved")).all()
    assert len(moved) == 2


def test_a_lessons_kind_stays_when_it_is_edited(app, manual):
    course = create_course("入职培训", "", False, actor=None)
    lesson = add_lesson(course, page_lesson("欢迎"), actor=None)
    update_lesson(lesson, LessonValues("manual", "改名", "min_time", 90, body="新的正文"),
                  actor=None)
    assert (lesson.kind, lesson.title, lesson.completion, lesson.min_seconds, lesson.body) == (
        "page", "改名", "min_time", 90, "新的正文"
    )


def test_a_manual_section_shows_its_subtree_from_the_current_edition(app, manual):
    chapter = manual_section(manual.id, "ch2")
    assert [node.part.anchor for node in chapter.tree] == ["ch2"]
    assert [n.part.anchor for n in chapter.tree[0].walk()] == ["ch2", "a3", "a3-i1", "a3-i2", "a4"]
    article = manual_section(manual.id, "a3")
    assert [n.part.anchor for n in article.tree[0].walk()] == ["a3", "a3-i1", "a3-i2"]
    assert "24小时" in article.part.text

    import_manuals(parsed(EDITION_2), "制度-第二版.txt")
    db.session.commit()
    updated = manual_section(manual.id, "a3")
    assert (updated.edition.version, "12小时" in updated.part.text) == (2, True)
    assert [n.part.anchor for n in updated.tree[0].walk()] == ["a3", "a3-i1", "a3-i2", "a3-i3"]
    assert manual_section(manual.id, "a4") is None  # 第四条 was dropped from the new edition


def test_the_picker_lists_chapters_and_articles_but_not_items(app, manual):
    options = section_options()
    assert [option.value.split(":")[1] for option in options] == [
        "ch1", "a1", "a2", "ch2", "a3", "a4"
    ]
    assert options[3].label == "第二章 投诉处理"
    assert options[4].label.startswith("\u3000第三条 客户投诉应在24小时内响应")


def test_assigning_needs_a_future_due_date_and_someone_to_assign(app):
    course = create_course("入职培训", "", False, actor=None)
    team = ensure_department("测试公司/客服中心/一组")
    now = utcnow()
    with pytest.raises(DomainError, match="截止日期"):
        assign_course(course, targets([team.id], [], []), now - timedelta(days=1), actor=None, now=now)
    with pytest.raises(DomainError, match="请选择部门、岗位或填写人员"):
        assign_course(course, targets([999_999], [], []), now + timedelta(days=1), actor=None, now=now)
    assert assign_course(course, targets([team.id], [], []), now + timedelta(days=1), actor=None, now=now) == 1
    event = db.session.scalar(select(AuditEvent).filter_by(action="course.assigned"))
    assert event.details["targets"] == [{"department_id": team.id, "position": None, "user_id": None}]
