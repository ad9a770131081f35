"""Calendar months, as HR counts them: 31 Jan plus one month is the last day of February.

Its own module because both the rule (`within_months`, tenure) and the lifecycle (validity)
count in months, and the lifecycle reads the rule's results: neither should import the other
for arithmetic.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` plus whole months (negative: minus), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
