"""Domain errors: raised by services, shown to the user by views, never a stack trace."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain forbids what was asked; the message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def keep(self) -> None:
        """Write what must outlive the refused request's rollback (nothing, for most refusals)."""


class NotFound(DomainError):
    """The object asked for does not exist (or is not visible to this user)."""


class Conflict(DomainError):
    """The request conflicts with the current state (a duplicate, a closed attempt...)."""
