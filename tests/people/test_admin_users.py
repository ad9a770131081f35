"""Admin account management over HTTP: list, search, create, edit, deactivate, reset."""

from __future__ import annotations

import io
import re

import lxml.html
from werkzeug.datastructures import MultiDict

from tests.conftest import TEST_PASSWORD
from tests.roster_files import bad_rows, good_rows, roster_xlsx
from training.database import db
from training.people.models import Department, User
from training.people.services import ensure_department


def test_list_search_and_filter(client, login_as, make_user):
    login_as("admin")
    make_user(display_name="王小明", department_path="公司/华东/投诉组")
    make_user(display_name="李大壮", department_path="公司/华南/热线组", roles=("trainer",))
    page = client.get("/admin/users/?q=小明").get_data(as_text=True)
    assert "王小明" in page and "李大壮" not in page
    trainers = client.get("/admin/users/?role=trainer").get_data(as_text=True)
    assert "李大壮" in trainers and "王小明" not in trainers


def test_department_filter_includes_sub_teams(client, login_as, make_user):
    login_as("admin")
    inside = make_user(display_name="组员甲", department_path="公司/华东/投诉组")
    make_user(display_name="外人乙", department_path="公司/华南/热线组")
    east = inside.department.parent
    page = client.get(f"/admin/users/?department={east.id}").get_data(as_text=True)
    assert "组员甲" in page and "外人乙" not in page


def test_list_paginates_with_a_constant_number_of_queries(
    client, login_as, make_user, count_queries
):
    login_as("admin")
    for _ in range(30):
        make_user()
    with count_queries() as few:
        client.get("/admin/users/")
    for _ in range(30):
        make_user()
    with count_queries() as many:
        page = client.get("/admin/users/").get_data(as_text=True)
    assert many.count == few.count
    assert "下一页" in page and "共 61 条" in page


def test_create_user_must_change_password(client, login_as):
    login_as("admin")
    team = ensure_department("公司/客服/一组")
    db.session.commit()
    response = client.post(
        "/admin/users/new",
        data={
            "username": "new.agent",
            "display_name": "新坐席",
            "employee_no": "E777",
            "department_id": str(team.id),
            "roles": ["employee", "trainer"],
            "password": "initial-pass-1",
        },
    )
    assert response.status_code == 302
    user = db.session.query(User).filter_by(username="new.agent").one()
    assert user.role_names == {"employee", "trainer"} and user.must_change_password
    assert user.department.path == "公司/客服/一组"


def submitted_values(page: bytes, **typed: str) -> MultiDict:
    """What a browser posts from the page's main form: its defaults plus what was typed."""
    form = lxml.html.fromstring(page).xpath("//main//form[@method='post']")[0]
    return MultiDict([(k, v) for k, v in form.form_values() if k not in typed] + list(typed.items()))


def test_new_user_form_starts_as_employee_so_the_first_save_succeeds(client, login_as):
    login_as("admin")
    data = submitted_values(
        client.get("/admin/users/new").data,
        username="first.try",
        display_name="一次成功",
        password="initial-pass-1",
    )
    assert data.getlist("roles") == ["employee"]
    assert client.post("/admin/users/new", data=data).status_code == 302
    user = db.session.query(User).filter_by(username="first.try").one()
    assert user.role_names == {"employee"}


def test_new_user_without_any_role_is_refused(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={"username": "no.role", "display_name": "无角色", "password": "initial-pass-1"},
    )
    assert "至少选择一个角色" in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(username="no.role").count() == 0


def test_duplicate_employee_number_is_refused(client, login_as, make_user):
    login_as("admin")
    make_user(employee_no="E1")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "other",
            "display_name": "x",
            "employee_no": "E1",
            "roles": ["employee"],
            "password": "initial-pass-1",
        },
    )
    assert "工号 E1 已存在" in response.get_data(as_text=True)


def test_edit_roles(client, login_as, make_user):
    login_as("admin")
    user = make_user()
    client.post(
        f"/admin/users/{user.id}",
        data={"username": user.username, "display_name": "改名了", "roles": ["hr"]},
    )
    db.session.refresh(user)
    assert user.display_name == "改名了" and user.role_names == {"hr"}


