"""One commit per request: views never commit, a failed request keeps nothing, a good one all."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import abort
from sqlalchemy import func, select

from training.access import public
from training.database import db
from training.errors import DomainError
from training.people.models import Department
from training.unit_of_work import keep, unit_of_work

TRAINING = Path(__file__).resolve().parent.parent / "training"


def _session_calls(source: str) -> list[int]:
    """The lines of a module's `db.session.commit()` / `.rollback()` calls."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("commit", "rollback")
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "session"
        ):
            found.append(node.lineno)
    return found


def test_no_view_commits_or_rolls_back():
    modules = sorted(TRAINING.glob("*/routes.py"))
    assert len(modules) > 10
    stray = [f"{module.relative_to(TRAINING.parent)}:{line}" for module in modules
             for line in _session_calls(module.read_text("utf-8"))]
    assert stray == []


def test_the_scan_sees_a_stray_commit_or_rollback():
    source = "def view():\n    db.session.commit()\n    if x:\n        db.session.rollback()\n"
    assert _session_calls(source) == [2, 4]


def departments() -> int:
    """Counted on a connection of its own: only what was committed."""
    with db.engine.connect() as other:
        return other.scalar(select(func.count()).select_from(Department))


@pytest.fixture
def routes(app):
    """Views that write a department, then answer in different ways."""

    def add(name: str) -> None:
        db.session.add(Department(name=name, path=f"/{name}"))
        db.session.flush()

    def ok():
        add("成功")
        return "ok"

    def refused():
        with unit_of_work("已保存") as work:
            add("被拒")
            raise DomainError("部门名称已存在")
        return "refused" if not work.done else "done"

    def client_error():
        add("四百")
        abort(400)

    def crash():
        add("崩溃")
        raise ZeroDivisionError

    def kept():
        keep(lambda: add("审计"))
        add("丢弃")
        abort(403)

    for view in (ok, refused, client_error, crash, kept):
        app.add_url_rule(f"/_test/{view.__name__}", view.__name__, public(view),
                         methods=["POST"])
    return app


def test_a_successful_request_commits(routes, client):
    assert client.post("/_test/ok").status_code == 200
    assert departments() == 1


@pytest.mark.parametrize(("view", "status"), [("client_error", 400), ("crash", 500)])
def test_a_failed_request_leaves_nothing_written(routes, client, view, status):
    assert client.post(f"/_test/{view}").status_code == status
    assert departments() == 0


def test_a_refused_domain_rule_writes_nothing_and_says_why(routes, client):
    response = client.post("/_test/refused")
    assert response.get_data(as_text=True) == "refused"
    assert departments() == 0
    with client.session_transaction() as session:
        assert session["_flashes"] == [("danger", "部门名称已存在")]


def test_a_kept_write_outlives_the_failed_request(routes, client):
    assert client.post("/_test/kept").status_code == 403
    assert [d.name for d in db.session.scalars(select(Department))] == ["审计"]
