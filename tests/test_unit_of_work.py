"""A view's unit of work: kept for the request's commit and announced, or rolled back with the
rule's reason. (Whole requests: tests/test_one_commit.py.)"""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from sqlalchemy import func, select

from training.database import db, transaction
from training.errors import DomainError, NotFound
from training.people.models import Department
from training.unit_of_work import unit_of_work


def departments_in_database() -> int:
    """Counted on a connection of its own: only what was committed."""
    with db.engine.connect() as other:
        return other.scalar(select(func.count()).select_from(Department))


def departments_in_session() -> int:
    return db.session.scalar(select(func.count()).select_from(Department))


def test_a_refused_unit_keeps_nothing_and_says_why(app):
    with app.test_request_context():
        with unit_of_work("已保存") as work:
            db.session.add(Department(name="临时", path="/临时"))
            db.session.flush()
            raise DomainError("部门名称已存在")
        assert not work.done
        assert get_flashed_messages(with_categories=True) == [("danger", "部门名称已存在")]
        assert departments_in_session() == 0


def test_a_unit_that_holds_is_announced_and_left_for_the_request_to_commit(app):
    with app.test_request_context():
        with unit_of_work(refused="warning") as work:
            db.session.add(Department(name="客服一部", path="/客服一部"))
            work.message = "已创建 1 个部门"
        assert work.done
        assert get_flashed_messages(with_categories=True) == [("success", "已创建 1 个部门")]
        assert departments_in_session() == 1
        assert departments_in_database() == 0  # the view does not commit; the request's end does


def test_a_crash_is_not_mistaken_for_a_refusal(app):
    with app.test_request_context(), pytest.raises(ZeroDivisionError), unit_of_work("已保存"):
        raise ZeroDivisionError


def test_errors_it_passes_reach_their_own_handler_with_the_block_undone(app):
    with app.test_request_context():
        with pytest.raises(NotFound), unit_of_work(passes=(NotFound,)):
            db.session.add(Department(name="临时", path="/临时"))
            db.session.flush()
            raise NotFound("课程不存在")
        assert departments_in_session() == 0
        assert get_flashed_messages() == []


def test_a_background_transaction_commits_or_rolls_back_as_a_whole(app):
    with transaction():
        db.session.add(Department(name="客服一部", path="/客服一部"))
    with pytest.raises(DomainError), transaction():
        db.session.add(Department(name="客服二部", path="/客服二部"))
        db.session.flush()
        raise DomainError("导入失败")
    assert departments_in_database() == 1
