"""我的认证: each level that applies to the employee, its status, the requirements with ticks,
how close they are and where to go, certificates to download; their own, nobody else's. And the
home page's task for what is still missing, at a query count that does not grow with levels."""

from __future__ import annotations

from datetime import timedelta

from tests.certification.conftest import ALL_RIGHT, HALF
from tests.certification.page_factories import set_status, stored_level
from tests.exams.helpers import sit_exam
from training.certification import rules
from training.database import utcnow
from training.people.services import ensure_department
from training.timezones import local_day


def _rule(exam, course):
    return rules.AllOf((rules.ExamPassed(exam.id, min_percent=80), rules.CourseCompleted(course.id),
                        rules.MinimumTenure(1)))


def test_requirements_show_ticks_progress_and_links(client, login_as, make_level, exam,
                                                    make_course):
    course = make_course(title="服务礼仪课程")
    level = make_level(_rule(exam, course), code="junior", name="初级客服专员")
    me = login_as("employee", hire_date=local_day(utcnow()) - timedelta(days=400))
    sit_exam(exam, me, HALF)  # 3 of 7; grading evaluates: tenure met, so 进行中
    html = client.get("/certification/mine").get_data(as_text=True)
    card = html.split(f'data-level="{level.code}"')[1]
    assert 'data-status="in_progress"' in card and "进行中" in card
    assert "最高 42.86%，需 80%" in card
    assert f'href="/exams/{exam.id}"' in card and f'href="/courses/{course.id}"' in card
    assert card.count('data-met="true"') == 1  # tenure; the two groups' others are crosses
    assert "入职满 1 个月" in card and "（已满足 1 / 3）" in card


def test_a_certified_employee_downloads_their_certificate(client, login_as, make_level, exam):
    level = make_level(rules.ExamPassed(exam.id, min_percent=80), code="junior",
                       name="初级客服专员", validity_months=12)
    me = login_as("employee")
    sit_exam(exam, me, ALL_RIGHT)
    html = client.get("/certification/mine").get_data(as_text=True)
    assert 'data-status="certified"' in html.split(f'data-level="{level.code}"')[1]
    assert "剩余" in html and 'data-testid="download"' in html
    link = html.split('data-testid="download"')[0].rsplit('href="', 1)[1].split('"')[0]
    response = client.get(link)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert 'data-testid="verify-link"' in html


def test_an_employee_sees_only_their_own(client, login_as, make_user, make_level, exam):
    level = make_level(rules.ExamPassed(exam.id, min_percent=80), code="junior", name="初级客服专员")
    other = make_user(display_name="别人")
    sit_exam(exam, other, ALL_RIGHT)
    login_as("employee")
    html = client.get("/certification/mine").get_data(as_text=True)
    assert 'data-testid="certificate"' not in html and "别人" not in html
    assert 'data-status="not_started"' in html.split(f'data-level="{level.code}"')[1]


def test_levels_for_other_departments_are_not_listed(client, login_as, make_level, exam):
    elsewhere = ensure_department("外公司/投诉中心")
    make_level(rules.ExamPassed(exam.id), code="complaints", name="投诉专员",
               department_ids=(elsewhere.id,))
    login_as("employee")
    assert "投诉专员" not in client.get("/certification/mine").get_data(as_text=True)


def test_home_lists_what_is_missing_and_days_left(client, login_as, count_queries):
    me = login_as("employee")
    today = local_day(utcnow())
    progress = stored_level("junior", "初级客服专员")
    renewing = stored_level("middle", "中级客服专员")
    set_status(me, progress, "in_progress", met=1, total=3)
    set_status(me, renewing, "expiring", today + timedelta(days=9))
    with count_queries() as two_levels:
        html = client.get("/").get_data(as_text=True)
    tasks = html.split('data-testid="task-certifications"')[1].split("</ul>")[0]
    assert "初级客服专员" in tasks and "还差 2 项" in tasks
    assert "中级客服专员" in tasks and "剩余 9 天" in tasks
    assert tasks.index("中级客服专员") < tasks.index("初级客服专员")  # the deadline first
    set_status(me, stored_level("senior", "高级客服专员"), "expired", today - timedelta(days=2))
    with count_queries() as three_levels:
        html = client.get("/").get_data(as_text=True)
    assert "已过期，请重新认证" in html
    assert three_levels.count == two_levels.count
