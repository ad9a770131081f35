"""Assignment, the review queue of typed replies, and what the insight page and its Excel say."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import yaml
from openpyxl import load_workbook

from tests.roleplay.factories import CRITICAL_PATH, GOOD_PATH, play, sample_text, saved_scenario
from training.database import db
from training.people.services import ensure_department
from training.roleplay.models import RunState, ScenarioRun
from training.roleplay.runs import start_or_resume
from training.roleplay.services import open_scenarios

# The sample's good path with a typed reply lacking the time commitment (resolve) and the
# follow-up (ownership): the customer's mood then stays below d3's gate, so it ends escalated.
WEAK_TYPED = "不好意思，我问问。"
WEAK_PATH = [{}, {"option_id": "a"}, {}, {"text": WEAK_TYPED}, {"option_id": "b"}]


@pytest.fixture
def trainer(login_as):
    return login_as("trainer")


def played(scenario, user, path) -> ScenarioRun:
    return play(start_or_resume(user, scenario), path)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_assigning_by_position_and_by_name_reaches_those_employees(client, trainer, make_user):
    scenario = saved_scenario()
    agent = make_user(position="柜员")
    named = make_user()
    other = make_user(position="大堂经理")
    response = client.post(f"/roleplay/manage/{scenario.id}/assign", data={
        "positions": "柜员", "users": named.username, "due_date": "2031-06-30",
    })
    assert response.status_code == 302
    assert client.post(f"/roleplay/manage/{scenario.id}/limit",
                       data={"max_runs": "3"}).status_code == 302
    assert [s.scenario.id for s in open_scenarios(agent)] == [scenario.id]
    assert [s.scenario.id for s in open_scenarios(named)] == [scenario.id]
    assert open_scenarios(other) == []
    mine = open_scenarios(agent)[0]
    assert mine.due_at.date() in {date(2031, 6, 30), date(2031, 6, 29)}  # end of the local day
    assert mine.runs_left == 3
    page = text_of(client.get(f"/roleplay/manage/{scenario.id}/assign").get_data(as_text=True))
    assert "岗位：柜员" in page and named.display_name in page


def test_the_panel_shows_whom_each_assignment_reaches_and_removes_one(client, trainer, make_user):
    scenario = saved_scenario()
    for _lead in range(2):
        make_user(department_path="测试公司/热线一组", position="组长")
    make_user(department_path="测试公司/热线一组", position="客服专员")
    lead_b = make_user(department_path="测试公司/热线二组", position="组长")
    team_a = ensure_department("测试公司/热线一组")
    client.post(f"/roleplay/manage/{scenario.id}/assign", data={
        "departments": str(team_a.id), "positions": "组长", "users": lead_b.username,
    })
    page = client.get(f"/roleplay/manage/{scenario.id}/assign").get_data(as_text=True)
    rows = re.findall(r'data-testid="assignment-reach">([^<]*)<', page)
    assert rows == ["覆盖 2 人", "覆盖 1 人"]  # 热线一组's team leaders only; lead_b by name
    assert "合计覆盖 3 人" in text_of(page)
    within = next(a for a in scenario.assignments if a.department_id)
    assert client.post(
        f"/roleplay/manage/{scenario.id}/assignments/{within.id}/delete"
    ).status_code == 302
    db.session.expire_all()
    assert [a.user_id for a in scenario.assignments] == [lead_b.id]
    assert "合计覆盖 1 人" in text_of(
        client.get(f"/roleplay/manage/{scenario.id}/assign").get_data(as_text=True))
    other = saved_scenario({**yaml.safe_load(sample_text()), "key": "another"})
    assert client.post(  # an assignment of another scenario is not found through this one
        f"/roleplay/manage/{other.id}/assignments/{scenario.assignments[0].id}/delete"
    ).status_code == 404


def test_an_unknown_name_refuses_the_whole_assignment(client, trainer):
    scenario = saved_scenario()
    page = client.post(f"/roleplay/manage/{scenario.id}/assign", data={"users": "nobody-here"},
                       follow_redirects=True).get_data(as_text=True)
    assert "nobody-here" in page
    db.session.expire_all()
    assert scenario.assignments == []


def test_a_review_replaces_the_suggested_points_and_the_run_is_scored_again(
    client, trainer, make_user
):
    scenario = saved_scenario()
    employee = make_user(display_name="王小明")
    run = played(scenario, employee, WEAK_PATH)
    assert run.state == RunState.PENDING_REVIEW
    provisional = run.score
    queue = client.get("/roleplay/manage/reviews").get_data(as_text=True)
    step = next(s for s in run.steps if s.suggested)
    assert WEAK_TYPED in queue and "王小明" in queue and f'data-testid="review-{step.id}"' in queue
    response = client.post(f"/roleplay/manage/reviews/{step.id}", data={
        f"s{step.id}-resolve": "10", f"s{step.id}-ownership": "5",
        f"s{step.id}-reason": "承诺了处理，算作给出跟进",
    }, follow_redirects=True)
    page = text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert run.state == RunState.ENDED and run.score > provisional
    assert f"{provisional:.1f} → {run.score:.1f}" in page
    assert step.reviewed_points == {"listen": 0, "empathy": 0, "apology": 0, "resolve": 10,
                                    "ownership": 5, "compliance": 0}
    assert step.review_reason == "承诺了处理，算作给出跟进" and step.reviewed_by_id == trainer.id
    assert "没有待评分的回复" in page


def test_a_review_without_a_reason_changes_nothing(client, trainer, make_user):
    run = played(saved_scenario(), make_user(), WEAK_PATH)
    step = next(s for s in run.steps if s.suggested)
    client.post(f"/roleplay/manage/reviews/{step.id}", data={f"s{step.id}-resolve": "10"})
    db.session.expire_all()
    assert step.reviewed_at is None and run.state == RunState.PENDING_REVIEW


def test_insight_counts_runs_passes_option_shares_and_critical_mistakes(client, trainer, make_user):
    scenario = saved_scenario()
    good, careless = make_user(display_name="王小明"), make_user(display_name="李大力")
    played(scenario, good, GOOD_PATH)
    played(scenario, careless, CRITICAL_PATH)
    played(scenario, careless, GOOD_PATH)
    start_or_resume(make_user(), scenario)  # in progress: not counted
    db.session.commit()
    client.post(f"/roleplay/manage/{scenario.id}/playtest")  # the trainer's own try: not counted
    page = client.get(f"/roleplay/manage/{scenario.id}/insight").get_data(as_text=True)
    figures = text_of(page.split('data-testid="insight-figures"')[1].split("</div></div></div>\n</div>")[0])
    assert "已完成练习 3" in figures and "进行中 1" in figures and "参与员工 2" in figures
    shares = page.split('data-testid="option-shares"')[1]
    d1a = text_of(shares.split('data-option="d1.a"')[1].split("</tr>")[0])
    d1c = text_of(shares.split('data-option="d1.c"')[1].split("</tr>")[0])
    assert "2 · 67%" in d1a and "1 · 33%" in d1c
    criticals = text_of(page.split('data-testid="criticals"')[1].split("</table>")[0])
    assert "泄露隐私" in criticals and "1 · 33%" in criticals
    employees = page.split('data-testid="employee-runs"')[1]
    assert employees.count("<circle") == 3  # one dot per finished run, over time


def test_the_insight_workbook_has_every_run_and_the_shares(client, trainer, make_user):
    scenario = saved_scenario()
    played(scenario, make_user(display_name="王小明"), GOOD_PATH)
    played(scenario, make_user(display_name="李大力"), CRITICAL_PATH)
    response = client.get(f"/roleplay/manage/{scenario.id}/insight.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["概况", "选项分布", "严重错误", "练习记录"]
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True) if row}
    assert summary["已完成练习"] == 2 and summary["通过率 %"] == 50
    runs = list(book["练习记录"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in runs) == ["李大力", "王小明"]
    options = {(r[0], r[1]): r[3] for r in book["选项分布"].iter_rows(min_row=2, values_only=True)}
    assert options[("d1", "a")] == 1 and options[("d1", "c")] == 1 and options[("d1", "b")] == 0
    assert [r[0] for r in book["严重错误"].iter_rows(min_row=2, values_only=True)] == [
        "在柜台大声念出客户完整身份证号，泄露隐私。"
    ]


def test_the_list_shows_each_scenario_with_its_runs_and_waiting_reviews(
    client, trainer, make_user, count_queries
):
    first = saved_scenario()
    played(first, make_user(), WEAK_PATH)
    played(first, make_user(), CRITICAL_PATH)
    with count_queries() as counted:
        page = client.get("/roleplay/manage/").get_data(as_text=True)
    row = text_of(page.split('data-testid="scenario-list"')[1].split("</tr>")[1])
    assert first.title in row and "v1" in row and " 2 " in row and "0%" in row
    assert f'href="/roleplay/manage/reviews?scenario={first.id}"' in page
    assert len(counted.statements) < 15


def test_the_queue_shows_ten_replies_a_page_oldest_first(client, trainer, make_user):
    scenario = saved_scenario()
    runs = [played(scenario, make_user(display_name=f"学员{n:02d}"), WEAK_PATH) for n in range(12)]
    first = client.get("/roleplay/manage/reviews").get_data(as_text=True)
    second = client.get("/roleplay/manage/reviews?page=2").get_data(as_text=True)
    cards = re.compile(r'data-testid="review-\d+"')
    assert len(cards.findall(first)) == 10 and len(cards.findall(second)) == 2
    assert "学员00" in first and "学员11" in second and "学员11" not in first
    assert '<span class="badge text-bg-warning" data-testid="queue-size">12</span>' in second
    step = next(s for s in runs[11].steps if s.suggested)
    back = client.post(f"/roleplay/manage/reviews/{step.id}?page=2",
                       data={f"s{step.id}-reason": "未给出时间承诺"})
    assert back.headers["Location"].endswith("/roleplay/manage/reviews?page=2")


def test_trainers_find_role_play_in_their_menu_and_employees_do_not(client, login_as):
    login_as("trainer")
    assert 'href="/roleplay/manage/"' in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login_as("employee")
    assert 'href="/roleplay/manage/"' not in client.get("/").get_data(as_text=True)
