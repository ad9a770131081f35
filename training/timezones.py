"""Times are stored as naive UTC and typed and shown in the configured zone (Asia/Shanghai)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

from flask_babel import get_timezone


def to_utc(local: datetime | None) -> datetime | None:
    """A naive local time from a form as naive UTC for storage."""
    if local is None:
        return None
    zone = get_timezone()
    aware = zone.localize(local) if hasattr(zone, "localize") else local.replace(tzinfo=zone)
    return aware.astimezone(UTC).replace(tzinfo=None)


def to_local(stored: datetime | None) -> datetime | None:
    """A stored naive-UTC time as naive local time for a form field."""
    if stored is None:
        return None
    return localiser()(stored)


def localiser() -> Callable[[datetime], datetime]:
    """`to_local` for many times at once: the zone is looked up once (looking it up costs
    more than converting, which counts when thousands of records are read)."""
    zone = get_timezone()
    return lambda stored: stored.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def local_midnight(day: date) -> datetime:
    """The UTC instant at which `day` begins in the configured zone."""
    moment = to_utc(datetime.combine(day, time.min))
    assert moment is not None
    return moment


def end_of_local_day(day: date) -> datetime:
    """A due date gives the whole of that day where the company works: its last second, UTC."""
    return to_utc(datetime.combine(day, time(23, 59, 59)))  # type: ignore[return-value]


def local_day(now: datetime) -> date:
    """The calendar day `now` (naive UTC) falls on in the configured zone: the day HR means."""
    local = to_local(now)
    assert local is not None
    return local.date()
