"""A person's certification history and HR's decisions on it (award, revoke, decide a flag):
every event in order with actor and reason; a decision without a reason, or on nothing, is
refused with a message and changes nothing; only HR and admins."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.certification.certificate_factories import certificate
from tests.certification.page_factories import add_event, set_status, stored_level
from training.certification.models import CertEvent, Certificate, CertStatus, EventKind
from training.database import db, utcnow


@pytest.fixture
def level(app):
    return stored_level("junior", "初级客服专员")


def _events() -> int:
    return db.session.scalar(select(func.count(CertEvent.id)))


def test_history_lists_every_event_in_order_with_actor_and_reason(client, login_as, make_user,
                                                                  level):
    hr = login_as("hr", display_name="人事王")
    person = make_user(display_name="张小明")
    add_event(person, level, EventKind.EXPIRED, date(2026, 3, 1))
    add_event(person, level, EventKind.AWARDED, date(2025, 3, 1))
    add_event(person, level, EventKind.REVOKED, date(2026, 4, 2), actor_id=hr.id, reason="资料造假")
    html = client.get(f"/certification/people/{person.id}").get_data(as_text=True)
    kinds = [kind for kind in ("awarded", "expired", "revoked")
             if f'data-kind="{kind}"' in html]
    assert kinds == ["awarded", "expired", "revoked"]
    assert html.index('data-kind="awarded"') < html.index('data-kind="expired"') \
        < html.index('data-kind="revoked"')
    assert "资料造假" in html and "人事王" in html and "张小明" in html


def test_manual_award_with_a_reason_is_recorded(client, login_as, make_user, level):
    login_as("hr")
    person = make_user()
    response = client.post(f"/certification/people/{person.id}/award",
                           data={"award-level_id": level.id, "award-reason": "外部认证等效"})
    assert response.status_code == 302
    event = db.session.scalar(select(CertEvent).where(CertEvent.user_id == person.id))
    assert event.kind == EventKind.MANUAL and event.reason == "外部认证等效"
    assert db.session.scalar(select(Certificate).where(Certificate.user_id == person.id)).manual
    html = client.get(f"/certification/people/{person.id}").get_data(as_text=True)
    assert 'data-kind="manual"' in html and 'data-status="certified"' in html


def test_award_without_a_reason_is_refused_and_changes_nothing(client, login_as, make_user, level):
    login_as("hr")
    person = make_user()
    response = client.post(f"/certification/people/{person.id}/award",
                           data={"award-level_id": level.id, "award-reason": "  "})
    assert response.status_code == 422
    assert "请填写原因" in response.get_data(as_text=True)
    assert _events() == 0 and db.session.scalar(select(func.count(Certificate.id))) == 0


def test_revoke_with_a_reason_revokes_the_certificate(client, login_as, make_user, level):
    login_as("hr")
    person = make_user()
    held = certificate(person, level=level, issued_on=date(2026, 1, 10), expires_on=date(2099, 1, 10))
    set_status(person, level, "certified", date(2099, 1, 10), certificate_id=held.id)
    html = client.get(f"/certification/people/{person.id}").get_data(as_text=True)
    assert 'data-confirm="' in html.split('data-testid="revoke-form"')[1].split("</form>")[0]
    response = client.post(f"/certification/people/{person.id}/revoke",
                           data={"revoke-level_id": level.id, "revoke-reason": "违规操作"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, held.id).revoked_on is not None
    assert db.session.scalar(select(CertEvent.reason).where(CertEvent.kind == EventKind.REVOKED)) \
        == "违规操作"


def test_revoke_without_a_certificate_is_refused_with_a_message(client, login_as, make_user,
                                                                 level):
    login_as("hr")
    person = make_user()
    response = client.post(f"/certification/people/{person.id}/revoke",
                           data={"revoke-level_id": level.id, "revoke-reason": "违规"})
    assert response.status_code == 422
    assert "没有该等级的有效证书" in response.get_data(as_text=True)
    assert _events() == 0


def test_keeping_a_flagged_certificate_settles_the_flag(client, login_as, make_user, level):
    login_as("hr")
    person = make_user()
    held = certificate(person, level=level, expires_on=date(2099, 1, 10))
    set_status(person, level, "certified", date(2099, 1, 10), certificate_id=held.id,
               flagged_at=utcnow(), flag_reason="重新评分后不再满足")
    html = client.get(f"/certification/people/{person.id}").get_data(as_text=True)
    assert 'data-testid="flagged"' in html
    response = client.post(f"/certification/people/{person.id}/flag",
                           data={"flag-level_id": level.id, "flag-decision": "keep",
                                 "flag-reason": "复核后确认成绩有效"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(CertStatus.flagged_at)) is None
    assert db.session.scalar(select(CertEvent.kind)) == EventKind.FLAG_KEPT
    assert db.session.get(Certificate, held.id).revoked_on is None


def test_deciding_a_flag_that_is_not_there_is_refused(client, login_as, make_user, level):
    login_as("hr")
    person = make_user()
    response = client.post(f"/certification/people/{person.id}/flag",
                           data={"flag-level_id": level.id, "flag-decision": "revoke",
                                 "flag-reason": "无"})
    assert response.status_code == 422
    assert "没有待处理的复核标记" in response.get_data(as_text=True)
    assert _events() == 0


def test_employees_cannot_see_or_change_anyones_history(client, login_as, make_user, level):
    person = make_user()
    login_as("employee")
    assert client.get(f"/certification/people/{person.id}").status_code == 403
    response = client.post(f"/certification/people/{person.id}/award",
                           data={"award-level_id": level.id, "award-reason": "自己给自己"})
    assert response.status_code == 403
    assert _events() == 0
