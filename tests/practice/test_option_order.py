"""Random practice shuffles a choice question's options per showing; other modes keep the order."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.practice.conftest import SECRET_EXPLANATION
from training.database import db
from training.practice.models import PracticeAnswer

OPTION = re.compile(
    r'name="response" value="([A-D])" id="opt-\1">\s*<label[^>]*><span class="sc-option-label">\1</span> '
    r"[^<]*·选项([A-D])</label>"
)


def shown(html: str) -> dict[str, str]:
    """Shown label → the option's own label (the fixture's option texts end in ·选项X)."""
    return dict(OPTION.findall(html))


def token(html: str) -> str | None:
    found = re.search(r'name="order" value="([^"]+)"', html)
    return found.group(1) if found else None


def test_random_practice_shows_options_in_a_new_order_each_time(client, login_as, bank):
    login_as("employee")
    url = f"/practice/q/{bank['b1'].id}?mode=random"
    orders = set()
    for _ in range(12):
        html = client.get(url).get_data(as_text=True)
        mapping = shown(html)
        assert sorted(mapping) == ["A", "B", "C", "D"] == sorted(mapping.values())
        orders.add(tuple(mapping[label] for label in "ABCD"))
        assert token(html) and "随机练习中选项顺序每次打乱" in html
        assert SECRET_EXPLANATION not in html and "sc-correct" not in html
    assert len(orders) > 1


def test_shown_labels_are_scored_as_the_options_they_stood_for(client, login_as, bank):
    user = login_as("employee")
    a1 = bank["a1"]  # single, key B
    html = client.get(f"/practice/q/{a1.id}?mode=random").get_data(as_text=True)
    mapping = shown(html)
    right = next(label for label, original in mapping.items() if original == "B")
    wrong = next(label for label, original in mapping.items() if original != "B")
    for picked in (right, wrong):
        client.post(f"/practice/q/{a1.id}?mode=random",
                    data={"response": picked, "order": token(html)})
    given = db.session.scalars(select(PracticeAnswer).where(PracticeAnswer.user_id == user.id)
                               .order_by(PracticeAnswer.id)).all()
    assert [(g.response, g.correct) for g in given] == [("B", True), (mapping[wrong], False)]


def test_multiple_choice_labels_are_translated_too(client, login_as, bank):
    login_as("employee")
    b1 = bank["b1"]  # multiple, key A+C
    html = client.get(f"/practice/q/{b1.id}?mode=random").get_data(as_text=True)
    picked = [label for label, original in shown(html).items() if original in ("A", "C")]
    response = client.post(f"/practice/q/{b1.id}?mode=random",
                           data={"response": picked, "order": token(html)})
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "回答正确" in feedback
    assert 'data-testid="shown-order-note"' in feedback
    assert marks(feedback) == [(label, label in picked, label in picked) for label in "ABCD"]


MARK = re.compile(
    r'<li class="[^"]*"\s+data-label="([A-D])" data-chosen="(true|false)" data-correct="(true|false)">'
    r"\s*<span class=\"sc-option-label\">\1</span> [^<]*·选项([A-D])"
)


def marks(html: str) -> list[tuple[str, bool, bool]]:
    """The feedback's options in page order: (label shown, picked, right)."""
    return [(label, chosen == "true", right == "true")
            for label, chosen, right, _original in MARK.findall(html)]


def test_feedback_shows_the_answer_in_the_labels_and_order_the_trainee_saw(
    client, login_as, bank
):
    login_as("employee")
    a1 = bank["a1"]  # single, key B
    html = client.get(f"/practice/q/{a1.id}?mode=random").get_data(as_text=True)
    mapping = shown(html)
    while mapping["A"] == "B":  # the first shown option must be a wrong one for this test
        html = client.get(f"/practice/q/{a1.id}?mode=random").get_data(as_text=True)
        mapping = shown(html)
    response = client.post(f"/practice/q/{a1.id}?mode=random",
                           data={"response": "A", "order": token(html)})
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    right = next(label for label, original in mapping.items() if original == "B")
    assert "回答错误" in feedback
    assert re.search(r'data-testid="your-answer">A<', feedback)  # not the bank's letter
    assert re.search(rf'data-testid="correct-answer">{right}<', feedback)
    # the options in the order shown, each with the text it had, the click and the key marked
    assert [original for *_rest, original in MARK.findall(feedback)] == [
        mapping[label] for label in "ABCD"
    ]
    assert marks(feedback) == [(label, label == "A", label == right) for label in "ABCD"]
    assert feedback.count('data-testid="chosen-mark"') == 1


def test_unshuffled_feedback_marks_the_pick_in_the_bank_order(client, login_as, bank):
    login_as("employee")
    a1 = bank["a1"]
    response = client.post(f"/practice/q/{a1.id}?mode=sequential", data={"response": "C"})
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    assert marks(feedback) == [(label, label == "C", label == "B") for label in "ABCD"]
    assert 'data-testid="shown-order-note"' not in feedback


def test_an_altered_or_foreign_order_is_refused(client, login_as, bank):
    login_as("employee")
    a1, b1 = bank["a1"], bank["b1"]
    other = token(client.get(f"/practice/q/{b1.id}?mode=random").get_data(as_text=True))
    html = client.get(f"/practice/q/{a1.id}?mode=random").get_data(as_text=True)
    forged = token(html)[:-2] + ("AA" if not token(html).endswith("AA") else "BB")
    for bad in (other, forged):
        response = client.post(f"/practice/q/{a1.id}?mode=random",
                               data={"response": "A", "order": bad}, follow_redirects=True)
        assert "题目已更新，请重新作答" in response.get_data(as_text=True)
    assert db.session.scalar(select(PracticeAnswer)) is None


def test_sequential_practice_keeps_the_bank_order(client, login_as, bank):
    login_as("employee")
    html = client.get(f"/practice/q/{bank['b1'].id}?mode=sequential").get_data(as_text=True)
    assert shown(html) == {label: label for label in "ABCD"}
    assert token(html) is None and "选项顺序每次打乱" not in html