def test_deactivated_user_is_signed_out_and_kept(app, client, login_as, make_user):
    login_as("admin")
    victim = make_user()
    victim_client = app.test_client()
    victim_client.post("/login", data={"username": victim.username, "password": TEST_PASSWORD})
    client.post(f"/admin/users/{victim.id}/active", data={"active": "0"})
    assert victim_client.get("/").status_code == 302
    assert db.session.get(User, victim.id) is not None


def test_admin_cannot_deactivate_self(client, login_as):
    admin = login_as("admin")
    response = client.post(
        f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True
    )
    assert "不能停用自己的账号" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active


def test_reset_password(app, client, login_as, make_user):
    login_as("admin")
    user = make_user()
    client.post(f"/admin/users/{user.id}/password", data={"new_password": "temporary-lantern-1"})
    db.session.refresh(user)
    assert user.check_password("temporary-lantern-1") and user.must_change_password


def test_roster_upload_preview_and_commit(client, login_as):
    login_as("admin")
    bad = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(roster_xlsx(bad_rows())), "bad.xlsx")},
        content_type="multipart/form-data",
    )
    preview = client.get(bad.headers["Location"]).get_data(as_text=True)
    assert preview.count('data-testid="roster-problem"') == 3
    good = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(roster_xlsx(good_rows(50))), "good.xlsx")},
        content_type="multipart/form-data",
    )
    done = client.post(
        good.headers["Location"], data={"initial_password": "Welcome-Aboard-26"}, follow_redirects=True
    )
    assert "已导入：新增 50 人，更新 0 人，离职 0 人" in done.get_data(as_text=True)


def test_someone_elses_staged_upload_is_not_visible(app, client, login_as, make_user):
    login_as("admin")
    response = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(roster_xlsx(good_rows(2))), "a.xlsx")},
        content_type="multipart/form-data",
    )
    other = make_user(roles=("admin",))
    other_client = app.test_client()
    other_client.post("/login", data={"username": other.username, "password": TEST_PASSWORD})
    assert other_client.get(response.headers["Location"]).status_code == 302


def test_template_download(client, login_as):
    login_as("admin")
    response = client.get("/admin/users/import/template.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"


def test_user_form_picks_departments_from_the_tree(client, login_as):
    login_as("admin", department_path="示范公司/信息部")
    hotline = ensure_department("示范公司/客服中心/热线一组")
    db.session.commit()
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert f'<option value="{hotline.id}">示范公司/客服中心/热线一组</option>' in page
    assert 'name="department_path"' not in page and "<datalist" not in page
    data = submitted_values(page.encode(), username="hotline.agent", display_name="热线坐席",
                            password="initial-pass-1", department_id=str(hotline.id))
    assert client.post("/admin/users/new", data=data).status_code == 302
    user = db.session.query(User).filter_by(username="hotline.agent").one()
    assert user.department_id == hotline.id


def test_a_typed_department_no_longer_creates_one(client, login_as):
    """The old free-text field let 客服中新 (a typo) become a second department."""
    login_as("admin")
    client.post("/admin/users/new", data={
        "username": "typo", "display_name": "笔误", "roles": ["employee"],
        "password": "initial-pass-1", "department_path": "示范公司/客服中新/热线一组",
    })
    assert db.session.query(Department).filter(Department.path.contains("客服中新")).count() == 0


def test_a_department_deleted_meanwhile_is_reported(client, login_as):
    login_as("admin")
    response = client.post("/admin/users/new", data={
        "username": "late", "display_name": "晚到", "roles": ["employee"],
        "password": "initial-pass-1", "department_id": "999999",
    })
    assert "所选部门不存在，请刷新页面后重新选择" in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(username="late").count() == 0


def test_roster_preview_lists_the_departments_it_would_create(client, login_as):
    login_as("admin")
    ensure_department("示范公司/客服中心/热线一组")
    db.session.commit()
    rows = [
        ["R001", "甲", "示范公司/客服中心/热线一组", "客服专员", "2025-01-01", ""],
        ["R002", "乙", "示范公司 ／ 客服中新 ／ 热线一组", "客服专员", "2025-01-02", ""],
    ]
    staged = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(roster_xlsx(rows)), "typo.xlsx")},
        content_type="multipart/form-data",
    )
    page = client.get(staged.headers["Location"]).get_data(as_text=True)
    listed = re.findall(r'data-testid="roster-new-department">(.*?)</li>', page)
    assert listed == ["示范公司/客服中新", "示范公司/客服中新/热线一组"]
    assert page.count("新部门</span>") == 1  # R002's row, not R001's
