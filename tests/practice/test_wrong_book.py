"""The wrong-answer book: filled by wrong answers, scheduled by FSRS, emptied by two right reviews."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from training.database import db, utcnow
from training.practice.models import WrongBookEntry
from training.practice.queries import due_count


def _entry(user_id: int, question_id: int) -> WrongBookEntry | None:
    db.session.expire_all()
    return db.session.scalar(select(WrongBookEntry).filter_by(user_id=user_id,
                                                                question_id=question_id))


def _review(client, answer: str) -> str:
    """Open the next due review and answer it; returns the feedback page."""
    location = client.get("/practice/next?mode=review").headers["Location"]
    assert "/practice/q/" in location and "mode=review" in location
    response = client.post(location, data={"response": answer})
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_wrong_answer_enters_the_book_and_leaves_after_two_spaced_right_reviews(
    client, login_as, bank
):
    user = login_as("employee")
    a1 = bank["a1"]
    client.post(f"/practice/q/{a1.id}", data={"response": "A"})
    entry = _entry(user.id, a1.id)
    assert entry is not None and entry.active and entry.source == "practice"
    assert entry.due <= utcnow() and due_count(user, utcnow()) == 1
    assert "首问负责制要求" in client.get("/practice/wrong-book").get_data(as_text=True)

    feedback = _review(client, "B")
    assert "错题复习已答对 1 / 2 次" in feedback
    entry = _entry(user.id, a1.id)
    assert entry.right_reviews == 1 and entry.due > utcnow() + timedelta(hours=12)
    # not due yet: reviewing again now is not offered
    early = client.get("/practice/next?mode=review", follow_redirects=True)
    assert "没有到期需要复习的错题" in early.get_data(as_text=True)

    with time_machine.travel(entry.due + timedelta(minutes=1), tick=False):
        feedback = _review(client, "B")
        assert "这道题已移出错题本" in feedback
        assert "错题本是空的" in client.get("/practice/wrong-book").get_data(as_text=True)
    assert _entry(user.id, a1.id).removed_at is not None


def test_a_wrong_review_resets_the_count_and_a_new_mistake_brings_it_back(client, login_as, bank):
    user = login_as("employee")
    a2 = bank["a2"]
    client.post(f"/practice/q/{a2.id}", data={"response": "true"})
    _review(client, "false")
    entry = _entry(user.id, a2.id)
    with time_machine.travel(entry.due + timedelta(minutes=1), tick=False):
        _review(client, "true")
        entry = _entry(user.id, a2.id)
        assert entry.right_reviews == 0 and entry.active and entry.due > utcnow()
    entry.removed_at, entry.right_reviews = utcnow(), 2
    db.session.commit()
    client.post(f"/practice/q/{a2.id}", data={"response": "true"})
    entry = _entry(user.id, a2.id)
    assert entry.active and entry.right_reviews == 0 and entry.due <= utcnow()


def test_right_answers_outside_review_do_not_count(client, login_as, bank):
    user = login_as("employee")
    b1 = bank["b1"]
    client.post(f"/practice/q/{b1.id}", data={"response": ["A"]})
    for _ in range(3):
        client.post(f"/practice/q/{b1.id}?mode=sequential", data={"response": ["A", "C"]})
    entry = _entry(user.id, b1.id)
    assert entry.active and entry.right_reviews == 0
    assert db.session.scalar(select(db.func.count(WrongBookEntry.id))) == 1
