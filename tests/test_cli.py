"""The `servicecoach` command line: accounts from scripts, roster import, demo load."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.roster_files import bad_rows, good_rows, roster_xlsx
from training.cli import main
from training.database import db
from training.people.models import User


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args), catch_exceptions=False)


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(User.id)))


def test_user_create(app):
    result = run(
        app,
        "user",
        "create",
        "zhao",
        "--password",
        "script-pass-1",
        "--role",
        "trainer",
        "--role",
        "hr",
        "--name",
        "赵老师",
        "--employee-no",
        "T9",
        "--department",
        "总部/培训部",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(username="zhao"))
    assert user.role_names == {"trainer", "hr"} and user.department.path == "总部/培训部"
    assert user.check_password("script-pass-1") and not user.must_change_password


def test_user_create_refuses_duplicates_and_short_passwords(app):
    assert (
        run(
            app, "user", "create", "a", "--password", "long-enough-1", "--role", "employee"
        ).exit_code
        == 0
    )
    dup = run(app, "user", "create", "A", "--password", "long-enough-1", "--role", "employee")
    assert dup.exit_code == 1 and "已被使用" in dup.output
    short = run(app, "user", "create", "b", "--password", "short", "--role", "employee")
    assert short.exit_code == 1 and "8" in short.output


def test_user_import_all_or_nothing(app, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(roster_xlsx(bad_rows()))
    result = run(app, "user", "import", str(bad), "--password", "Welcome-Aboard-26")
    assert result.exit_code == 1
    assert "row 3" in result.output and "row 4" in result.output and "row 5" in result.output
    assert user_count() == 0
    good = tmp_path / "good.xlsx"
    good.write_bytes(roster_xlsx(good_rows(12)))
    result = run(app, "user", "import", str(good), "--password", "Welcome-Aboard-26")
    assert result.exit_code == 0 and "imported 12" in result.output
    assert user_count() == 12


def test_demo_load_twice_creates_no_duplicates(app):
    first = run(app, "demo", "load", "--password", "demo-pass-1")
    assert first.exit_code == 0, first.output
    assert "demo-employee" in first.output and "demo-pass-1" in first.output
    count = user_count()
    assert count >= 40
    second = run(app, "demo", "load")
    assert second.exit_code == 0 and user_count() == count
    assert "已存在" in second.output
    admin = db.session.scalar(select(User).filter_by(username="demo-admin"))
    assert admin.has_role("admin") and admin.check_password("demo-pass-1")


def test_demo_load_without_password_prints_generated_ones(app):
    result = run(app, "demo", "load")
    line = next(x for x in result.output.splitlines() if x.strip().startswith("demo-trainer"))
    password = line.split()[-1]
    user = db.session.scalar(select(User).filter_by(username="demo-trainer"))
    assert user.check_password(password)
