"""Closing the accounts of employees whose leaving date has come.

The roster import closes an account at once when its leaving date has passed; a later date is
only stored, and this background job (run lazily by requests at most a minute late, and by
`servicecoach exam sweep` from cron) closes the account on that day, so a leaver cannot sign in
on their first day gone whether or not anybody opens a page about them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from training.database import db
from training.people.models import User
from training.people.services import set_active
from training.timezones import local_day


def close_leavers(now: datetime) -> int:
    """Deactivate every active account whose leaving date is today or earlier (local days)."""
    today = local_day(now)
    due = db.session.scalars(
        select(User).where(User.active, User.leaving_date <= today)
        .order_by(User.id).with_for_update(of=User, skip_locked=True)
    ).all()
    for user in due:
        set_active(user, False, reason="leaving_date", leaving_date=user.leaving_date.isoformat())
    return len(due)
