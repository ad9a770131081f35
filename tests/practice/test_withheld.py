"""Practice never tells an examinee the key of a question an exam of theirs still hides.

The bank's a1 (single, with SECRET_EXPLANATION) and a2 (true/false) sit in the formal exam's
fixed paper; b1 and b2 do not. An employee with an open formal attempt must not see a1/a2 in
背题, in any practice mode, in the wrong book or favourites, nor get a verdict on them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from tests.practice.conftest import SECRET_EXPLANATION
from training.bank.models import Question
from training.database import db, utcnow
from training.exams.attempts import start_or_resume, submit
from training.exams.models import Attempt, Exam
from training.exams.services import ExamSettings, assign_exam, create_exam
from training.papers.models import Paper
from training.papers.services import SectionValues, add_questions, add_section, create_paper
from training.people.audience import targets
from training.people.services import ensure_department
from training.practice.models import PracticeAnswer
from training.practice.queries import Scope, knowledge_points, next_question_id
from training.practice.services import answer_question, toggle_favourite

A1_STEM = "首问负责制要求（ ）。"
A2_STEM = "客户情绪激动时应当与其争辩。"


def fixed_paper(questions: list[Question]) -> Paper:
    paper = create_paper("正式考试试卷", "", "fixed", questions[0].bank, actor=None)
    db.session.flush()
    add_questions(paper.sections[0], questions, actor=None)
    return paper


def rule_paper(bank_of: Question, kind: str) -> Paper:
    paper = create_paper("抽题试卷", "", "rules", bank_of.bank, actor=None)
    db.session.flush()
    add_section(paper, SectionValues(title="单选题", type=kind, count=1, points_each=2.0),
                actor=None)
    return paper


@pytest.fixture
def exam_on(app) -> Callable[..., Exam]:
    """Factory: exam_on(paper, **settings) → an exam open now for the whole test company."""

    def factory(paper: Paper, **settings: Any) -> Exam:
        now = utcnow()
        values: dict[str, Any] = {
            "paper_id": paper.id, "title": "客户服务管理正式考试", "kind": "formal",
            "opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=1),
            "time_limit_minutes": 60, "attempts_allowed": 1, "review_when": "after_close",
            "review_answers": True, "review_explanations": True,
        }
        values.update(settings)
        exam = create_exam(ExamSettings(**values), actor=None)
        db.session.flush()
        assign_exam(exam, targets([ensure_department("测试公司").id], [], []), actor=None)
        db.session.commit()
        return exam

    return factory


@pytest.fixture
def formal(bank, exam_on) -> Exam:
    return exam_on(fixed_paper([bank["a1"], bank["a2"]]))


@pytest.fixture
def sitting(client, login_as, formal):
    """An employee signed in, with an open attempt at the formal exam."""
    user = login_as("employee")
    start_or_resume(user, formal.id)
    db.session.commit()
    return user


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def after_close(exam: Exam):
    return time_machine.travel(exam.closes_at + timedelta(minutes=1), tick=False)


def submit_open_attempt(user) -> None:
    attempt = db.session.scalar(select(Attempt).filter_by(user_id=user.id))
    submit(attempt)
    db.session.commit()


def test_memorise_hides_the_open_exam_and_shows_it_again_after_the_close(client, sitting, formal, bank):
    page = html(client.get("/practice/memorise"))
    assert SECRET_EXPLANATION not in page and A1_STEM not in page and A2_STEM not in page
    assert "礼貌用语包括" in page  # b1 is in no exam
    assert "有 2 道题属于您尚未结束的考试" in page
    submit_open_attempt(sitting)
    assert SECRET_EXPLANATION not in html(client.get("/practice/memorise"))  # reviewed after close
    with after_close(formal):
        page = html(client.get("/practice/memorise"))
    assert SECRET_EXPLANATION in page and A2_STEM in page


def test_an_exam_assigned_but_not_yet_taken_or_open_withholds_too(client, login_as, bank, exam_on):
    user = login_as("employee")
    soon = utcnow() + timedelta(days=2)
    exam_on(fixed_paper([bank["a1"]]), opens_at=soon, closes_at=soon + timedelta(hours=2))
    assert SECRET_EXPLANATION not in html(client.get("/practice/memorise"))
    assert next_question_id(user, Scope("knowledge", point="首问负责"), None, utcnow()) == bank["b1"].id


def test_no_practice_mode_draws_a_withheld_question(sitting, bank):
    now, withheld = utcnow(), {bank["a1"].id, bank["a2"].id}
    assert {next_question_id(sitting, Scope("random"), None, now) for _ in range(30)} <= {
        bank["b1"].id, bank["b2"].id}
    seen, after = [], None
    while (after := next_question_id(sitting, Scope("sequential"), after, now)) is not None:
        seen.append(after)
    assert seen == [bank["b1"].id, bank["b2"].id]
    assert next_question_id(sitting, Scope("knowledge", point="首问负责"), None, now) == bank["b1"].id
    assert next_question_id(sitting, Scope("knowledge", point="投诉"), None, now) is None
    category_a = Scope(category_id=bank["a1"].category_id)
    assert next_question_id(sitting, category_a, None, now) not in withheld


def test_the_practice_home_lists_no_withheld_category_and_says_why(client, sitting, bank):
    page = html(client.get("/practice/"))
    assert "A、投诉处理" not in page and "B、服务礼仪" in page
    assert knowledge_points(sitting, utcnow()) == [("首问负责", 1)]  # b1's; 投诉 was a2's only
    assert 'data-testid="withheld-note"' in page and "有 2 道题属于您尚未结束的考试" in page


def test_answering_a_withheld_question_is_refused_without_a_verdict(client, sitting, bank):
    a1 = bank["a1"]
    refused = client.post(f"/practice/q/{a1.id}?mode=sequential", data={"response": "B"})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/practice/")
    page = html(client.get("/practice/"))
    assert "考试结束并公布答案前不能练习" in page
    assert db.session.scalar(select(PracticeAnswer.id)) is None
    shown = client.get(f"/practice/q/{a1.id}", follow_redirects=True)
    assert "考试结束并公布答案前不能练习" in html(shown) and A1_STEM not in html(shown)


def test_an_earlier_feedback_page_no_longer_shows_the_key(client, login_as, bank, exam_on):
    user = login_as("employee")
    given = answer_question(user, bank["a1"], "A", "sequential")
    db.session.commit()
    assert SECRET_EXPLANATION in html(client.get(f"/practice/answers/{given.id}"))
    formal = exam_on(fixed_paper([bank["a1"]]))
    start_or_resume(user, formal.id)
    db.session.commit()
    refused = client.get(f"/practice/answers/{given.id}", follow_redirects=True)
    assert SECRET_EXPLANATION not in html(refused) and "不能练习或查看答案" in html(refused)


def test_the_wrong_book_and_favourites_keep_withheld_questions_out_of_sight(
    client, login_as, bank, exam_on
):
    user = login_as("employee")
    answer_question(user, bank["a1"], "A", "sequential")  # wrong: into the book
    answer_question(user, bank["b1"], ["A"], "sequential")  # wrong too
    toggle_favourite(user, bank["a1"])
    db.session.commit()
    formal = exam_on(fixed_paper([bank["a1"]]))
    start_or_resume(user, formal.id)
    db.session.commit()
    book = html(client.get("/practice/wrong-book"))
    assert f'data-question-id="{bank["b1"].id}"' in book
    assert f'data-question-id="{bank["a1"].id}"' not in book and "复习到期错题（1）" in book
    assert next_question_id(user, Scope("review"), None, utcnow()) == bank["b1"].id
    assert f'data-question-id="{bank["a1"].id}"' not in html(client.get("/practice/favourites"))
    submit_open_attempt(user)
    with after_close(formal):
        assert f'data-question-id="{bank["a1"].id}"' in html(client.get("/practice/wrong-book"))
        assert f'data-question-id="{bank["a1"].id}"' in html(client.get("/practice/favourites"))


def test_a_rule_paper_withholds_what_its_sections_could_draw(client, login_as, bank, exam_on):
    login_as("employee")
    exam_on(rule_paper(bank["a1"], "single"))
    page = html(client.get("/practice/memorise"))
    assert A1_STEM not in page and A2_STEM in page  # a2 is true/false: no section draws it


def test_after_the_close_only_questions_whose_answers_stay_hidden_stay_withheld(
    client, login_as, bank, exam_on
):
    user = login_as("employee")
    never = exam_on(fixed_paper([bank["a1"]]), review_answers=False, review_explanations=False)
    exam_on(rule_paper(bank["a1"], "true_false"), title="另一场考试", review_answers=False)
    attempt = start_or_resume(user, never.id)
    submit(attempt)
    db.session.commit()
    with after_close(never):
        page = html(client.get("/practice/memorise"))
    # a1 was asked and its answer is never shown; a2 was only in a pool nobody drew it from
    assert A1_STEM not in page and A2_STEM in page


def test_a_mock_that_gives_its_key_away_on_demand_withholds_nothing(client, login_as, bank, exam_on):
    login_as("employee")
    exam_on(fixed_paper([bank["a1"]]), kind="mock", attempts_allowed=None,
            review_when="immediately")
    assert SECRET_EXPLANATION in html(client.get("/practice/memorise"))


def test_exams_of_other_people_withhold_nothing(client, login_as, bank, exam_on, make_user):
    formal = exam_on(fixed_paper([bank["a1"]]))
    start_or_resume(make_user(), formal.id)
    db.session.commit()
    login_as("employee", department_path="其他公司/客服组")
    assert SECRET_EXPLANATION in html(client.get("/practice/memorise"))


def test_practice_pages_cost_the_same_queries_however_many_exams(
    client, login_as, bank, exam_on, count_queries
):
    login_as("employee")
    exam_on(fixed_paper([bank["a1"]]))
    with count_queries() as one:
        html(client.get("/practice/"))
        html(client.get("/practice/memorise"))
    for n in range(3):
        exam_on(rule_paper(bank["a1"], "single"), title=f"考试{n}")
    with count_queries() as four:
        html(client.get("/practice/"))
        html(client.get("/practice/memorise"))
    assert four.count == one.count
