"""Refusals of the role-play rules, each with a stable code for the API and an HTTP status."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from training.errors import Conflict, DomainError


class RunRefused(Conflict):
    """The run's state or the scenario's limits forbid the request (HTTP 409)."""

    status = 409

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class InvalidReply(RunRefused):
    """A reply that does not fit the node awaiting it (HTTP 422)."""

    status = 422

    def __init__(self, message: str) -> None:
        super().__init__("invalid_reply", message)


class ScenarioInvalid(DomainError):
    """A scenario that cannot be saved: its file does not parse, or its graph has errors.

    `problems` are rp-core's own (`yaml_format` problems carry a line, `graph` problems a
    severity), listed whole so an author fixes every one in one go."""

    def __init__(self, message: str, problems: list[Any]) -> None:
        super().__init__(message)
        self.problems = problems


class ImportRefused(DomainError):
    """Scenario files refused together: `files` pairs each file's name with its problems."""

    def __init__(self, files: list[tuple[str, list[Any]]]) -> None:
        super().__init__(_("%(n)d 个场景文件有错误，全部未导入。", n=len(files)))
        self.files = files
