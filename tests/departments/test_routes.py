"""Department pages over HTTP: admin only, each form's refusals shown and nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from training.audit.models import AuditEvent
from training.database import db
from training.people.models import Department, User
from training.people.services import ensure_department


def department(path: str) -> Department | None:
    db.session.expire_all()
    return db.session.scalar(select(Department).filter_by(path=path))


def events(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEvent.action == action))


@pytest.mark.parametrize("role", ["employee", "trainer", "hr"])
def test_only_administrators_shape_the_tree(client, login_as, role):
    team = ensure_department("示范公司/客服中新")
    target = ensure_department("示范公司/客服中心")
    db.session.commit()
    login_as(role)
    base = f"/admin/departments/{team.id}"
    assert client.get("/admin/departments/").status_code == 403
    assert client.get(base).status_code == 403
    assert client.post("/admin/departments/new", data={"name": "新组"}).status_code == 403
    assert client.post(f"{base}/rename", data={"name": "改名"}).status_code == 403
    assert client.post(f"{base}/move", data={"parent": "0"}).status_code == 403
    assert client.post(f"{base}/merge", data={"target": str(target.id)}).status_code == 403
    assert client.post(f"{base}/delete").status_code == 403
    assert department("示范公司/客服中新") is not None and department("示范公司/新组") is None


def test_tree_page_shows_each_department_with_its_head_count(client, login_as, make_user):
    login_as("admin", department_path="示范公司/信息部")
    make_user(department_path="示范公司/客服中心/热线一组")
    make_user(department_path="示范公司/客服中心/热线二组")
    page = client.get("/admin/departments/").get_data(as_text=True)
    assert page.count('data-testid="department-node"') == 5
    assert 'data-path="示范公司/客服中心/热线二组"' in page and "3 人" in page


def test_admin_creates_renames_moves_merges_and_deletes(client, login_as, make_user):
    login_as("admin")
    company = ensure_department("示范公司")
    db.session.commit()
    created = client.post("/admin/departments/new",
                          data={"name": "客服中新", "parent": str(company.id)},
                          follow_redirects=True)
    assert "已新建部门 示范公司/客服中新" in created.get_data(as_text=True)
    typo = department("示范公司/客服中新")

    renamed = client.post(f"/admin/departments/{typo.id}/rename", data={"name": "客服中心"},
                          follow_redirects=True)
    assert "已改名为 示范公司/客服中心" in renamed.get_data(as_text=True)

    moved = client.post(f"/admin/departments/{typo.id}/move", data={"parent": "0"},
                        follow_redirects=True)
    assert "已移到 客服中心" in moved.get_data(as_text=True)

    agent = make_user(department_path="客服中心")
    merged = client.post(f"/admin/departments/{typo.id}/merge",
                         data={"target": str(company.id)}, follow_redirects=True)
    assert "已把 客服中心 合并到 示范公司" in merged.get_data(as_text=True)
    assert db.session.get(User, agent.id).department.path == "示范公司"

    spare = ensure_department("示范公司/备用组")
    db.session.commit()
    deleted = client.post(f"/admin/departments/{spare.id}/delete", follow_redirects=True)
    assert "已删除部门 示范公司/备用组" in deleted.get_data(as_text=True)
    assert department("示范公司/备用组") is None
    for action in ("created", "renamed", "moved", "merged", "deleted"):
        assert events(f"department.{action}") == 1, action


def test_refusals_are_explained_and_change_nothing(client, login_as, make_user):
    login_as("admin")
    agent = make_user(department_path="示范公司/客服中心")
    center = agent.department
    ensure_department("示范公司/信息部")
    db.session.commit()
    base = f"/admin/departments/{center.id}"
    clash = client.post(f"{base}/rename", data={"name": "信息部"}, follow_redirects=True)
    assert "“示范公司”下已有名为“信息部”的部门" in clash.get_data(as_text=True)
    busy = client.post(f"{base}/delete", follow_redirects=True)
    assert "不能删除：还有 1 名人员" in busy.get_data(as_text=True)
    stale = client.post(f"{base}/merge", data={"target": "999999"}, follow_redirects=True)
    assert "所选部门不存在" in stale.get_data(as_text=True)
    unchosen = client.post(f"{base}/merge", data={"target": "0"}, follow_redirects=True)
    assert "请选择要并入的部门" in unchosen.get_data(as_text=True)
    assert department("示范公司/客服中心") is not None
    assert events("department.renamed") + events("department.merged") == 0


def test_detail_page_offers_only_places_outside_the_subtree(client, login_as):
    login_as("admin")
    team = ensure_department("示范公司/华东/投诉组")
    east = team.parent
    ensure_department("示范公司/华南")
    db.session.commit()
    page = client.get(f"/admin/departments/{east.id}").get_data(as_text=True)
    assert ">示范公司/华南</option>" in page
    assert ">示范公司/华东/投诉组</option>" not in page
    assert "下级部门 1 个" in page
