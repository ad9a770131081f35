"""A category includes its subcategories: practising it, and its progress numbers."""

from __future__ import annotations

import pytest

from question_bank.model import Question
from training.bank.services import add_questions, ensure_bank, ensure_category
from training.database import db, utcnow
from training.practice.queries import Scope, next_question_id, progress


@pytest.fixture
def tree(app) -> dict[str, object]:
    """投诉 (1 question) › 电话投诉 (2) › 升级 (1); 投诉-其他 (1) sorts between them by text."""
    bank = ensure_bank("分类练习题库")
    db.session.flush()
    paths = {"parent": "投诉", "child": "投诉/电话投诉", "grandchild": "投诉/电话投诉/升级",
             "sibling": "投诉-其他"}
    categories = {name: ensure_category(bank, path) for name, path in paths.items()}
    placed = [("parent", "p1"), ("child", "c1"), ("child", "c2"), ("grandchild", "g1"),
              ("sibling", "s1")]
    stored = add_questions(bank, [
        (Question(type="true_false", stem=f"{name} 题", answer=True), categories[where])
        for where, name in placed
    ])
    for question in stored:
        question.status = "ready"
    db.session.commit()
    return {"categories": categories,
            "questions": {name: q for (_where, name), q in zip(placed, stored, strict=True)}}


def ids(tree, *names: str) -> set[int]:
    return {tree["questions"][name].id for name in names}


def test_a_category_is_practised_with_everything_below_it(make_user, tree):
    user = make_user()
    parent = Scope("random", category_id=tree["categories"]["parent"].id)
    drawn = {next_question_id(user, parent, None, utcnow()) for _ in range(60)}
    assert drawn == ids(tree, "p1", "c1", "c2", "g1")  # not the sibling 投诉-其他
    child = Scope("sequential", category_id=tree["categories"]["child"].id)
    assert next_question_id(user, child, None, utcnow()) in ids(tree, "c1", "c2", "g1")


def test_progress_is_a_tree_counting_subcategories(client, login_as, tree):
    user = login_as("employee")
    for name in ("c1", "g1"):
        client.post(f"/practice/q/{tree['questions'][name].id}", data={"response": "true"})
    client.post(f"/practice/q/{tree['questions']['g1'].id}", data={"response": "false"})
    rows = progress(user, utcnow())
    assert [(r.path, r.depth) for r in rows] == [
        ("投诉", 0), ("投诉/电话投诉", 1), ("投诉/电话投诉/升级", 2), ("投诉-其他", 0),
    ]
    by_path = {r.path: r for r in rows}
    top, middle, leaf = by_path["投诉"], by_path["投诉/电话投诉"], by_path["投诉/电话投诉/升级"]
    assert (top.total, top.done, top.answers, top.right) == (4, 2, 3, 2)
    assert (middle.total, middle.done, middle.accuracy) == (3, 2, 66.7)
    assert (leaf.total, leaf.done, leaf.name) == (1, 1, "升级")
    home = client.get("/practice/").get_data(as_text=True)
    assert "已做 2 / 4 题" in home and "已做 2 / 3 题" in home and 'data-depth="2"' in home
