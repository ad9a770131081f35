"""Weak passwords are refused wherever a password is set; the demo and test passwords pass."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD
from tests.roster_files import good_rows, roster_xlsx
from tests.test_cli import run
from training.database import db
from training.demo.people import ROLE_ACCOUNTS
from training.people.models import User
from training.people.services import WeakPassword, identity_words, validate_password

REFUSED = "密码太容易被猜到"
# Common passwords, a keyboard run, a word and a year, and the login name twice.
WEAK = ["12345678", "password", "qwertyuiop", "Welcome-2026", "{name}{name}"]


def test_demo_and_test_passwords_are_strong_enough():
    for details in ROLE_ACCOUNTS:
        validate_password("servicecoach-demo", identity_words(details))
    validate_password(TEST_PASSWORD, ["user1", "测试用户1", "T00001"])


def test_the_account_s_own_words_count_against_it():
    validate_password("T1001zhang.wei")  # nothing known about the account: acceptable
    with pytest.raises(WeakPassword):
        validate_password("T1001zhang.wei", ["zhang.wei", "张伟", "T1001"])


@pytest.mark.parametrize("weak", WEAK)
def test_change_password_form_refuses_weak_passwords(client, login_as, weak):
    user = login_as("employee")
    weak = weak.format(name=user.username)
    data = {"current_password": TEST_PASSWORD, "new_password": weak, "confirm": weak}
    page = client.post("/password", data=data).get_data(as_text=True)
    assert REFUSED in page
    db.session.refresh(user)
    assert user.check_password(TEST_PASSWORD)


def test_admin_create_and_reset_refuse_weak_passwords(client, login_as, make_user):
    login_as("admin")
    form = {
        "username": "li.si", "display_name": "李四", "roles": "employee", "password": "li.sili.si",
    }
    page = client.post("/admin/users/new", data=form, follow_redirects=True)
    assert REFUSED in page.get_data(as_text=True)
    assert db.session.scalar(select(User).filter_by(username="li.si")) is None
    user = make_user()
    reset = client.post(
        f"/admin/users/{user.id}/password", data={"new_password": "password1"},
        follow_redirects=True,
    )
    assert REFUSED in reset.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(TEST_PASSWORD) and not user.must_change_password


def test_cli_user_create_refuses_a_weak_password(app):
    result = run(app, "user", "create", "wang", "--password", "wang12345", "--role", "employee")
    assert result.exit_code == 1 and REFUSED in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_roster_import_refuses_a_weak_initial_password(app, client, login_as, tmp_path):
    file = tmp_path / "staff.xlsx"
    file.write_bytes(roster_xlsx(good_rows(3)))
    result = run(app, "user", "import", str(file), "--password", "Welcome-2026")
    assert result.exit_code == 1 and REFUSED in result.output
    login_as("admin")
    staged = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(roster_xlsx(good_rows(3))), "staff.xlsx")},
        content_type="multipart/form-data",
    )
    page = client.post(staged.headers["Location"], data={"initial_password": "12345678"})
    assert REFUSED in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1  # only the admin


def test_demo_load_refuses_a_weak_password(app):
    result = run(app, "demo", "load", "--password", "password1")
    assert result.exit_code == 1 and REFUSED in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0
