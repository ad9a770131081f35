"""The filters every report takes, read from and written to a URL's query string.

The URL holds the filters so a report can be bookmarked, shared, saved as a definition and run
again by a background job; the command line and the API take the same names:

    from=YYYY-MM-DD  to=YYYY-MM-DD  department=总公司/客服中心  position=组长
    exam=3 (repeatable)  course=2  user=17

`from` and `to` are local calendar days, both included. A department includes its subtree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import gettext as _

from training.errors import DomainError


class FilterError(DomainError):
    """A query-string value that is not a date, a number or a known choice; says which."""


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    department: str | None = None  # a department path; its subtree is included
    position: str | None = None
    exam_ids: tuple[int, ...] = field(default=())
    course_id: int | None = None
    user_id: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, object]) -> Filters:
        """Read the filters from request.args (a MultiDict) or a plain dict; raises
        `FilterError` naming the parameter that is malformed. Empty values are absent."""
        getlist = getattr(args, "getlist", None)
        exams = getlist("exam") if getlist else _as_list(args.get("exam"))
        filters = cls(
            date_from=_day(args.get("from"), "from"),
            date_to=_day(args.get("to"), "to"),
            department=_text(args.get("department")),
            position=_text(args.get("position")),
            exam_ids=tuple(_number(value, "exam") for value in exams if str(value).strip()),
            course_id=_optional_number(args.get("course"), "course"),
            user_id=_optional_number(args.get("user"), "user"),
        )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise FilterError(_("开始日期不能晚于结束日期。"))
        return filters

    def to_args(self) -> dict[str, str | list[str]]:
        """The query string that reads back as these filters (for links and saved reports)."""
        args: dict[str, str | list[str]] = {}
        if self.date_from:
            args["from"] = self.date_from.isoformat()
        if self.date_to:
            args["to"] = self.date_to.isoformat()
        if self.department:
            args["department"] = self.department
        if self.position:
            args["position"] = self.position
        if self.exam_ids:
            args["exam"] = [str(exam_id) for exam_id in self.exam_ids]
        if self.course_id is not None:
            args["course"] = str(self.course_id)
        if self.user_id is not None:
            args["user"] = str(self.user_id)
        return args

    def with_period(self, date_from: date | None, date_to: date | None) -> Filters:
        """The same filters over another period (this month against the previous one)."""
        return replace(self, date_from=date_from, date_to=date_to)


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _text(value: object) -> str | None:
    """The value without surrounding blanks and NUL characters (no database stores those)."""
    text = str(value).replace("\x00", "").strip() if value is not None else ""
    return text or None


def _day(value: object, name: str) -> date | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(_("参数 %(name)s 应为日期（YYYY-MM-DD）：%(value)s", name=name,
                            value=text)) from None


def _number(value: object, name: str) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise FilterError(_("参数 %(name)s 应为编号：%(value)s", name=name, value=text))
    return int(text)


def _optional_number(value: object, name: str) -> int | None:
    text = _text(value)
    return None if text is None else _number(text, name)
