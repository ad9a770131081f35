"""People: departments (a tree), users and the roles they hold."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.database import db, utcnow
from training.passwords import hash_password, needs_rehash, verify_password

DEPARTMENT_SEPARATOR = "/"


class Department(db.Model):
    """A node of the company → center → team tree; `path` makes subtree queries one LIKE."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Department | None] = relationship(remote_side=[id])

    @property
    def depth(self) -> int:
        return self.path.count(DEPARTMENT_SEPARATOR)

    def __repr__(self) -> str:
        return f"<Department {self.path}>"


class UserRole(db.Model):
    """One role held by one user; a user may hold several."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class User(UserMixin, db.Model):
    """A person who signs in: an employee, trainer, HR officer or administrator."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    employee_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    hire_date: Mapped[date | None]
    phone: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[str | None] = mapped_column(String(64))
    # HR's last working day: the account is closed at the import when it has passed, else by
    # the background sweep (training/people/leaving.py) once the day comes.
    leaving_date: Mapped[date | None]
    locale: Mapped[str | None] = mapped_column(String(10))
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    department: Mapped[Department | None] = relationship(lazy="joined")
    roles: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=UserRole.role
    )

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    def set_roles(self, names: set[str] | frozenset[str]) -> None:
        """Replace the user's roles, keeping rows for roles that stay."""
        self.roles = [r for r in self.roles if r.role in names] + [
            UserRole(role=name) for name in sorted(names - self.role_names)
        ]

    def set_password(
        self, password: str, *, must_change: bool = False, password_hash: str | None = None
    ) -> None:
        """Hash with Argon2id; bumping session_version signs out every other session."""
        self.password_hash = password_hash or hash_password(password)
        self.must_change_password = must_change
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        """True on a match; a match against an outdated hash stores a fresh one (no sign-out)."""
        if not verify_password(self.password_hash, password):
            return False
        if needs_rehash(self.password_hash):
            self.password_hash = hash_password(password)
        return True

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Id and version: a new version (password change) ends every session and API token.

        A sign-in's cookie adds the key of its own session row (training/auth/sessions.py).
        """
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"
