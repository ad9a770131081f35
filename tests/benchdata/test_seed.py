"""`servicecoach bench seed`: bulk examinee accounts for the demo mock exam, idempotently."""

from __future__ import annotations

from sqlalchemy import func, select

from training.benchdata.services import BENCH_DEPARTMENT
from training.cli import main
from training.database import db
from training.demo.loader import load_demo
from training.exams.demo import MOCK_EXAM
from training.people.models import User, UserRole

PASSWORD = "bench-pass-1"


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, ["bench", "seed", *args])


def bench_accounts() -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(User).where(User.username.like("bench-%")).order_by(User.username)
    ))


def test_seed_refuses_without_the_demo(app):
    result = run(app, "--employees", "3", "--password", PASSWORD)
    assert result.exit_code != 0
    assert "demo load" in result.output
    assert bench_accounts() == []


def test_seed_creates_employees_and_a_second_run_adds_only_the_missing(app):
    load_demo("demo-password-1")
    first = run(app, "--employees", "3", "--password", PASSWORD)
    assert first.exit_code == 0, first.output
    assert "created 3, kept 0" in first.output
    accounts = bench_accounts()
    assert [u.username for u in accounts] == ["bench-00001", "bench-00002", "bench-00003"]
    assert {u.department.path for u in accounts} == {BENCH_DEPARTMENT}
    assert all(u.role_names == {"employee"} and not u.must_change_password for u in accounts)
    ids = {u.username: u.id for u in accounts}

    second = run(app, "--employees", "5", "--password", PASSWORD)
    assert "created 2, kept 3" in second.output
    accounts = bench_accounts()
    assert len(accounts) == 5
    assert {u.username: u.id for u in accounts[:3]} == ids
    roles = db.session.scalar(
        select(func.count(UserRole.id)).join(User).where(User.username.like("bench-%"))
    )
    assert roles == 5

    assert "created 0, kept 5" in run(app, "--employees", "5", "--password", PASSWORD).output


def test_seeded_accounts_sign_in_through_the_api_and_see_the_mock_exam(app, client):
    load_demo("demo-password-1")
    run(app, "--employees", "2", "--password", PASSWORD)
    for username in ("bench-00001", "bench-00002"):
        login = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
        assert login.status_code == 200, login.get_json()
        token = login.get_json()["token"]
        exams = client.get("/api/v1/exams", headers={"Authorization": f"Bearer {token}"})
        mock = [e for e in exams.get_json()["exams"] if e["title"] == MOCK_EXAM]
        assert len(mock) == 1


def test_seed_refuses_a_short_password(app):
    load_demo("demo-password-1")
    result = run(app, "--employees", "1", "--password", "short")
    assert result.exit_code != 0
    assert bench_accounts() == []
