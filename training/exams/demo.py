"""The demo exams, open now and for a year to the whole demo company.

* 客户服务管理模拟考试 — mock: the rule-based paper (objective only, drawn anew each time),
  30 minutes, unlimited attempts, score, answers and explanations right after submitting.
* 客户服务管理正式考试 — formal: the fixed 004 paper (with its subjective questions, which go
  to the grading queue), 90 minutes, one attempt, the score shown once the exam has closed.

The papers come from the papers feature's demo step, which runs first: importing its module
here registers that step before this one.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from training.database import db, utcnow
from training.demo.loader import DemoReport
from training.demo.people import COMPANY
from training.exams.models import Exam
from training.exams.services import ExamSettings, assign_exam, create_exam
from training.papers.demo import DEMO_FIXED, DEMO_RULES
from training.papers.models import Paper
from training.people.audience import targets
from training.people.services import ensure_department

MOCK_EXAM = "客户服务管理模拟考试"
FORMAL_EXAM = "客户服务管理正式考试"


def _plans() -> list[tuple[str, str, dict]]:
    return [
        (MOCK_EXAM, DEMO_RULES, {
            "kind": "mock", "time_limit_minutes": 30, "attempts_allowed": None,
            "grading_method": "highest", "review_when": "immediately", "review_score": True,
            "review_answers": True, "review_explanations": True, "shuffle_options": True,
            "description": "随时练习：每次从题库随机抽题，交卷后立即查看成绩、答案和解析。",
        }),
        (FORMAL_EXAM, DEMO_FIXED, {
            "kind": "formal", "time_limit_minutes": 90, "attempts_allowed": 1,
            "review_when": "after_close", "review_score": True,
            "description": "正式考试只有一次机会；主观题由培训师阅卷，成绩在考试结束后公布。",
        }),
    ]


def load_demo_exams(report: DemoReport) -> None:
    """Create each demo exam once; an exam with the same title is left alone."""
    now = utcnow().replace(second=0, microsecond=0)
    company = ensure_department(COMPANY)
    for title, paper_title, settings in _plans():
        if db.session.scalar(select(Exam.id).filter_by(title=title)):
            report.lines.append(f"考试「{title}」已存在，未重复创建")
            continue
        paper = db.session.scalar(select(Paper).filter_by(title=paper_title))
        if paper is None:
            report.lines.append(f"未找到试卷「{paper_title}」，未创建考试「{title}」")
            continue
        exam = create_exam(
            ExamSettings(paper_id=paper.id, title=title, opens_at=now - timedelta(minutes=5),
                         closes_at=now + timedelta(days=365), **settings),
            actor=None,
        )
        db.session.flush()
        assign_exam(exam, targets([company.id], [], []), actor=None)
        report.lines.append(f"考试「{title}」：试卷「{paper_title}」，{COMPANY}全体员工可参加")
