"""Helpers the tests of more than one feature need (exams and role-play so far): signing in to
the JSON API, looking for leaked keys, two requests racing, and a due date turning overdue."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from tests.conftest import TEST_PASSWORD
from training.database import db, utcnow

T = TypeVar("T")


def keys_in(value: Any) -> set[str]:
    """Every object key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def api_login(client, user) -> str:
    """Sign `user` in to the API with the test password; the bearer token."""
    response = client.post("/api/v1/login", json={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def both_at_once(app, action: Callable[[], T]) -> list[T]:
    """Run `action()` in two threads (each its own app context and connection) at once, commit
    each, and return both results; any error in either thread fails the test."""
    barrier = threading.Barrier(2)
    results: list[T] = []
    errors: list[BaseException] = []

    def press() -> None:
        with app.app_context():
            try:
                barrier.wait()
                results.append(action())
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    return results


class Assignment(Protocol):
    """An exam's or a scenario's assignment: whom it reaches, by when."""

    due_at: Any


def shown(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def check_due_turns_overdue(client, assignment: Assignment, my_list: str, api_list: str) -> None:
    """The signed-in employee's list at `my_list` shows `assignment`'s due date, not overdue; once
    the date has passed, that list, the home page and the API's list at `api_list` (whose items
    sit under its last path segment) all say overdue."""
    mine = shown(client, my_list)
    assert 'data-overdue="false"' in mine and "截止 " in mine and "已逾期" not in mine
    assignment.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    for url in ("/", my_list):
        page = shown(client, url)
        assert 'data-overdue="true"' in page and "已逾期" in page, url
    (listed,) = client.get(api_list).get_json()[api_list.rsplit("/", 1)[-1]]
    assert listed["overdue"] is True and listed["due_at"].endswith("Z")
