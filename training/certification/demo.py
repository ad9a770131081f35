"""The demo's certification: the bundled levels (training/data/certification/levels.yaml) and
a history made through the same paths people use, so every page has something to show.

- E1004 earns 初级客服专员 by the rule: reads and confirms the required regulation, finishes
  新员工入职培训 lesson by lesson (readings timed from two hours ago, the quiz sat now) and
  passes the mock exam; the grading and completion events evaluate them.
- demo-employee, E1002 and E1003 hold 初级客服专员 from before the system: HR's manual award
  dated in the past (as the service allows, `award_manually(as_of=…)`): two months ago for
  demo-employee (certified; 中级 is then in progress, its prerequisite met), twelve months
  less twenty days for E1002 (in the recertification window), thirteen months for E1003
  (expired; the evaluation as of today records the expiry in the history). demo-employee's
  own exams and courses stay untouched, as the other features' demo expects them.

Each part happens once: a person holding a certificate of the level is left alone, and the
levels are imported only while none of their codes exists.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from training.certification.models import Certificate, CertLevel
from training.certification.months import add_months
from training.certification.rule_yaml import parse
from training.certification.services import award_manually, evaluate, import_levels
from training.courses.models import Course
from training.courses.progress import (
    complete_reading,
    open_lesson,
    progress_for,
    record_completions,
)
from training.database import db, utcnow
from training.demo.loader import DemoReport
from training.exams.attempts import save_answer, start_or_resume, submit
from training.exams.grading import grade_answer
from training.exams.models import Answer, AttemptQuestion, Exam
from training.exams.shown import shown_of
from training.manuals.models import ManualEdition
from training.manuals.services import confirm_reading
from training.people.models import User
from training.people.services import find_user
from training.timezones import local_day

LEVELS_FILE = Path(__file__).resolve().parents[1] / "data" / "certification" / "levels.yaml"
JUNIOR = "cs-junior"
ONBOARDING = "新员工入职培训"
MOCK_EXAM = "客户服务管理模拟考试"
REGULATION = "公司内部客户服务管理制度"
EARNER = "E1004"
# 初级 awarded before the system, (months, days) before today.
HISTORY = (("demo-employee", 2, 0), ("E1002", 12, -20), ("E1003", 13, 0))
HISTORY_REASON = "系统上线前已取得的认证（演示数据）"


def load_demo_certification(report: DemoReport) -> None:
    """Import the demo levels once, then give four people their history (see the module)."""
    now = utcnow()
    today = local_day(now)
    _import_levels(report)
    junior = db.session.scalar(select(CertLevel).filter_by(code=JUNIOR))
    if junior is None:
        return
    _earn_junior(report, junior, now)
    for username, months, days in HISTORY:
        _past_award(report, junior, username, add_months(today, -months) - timedelta(days=days), now)
    changes = evaluate(None, today, now)
    report.lines.append(f"认证评估：{len(changes)} 项状态变化")


def _import_levels(report: DemoReport) -> None:
    text = LEVELS_FILE.read_text(encoding="utf-8")
    codes = [spec.code for spec in parse(text, LEVELS_FILE.name)]
    if db.session.scalar(select(CertLevel.id).where(CertLevel.code.in_(codes))):
        report.lines.append("认证等级已存在，未重复导入")
        return
    levels = import_levels(text, actor=None, source=LEVELS_FILE.name)
    report.lines.append(f"认证等级：{'、'.join(level.name for level in levels)}")


def _holds(user: User, level: CertLevel) -> bool:
    return db.session.scalar(select(Certificate.id).filter_by(
        user_id=user.id, level_id=level.id).limit(1)) is not None


def _earn_junior(report: DemoReport, level: CertLevel, now: datetime) -> None:
    """E1004 does what 初级 asks: the regulation, the course, the mock exam."""
    user = find_user(EARNER)
    if user is None or _holds(user, level):
        return
    edition = db.session.scalar(select(ManualEdition).join(ManualEdition.manual).where(
        ManualEdition.is_current.is_(True), ManualEdition.manual.has(title=REGULATION)))
    if edition is not None and edition.requires_confirmation:
        confirm_reading(user, edition)
    course = db.session.scalar(select(Course).filter_by(title=ONBOARDING))
    if course is not None:
        _finish_course(user, course, now)
    mock = db.session.scalar(select(Exam).filter_by(title=MOCK_EXAM))
    if mock is not None:
        sit_right(user, mock, now)
    report.lines.append(f"{user.display_name}：完成{ONBOARDING}、制度阅读确认和模拟考试")


def _finish_course(user: User, course: Course, now: datetime) -> None:
    """Every lesson in order: readings opened two hours ago and confirmed once their time is
    up, quizzes sat now (they opened minutes ago)."""
    moment = now - timedelta(hours=2)
    for index in range(len(course.lessons)):
        state = progress_for(user, course.id, now).lessons[index]
        if state.done:
            continue
        if state.lesson.kind == "quiz" and state.lesson.exam is not None:
            sit_right(user, state.lesson.exam, now)
            continue
        open_lesson(user, state, moment)
        if state.lesson.completion == "min_time":
            moment += timedelta(seconds=state.lesson.min_seconds + 1)
            complete_reading(user, progress_for(user, course.id, now).lessons[index], moment)
        moment += timedelta(minutes=1)
    record_completions(user, [progress_for(user, course.id, now)])


def sit_right(user: User, exam: Exam, now: datetime) -> None:
    """Sit the exam answering every question by its key; a subjective answer is marked full
    by the demo trainer, so the attempt is graded (and the grading event evaluates)."""
    attempt = start_or_resume(user, exam.id, now=now)
    for seq, question in enumerate(attempt.questions, start=1):
        save_answer(attempt, question.question_id, _keyed(question), seq, now=now)
    submit(attempt, now=now)
    trainer = find_user("demo-trainer")
    for answer in db.session.scalars(select(Answer).filter_by(attempt_id=attempt.id,
                                                              needs_manual=True)):
        if answer.graded_at is None:
            grade_answer(answer, answer.attempt_question.points, "", actor=trainer, now=now)


def _keyed(question: AttemptQuestion) -> Any:
    """The response the key asks for, as the examinee gives it: options by the letters shown
    (shuffled options keep their original labels in the key), a fill-in by the first accepted
    text of each blank."""
    answer = question.version.answer
    shown = shown_of(question)
    if isinstance(answer, list) and all(item in shown.shown_order for item in answer):
        return [shown.face.labels[shown.shown_order.index(item)] for item in answer]
    if isinstance(answer, list) and all(isinstance(item, list) for item in answer):
        return [item[0] if item else "" for item in answer]
    return answer


def _past_award(report: DemoReport, level: CertLevel, username: str, day: date,
                now: datetime) -> None:
    user = find_user(username)
    if user is None or _holds(user, level):
        return
    award_manually(user, level, HISTORY_REASON, actor=None, as_of=day, now=now)
    report.lines.append(f"{user.display_name}（{username}）：{level.name} 于 {day.isoformat()} 授予")
