"""The demo's certification: three levels, demo-employee certified at one and in progress at the
next, E1002 in the renewal window, E1003 expired, E1004 certified by the rule; loading twice
changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from training.certification.models import CertEvent, Certificate, CertLevel, EventKind
from training.certification.services import statuses_of
from training.database import db
from training.demo.loader import DEMO_STEPS, load_demo
from training.people.services import find_user


def test_the_certification_step_runs_after_what_its_levels_read():
    names = [name for name, _step in DEMO_STEPS]
    for before in ("exams", "courses", "manuals", "role-play scenarios"):
        assert names.index(before) < names.index("certification")


def statuses(username: str) -> dict[str, str]:
    return {item.level.code: str(item.status) for item in statuses_of(find_user(username))}


def test_demo_history_loads_once(app):
    load_demo("demo-password-1")
    counts = [db.session.scalar(select(func.count()).select_from(model))
              for model in (CertLevel, Certificate, CertEvent)]
    load_demo("demo-password-1")
    assert [db.session.scalar(select(func.count()).select_from(model))
            for model in (CertLevel, Certificate, CertEvent)] == counts == [3, 4, 5]
    assert statuses("demo-employee") == {"cs-junior": "certified",
                                         "cs-intermediate": "in_progress",
                                         "team-lead": "not_started"}
    assert statuses("E1002")["cs-junior"] == "expiring"
    assert statuses("E1003")["cs-junior"] == "expired"
    assert statuses("E1004")["cs-junior"] == "certified"
    kinds = dict(db.session.execute(
        select(Certificate.holder_name, CertEvent.kind).join(CertEvent.certificate)
        .where(CertEvent.kind.in_([EventKind.AWARDED, EventKind.EXPIRED]))).all())
    assert kinds == {find_user("E1004").display_name: EventKind.AWARDED,
                     find_user("E1003").display_name: EventKind.EXPIRED}
