"""Evaluation end to end: exams sat through the real exam paths (the grading event evaluates the
examinee), then `evaluate` on chosen days for validity, the window and expiry; HR's awards and
revocations; rule versions; a regrade that takes a pass away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.certification.conftest import ALL_RIGHT, HALF, NONE_RIGHT, SIX, days_ago, today
from tests.exams.helpers import sit_exam
from training.audit.models import AuditEvent
from training.certification import rules
from training.certification.lifecycle import ExpiryBase, Status
from training.certification.models import CertEvent, Certificate, CertStatus, EventKind
from training.certification.months import add_months
from training.certification.rule_yaml import Level
from training.certification.services import (
    Change,
    award_manually,
    evaluate,
    keep_flagged,
    preview_change,
    revoke,
    save_level,
)
from training.database import db, utcnow
from training.errors import DomainError
from training.exams.regrade import apply_regrade


def status_of(user, level) -> CertStatus:
    db.session.expire_all()
    return db.session.scalar(select(CertStatus).filter_by(user_id=user.id, level_id=level.id))


def events(user, level) -> list[str]:
    return list(db.session.scalars(select(CertEvent.kind).filter_by(
        user_id=user.id, level_id=level.id).order_by(CertEvent.id)))


def certificates(user, level) -> list[Certificate]:
    db.session.expire_all()
    return list(db.session.scalars(select(Certificate).filter_by(
        user_id=user.id, level_id=level.id).order_by(Certificate.id)))


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Certificate, CertEvent, CertStatus))  # type: ignore[return-value]


def run(as_of=None, **kwargs) -> list[Change]:
    changes = evaluate(None, as_of or today(), utcnow(), **kwargs)
    db.session.commit()
    return changes


@pytest.fixture
def level(make_level, exam):
    return make_level(rules.ExamPassed(exam.id, min_percent=80), name="初级客服专员",
                      validity_months=12, window_days=30)


def test_passing_the_exam_certifies_with_a_frozen_certificate(exam, level, make_user):
    user = make_user(display_name="张小明", employee_no="E0042")
    sit_exam(exam, user, ALL_RIGHT)  # the grading event evaluates the examinee
    row = status_of(user, level)
    assert (row.status, row.met, row.total) == (Status.CERTIFIED, 1, 1)
    [certificate] = certificates(user, level)
    assert (certificate.holder_name, certificate.employee_no, certificate.level_name) == (
        "张小明", "E0042", "初级客服专员")
    assert certificate.issued_on == today()
    assert certificate.expires_on == add_months(today(), 12)
    assert certificate.rule_version_id == level.current_version_id and certificate.pdf is None
    assert row.certificate_id == certificate.id and row.expires_on == certificate.expires_on
    assert events(user, level) == [EventKind.AWARDED]

    user.display_name = "张晓明"  # renamed later: the certificate says what it said
    db.session.commit()
    assert run() == []
    assert certificates(user, level)[0].holder_name == "张小明"


def test_evaluating_twice_changes_nothing(exam, level, make_user):
    passed, failed, idle = make_user(), make_user(), make_user()
    sit_exam(exam, passed, ALL_RIGHT)
    sit_exam(exam, failed, HALF)
    db.session.execute(CertStatus.__table__.delete())  # as before any evaluation
    db.session.commit()
    first = run()
    assert {(c.username, c.from_status, c.to_status) for c in first} == {
        (passed.username, Status.NOT_STARTED, Status.CERTIFIED)}  # not started stays: no change
    assert status_of(failed, level).status == Status.NOT_STARTED
    assert status_of(idle, level).status == Status.NOT_STARTED
    before = counts()
    assert run() == [] and counts() == before


def test_some_requirements_met_is_in_progress_with_counts(exam, make_level, make_user, make_course):
    course = make_course()
    level = make_level(rules.AllOf((rules.ExamPassed(exam.id), rules.CourseCompleted(course.id))))
    user = make_user()
    sit_exam(exam, user, HALF)
    row = status_of(user, level)
    assert (row.status, row.met, row.total) == (Status.IN_PROGRESS, 1, 2)
    assert run() == []  # the event already recorded it


def test_expiry_and_window_boundaries(exam, level, make_user):
    user = make_user()
    sit_exam(exam, user, ALL_RIGHT)
    expires = certificates(user, level)[0].expires_on
    window = expires - timedelta(days=30)
    assert run(window - timedelta(days=1)) == []
    assert status_of(user, level).status == Status.CERTIFIED
    [change] = run(window)
    assert (change.from_status, change.to_status, change.level) == (
        Status.CERTIFIED, Status.EXPIRING, level.code)
    assert run(expires - timedelta(days=1)) == []
    [change] = run(expires)
    assert change.to_status == Status.EXPIRED
    expiry = db.session.scalar(select(CertEvent).filter_by(kind=EventKind.EXPIRED))
    assert expiry.effective_on == expires
    assert run(expires + timedelta(days=1)) == []
    assert events(user, level) == [EventKind.AWARDED, EventKind.EXPIRED]


def test_renewal_in_the_window_extends_from_the_previous_expiry(exam, make_level, make_user):
    level = make_level(rules.ExamPassed(exam.id, min_percent=80), validity_months=12,
                       window_days=30, expiry_base=ExpiryBase.PREVIOUS_EXPIRY)
    user = make_user()
    sit_exam(exam, user, ALL_RIGHT, now=days_ago(350))  # certified 350 days ago
    [first] = certificates(user, level)
    assert first.issued_on < today() - timedelta(days=340)
    assert status_of(user, level).status == Status.CERTIFIED
    run()
    assert status_of(user, level).status == Status.EXPIRING
    sit_exam(exam, user, ALL_RIGHT)  # today, inside the window
    first, renewal = certificates(user, level)
    assert renewal.renews_id == first.id and renewal.issued_on == today()
    assert renewal.expires_on == add_months(first.expires_on, 12)
    assert status_of(user, level).status == Status.CERTIFIED
    assert events(user, level) == [EventKind.AWARDED, EventKind.RENEWED]


def test_evidence_before_the_window_does_not_renew(exam, level, make_user):
    user = make_user()
    sit_exam(exam, user, ALL_RIGHT, now=days_ago(360))
    sit_exam(exam, user, ALL_RIGHT, now=days_ago(100))  # passed again, but long before the window
    run()
    assert len(certificates(user, level)) == 1
    assert status_of(user, level).status == Status.EXPIRING


def test_revocation_sticks_until_new_evidence(exam, level, make_user):
    user, hr = make_user(), make_user(roles=("hr",))
    sit_exam(exam, user, ALL_RIGHT, now=days_ago(10))
    [certificate] = certificates(user, level)
    with pytest.raises(DomainError):
        revoke(certificate, " ", actor=hr, as_of=today(), now=utcnow())
    revoke(certificate, "考试作弊", actor=hr, as_of=today() - timedelta(days=1), now=utcnow())
    db.session.commit()
    assert status_of(user, level).status == Status.REVOKED
    assert run() == []  # the old pass does not award again
    audit = db.session.scalar(select(AuditEvent).filter_by(action="certification.revoked"))
    assert audit.actor_id == hr.id and audit.details["reason"] == "考试作弊"
    sit_exam(exam, user, ALL_RIGHT)  # passed again after the revocation
    assert status_of(user, level).status == Status.CERTIFIED
    assert events(user, level) == [EventKind.AWARDED, EventKind.REVOKED, EventKind.AWARDED]


def test_hr_awards_manually_with_a_reason(level, make_user):
    user, hr = make_user(), make_user(roles=("hr",))
    with pytest.raises(DomainError):
        award_manually(user, level, "", actor=hr, as_of=today(), now=utcnow())
    certificate = award_manually(user, level, "外部认证互认", actor=hr, as_of=today(), now=utcnow())
    db.session.commit()
    assert certificate.manual and certificate.code and certificate.expires_on == add_months(today(), 12)
    assert status_of(user, level).status == Status.CERTIFIED
    event = db.session.scalar(select(CertEvent).filter_by(kind=EventKind.MANUAL))
    assert (event.reason, event.actor_id) == ("外部认证互认", hr.id)
    audit = db.session.scalar(select(AuditEvent).filter_by(action="certification.awarded"))
    assert audit.actor_id == hr.id and audit.details["reason"] == "外部认证互认"
    assert run() == []  # the rule not met does not take it away


def test_a_rule_change_is_a_new_version_and_certificates_keep_theirs(exam, level, make_user):
    user = make_user()
    sit_exam(exam, user, SIX)  # 85.71 %
    first_version = level.current_version_id
    values = Level(code=level.code, name=level.name, validity_months=12,
                         rule=rules.ExamPassed(exam.id, min_percent=90))
    save_level(values, actor=None)
    db.session.commit()
    assert level.current_version.number == 2 and level.current_version_id != first_version
    assert certificates(user, level)[0].rule_version_id == first_version
    save_level(values, actor=None)  # the same rule again: no new version
    assert level.current_version.number == 2
    assert run() == [] and status_of(user, level).status == Status.CERTIFIED


def test_a_regrade_that_takes_the_pass_away_flags_instead_of_revoking(exam, make_level, make_user):
    level = make_level(rules.ExamPassed(exam.id), validity_months=12)  # by the exam's pass mark
    user, hr = make_user(), make_user(roles=("hr",))
    sit_exam(exam, user, HALF)  # 42.86 % passes at 40 %
    assert status_of(user, level).status == Status.CERTIFIED
    exam.pass_mark = 50
    apply_regrade(exam, actor=None)  # the real regrade: the attempt fails now
    db.session.commit()
    row = status_of(user, level)
    assert row.status == Status.CERTIFIED and row.flagged_at is not None
    assert events(user, level) == [EventKind.AWARDED, EventKind.FLAGGED]
    assert run() == [] and run(rescored=True) == []  # flagged once; HR decides
    assert events(user, level) == [EventKind.AWARDED, EventKind.FLAGGED]
    keep_flagged(row, "复核后保留", actor=hr, as_of=today(), now=utcnow())
    db.session.commit()
    assert status_of(user, level).flagged_at is None
    assert events(user, level)[-1] == EventKind.FLAG_KEPT


def test_prerequisites_are_evaluated_first_in_one_run(exam, level, make_level, make_user):
    senior = make_level(rules.MinimumTenure(0), prerequisite_ids=(level.id,), code="SENIOR")
    user = make_user(hire_date=today() - timedelta(days=400))
    sit_exam(exam, user, NONE_RIGHT)
    assert status_of(user, senior).status == Status.IN_PROGRESS  # tenure met, junior not
    db.session.execute(CertStatus.__table__.delete())
    db.session.commit()
    other = make_user(hire_date=today() - timedelta(days=400))
    sit_exam(exam, other, ALL_RIGHT)
    db.session.execute(CertStatus.__table__.delete())
    db.session.commit()
    changes = {(c.username, c.level): c.to_status for c in run()}
    assert changes[(other.username, "SENIOR")] == Status.CERTIFIED
    assert changes[(other.username, level.code)] == Status.CERTIFIED


def test_a_level_applies_to_its_departments_and_positions(exam, make_level, make_user):
    from training.people.services import ensure_department

    team = ensure_department("测试公司/客服中心/一组")
    db.session.commit()
    level = make_level(rules.ExamPassed(exam.id), department_ids=(team.id,), positions=("组长",))
    lead = make_user(position="组长")
    member = make_user(position="客服专员")
    elsewhere = make_user(position="组长", department_path="测试公司/客服中心/二组")
    trainer = make_user(roles=("trainer",), position="组长")
    run()
    assert status_of(lead, level) is not None
    assert all(status_of(u, level) is None for u in (member, elsewhere, trainer))
    lead.active = False  # a deactivated account is evaluated no more
    db.session.commit()
    sit_exam(exam, member, ALL_RIGHT)
    assert status_of(member, level) is None


def test_a_level_read_by_another_rule_is_evaluated_before_it(exam, make_level, make_user):
    lead = make_level(rules.MinimumTenure(0), code="LEAD")  # made first: the lower id
    junior = make_level(rules.ExamPassed(exam.id), code="JUNIOR", validity_months=12)
    save_level(Level("LEAD", lead.name, rules.AllOf((rules.LevelActive(junior.id),
                                                     rules.MinimumTenure(0)))), actor=None)
    user = make_user(hire_date=today() - timedelta(days=30))
    sit_exam(exam, user, ALL_RIGHT)  # one evaluation: JUNIOR first, then LEAD reads it
    assert status_of(user, lead).status == Status.CERTIFIED


def test_a_preview_counts_who_would_hold_gain_and_lose_without_writing(exam, level, make_user):
    kept, lost, gained = make_user(), make_user(), make_user()
    sit_exam(exam, kept, ALL_RIGHT)
    sit_exam(exam, lost, SIX)  # 85.71 %: certified at 80, not at 90
    sit_exam(exam, gained, HALF)  # 42.86 %: not at 80, yes at 40
    stricter = Level(level.code, level.name, rules.AnyOf((
        rules.ExamPassed(exam.id, min_percent=90),
        rules.ExamPassed(exam.id, min_percent=40, within_months=1))), validity_months=12)
    before = counts()
    found = preview_change(stricter, today(), level=level)
    assert set(found.certified) == {kept.id, lost.id, gained.id}
    assert found.newly_certified == (gained.id,)
    found = preview_change(Level(level.code, level.name, rules.ExamPassed(exam.id, min_percent=90),
                                 validity_months=12), today(), level=level)
    assert found.losing == (lost.id,) and counts() == before
