"""Each practice mode picks the right questions: path order, random within scope, knowledge point."""

from __future__ import annotations

from training.database import utcnow
from training.practice.queries import Scope, next_question_id


def _next(client, **args) -> str:
    response = client.get("/practice/next", query_string=args)
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def _question_id(location: str) -> int:
    return int(location.split("/practice/q/")[1].split("?")[0])


def test_sequential_follows_category_path_order_then_ends(client, login_as, bank):
    login_as("employee")
    order = []
    location = _next(client, mode="sequential")
    while "/practice/q/" in location:
        order.append(_question_id(location))
        response = client.get("/practice/next", query_string={"mode": "sequential",
                                                               "after": order[-1]})
        if response.status_code == 200:
            assert "本组题目已经做完了" in response.get_data(as_text=True)
            break
        location = response.headers["Location"]
    assert order == [bank[name].id for name in ("a1", "a2", "b1", "b2")]


def test_sequential_starts_at_the_first_unanswered_question(client, login_as, bank):
    login_as("employee")
    client.post(f"/practice/q/{bank['a1'].id}?mode=sequential", data={"response": "A"})
    assert _question_id(_next(client, mode="sequential")) == bank["a2"].id


def test_sequential_by_category_stays_in_it(client, login_as, bank):
    login_as("employee")
    category = bank["b1"].category_id
    assert _question_id(_next(client, mode="sequential", category=category)) == bank["b1"].id
    location = _next(client, mode="sequential", category=category, after=bank["b1"].id)
    assert _question_id(location) == bank["b2"].id
    assert f"category={category}" in location  # the scope travels with the question


def test_random_picks_only_practisable_questions_of_the_scope(app, bank, make_user):
    user = make_user()
    objective = {bank[name].id for name in ("a1", "a2", "b1", "b2")}
    everywhere = {next_question_id(user, Scope("random"), None, utcnow()) for _ in range(40)}
    assert everywhere <= objective and len(everywhere) > 1
    category_a = Scope("random", category_id=bank["a1"].category_id)
    within = {next_question_id(user, category_a, None, utcnow()) for _ in range(20)}
    assert within == {bank["a1"].id, bank["a2"].id}
    assert {next_question_id(user, category_a, bank["a1"].id, utcnow())
            for _ in range(10)} == {bank["a2"].id}


def test_knowledge_point_mode(client, login_as, bank):
    login_as("employee")
    first = _question_id(_next(client, mode="knowledge", point="首问负责"))
    assert first == bank["a1"].id
    second = _question_id(_next(client, mode="knowledge", point="首问负责", after=first))
    assert second == bank["b1"].id
    done = client.get("/practice/next", query_string={"mode": "knowledge", "point": "首问负责",
                                                       "after": second})
    assert done.status_code == 200 and "本组题目已经做完了" in done.get_data(as_text=True)


def test_subjective_and_draft_questions_are_not_practised_but_memorised(client, login_as, bank):
    login_as("employee")
    assert client.get(f"/practice/q/{bank['essay'].id}").status_code == 404
    assert client.get(f"/practice/q/{bank['draft'].id}").status_code == 404
    memorise = client.get("/practice/memorise").get_data(as_text=True)
    assert "简述服务礼仪的要点" in memorise and "参考答案：微笑" in memorise
    assert "没有答案的草稿题" not in memorise
