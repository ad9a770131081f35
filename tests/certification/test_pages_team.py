"""A department head's view (an employee holding a head's position: the people model has no
manager): the statuses of their department's people and who needs reminding; nobody else's."""

from __future__ import annotations

from datetime import timedelta

from tests.certification.page_factories import set_status, stored_level
from training.database import utcnow
from training.timezones import local_day


def test_a_team_lead_sees_their_department_and_who_is_expiring(client, login_as, make_user):
    level = stored_level("junior", "初级客服专员")
    today = local_day(utcnow())
    set_status(make_user(display_name="快到期", department_path="公司/中心/一组"), level,
               "expiring", today + timedelta(days=12))
    set_status(make_user(display_name="已认证", department_path="公司/中心/一组"), level,
               "certified", today + timedelta(days=300))
    set_status(make_user(display_name="别组的", department_path="公司/中心/二组"), level,
               "expiring", today + timedelta(days=5))
    login_as("employee", position="组长", department_path="公司/中心/一组")
    html = client.get("/certification/team").get_data(as_text=True)
    assert "快到期" in html and "已认证" in html and "别组的" not in html
    reminders = html.split('data-testid="reminders"')[1].split("</section>")[0]
    assert "快到期" in reminders and "已认证" not in reminders and "剩余 12 天" in reminders
    assert 'data-testid="team-link"' in client.get("/certification/mine").get_data(as_text=True)


def test_an_employee_who_heads_nothing_is_refused(client, login_as):
    login_as("employee", position="客服专员")
    assert client.get("/certification/team").status_code == 403


def test_hr_picks_any_department(client, login_as, make_user):
    level = stored_level("junior", "初级客服专员")
    set_status(make_user(display_name="二组员工", department_path="公司/中心/二组"), level,
               "not_started")
    login_as("hr", department_path="公司/人事部")
    from training.database import db
    from training.people.models import Department
    team = db.session.query(Department).filter_by(path="公司/中心/二组").one()
    html = client.get(f"/certification/team?department={team.id}").get_data(as_text=True)
    assert "二组员工" in html
