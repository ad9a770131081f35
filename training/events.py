"""Things that happened to one person that other features may want to react to.

Exams, courses, role-play and manuals publish; certification subscribes. The publishers never
import the subscribers, so the features stay layered (a feature lower down knows nothing of
certification), and a subscriber runs inside the publisher's transaction: its writes commit or
roll back with the event that caused them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum


class Event(StrEnum):
    ATTEMPT_GRADED = "attempt_graded"  # an exam attempt has its final score (auto or by a grader)
    ATTEMPT_RESCORED = "attempt_rescored"  # a finished attempt's score changed (regrade, correction)
    COURSE_COMPLETED = "course_completed"
    RUN_SCORED = "run_scored"  # a role-play run ended or was reviewed
    READ_CONFIRMED = "read_confirmed"  # a required manual edition was confirmed as read


Handler = Callable[[int, datetime], None]  # (user_id, now)

_HANDLERS: dict[Event, list[Handler]] = defaultdict(list)


def subscribe(event: Event, handler: Handler) -> None:
    """Call `handler(user_id, now)` each time `event` is published (at import time, once)."""
    if handler not in _HANDLERS[event]:
        _HANDLERS[event].append(handler)


def publish(event: Event, user_id: int, now: datetime) -> None:
    """Tell the subscribers that `event` happened to `user_id`; they run in this transaction."""
    for handler in _HANDLERS[event]:
        handler(user_id, now)
