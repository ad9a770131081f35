"""Refusals of the exam rules, each with a stable code for the API and an HTTP status."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from training.audit.services import record
from training.errors import Conflict


class ExamRefused(Conflict):
    """The attempt's state or the exam's settings forbid the request (HTTP 409)."""

    status = 409

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class ExamForbidden(ExamRefused):
    """Wrong access password or a network outside the allowed ranges (HTTP 403)."""

    status = 403


class WrongExamPassword(ExamForbidden):
    """A wrong access password: refused, yet audited, so the trainer sees who guesses."""

    def __init__(self, user: Any, exam: Any) -> None:
        super().__init__("wrong_password", _("考试密码不正确。"))
        self.user, self.exam = user, exam

    def keep(self) -> None:
        record(self.user, "exam.password_failed", self.exam)


class TooManyPasswordTries(ExamRefused):
    """Too many wrong access passwords for this exam lately (HTTP 429): even the right one waits."""

    status = 429


class InvalidResponse(ExamRefused):
    """A response whose shape the question's type cannot read (HTTP 422)."""

    status = 422


def deadline_passed() -> ExamRefused:
    return ExamRefused("deadline_passed", _("考试时间已到，系统已按截止时间收卷，此后的作答不再保存。"))


def already_submitted() -> ExamRefused:
    return ExamRefused("already_submitted", _("试卷已提交，不能再修改答案。"))

