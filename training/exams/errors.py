"""Refusals of the exam rules, each with a stable code for the API and an HTTP status."""

from __future__ import annotations

from flask_babel import gettext as _

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


class InvalidResponse(ExamRefused):
    """A response whose shape the question's type cannot read (HTTP 422)."""

    status = 422


def deadline_passed() -> ExamRefused:
    return ExamRefused("deadline_passed", _("考试时间已到，系统已按截止时间收卷，此后的作答不再保存。"))


def already_submitted() -> ExamRefused:
    return ExamRefused("already_submitted", _("试卷已提交，不能再修改答案。"))
