"""An objective exam four people sat and one did not, for the report tests."""

from __future__ import annotations

import pytest

from question_bank.types import option_label
from tests.exams.helpers import sit_exam
from training.database import db
from training.exams.attempts import start_or_resume
from training.exams.models import Attempt

ONE, TWO = "测试公司/客服中心/一组", "测试公司/客服中心/二组"
CENTRE = "测试公司/客服中心"


def shown(attempt: Attempt, ordinal: int, originals: list[str]) -> list[str]:
    """The labels the examinee clicks to choose these bank labels in a shuffled attempt."""
    order = attempt.questions[ordinal - 1].option_order
    return [option_label(order.index(label)) for label in originals] if order else originals


@pytest.fixture
def sitting(make_exam, make_user, objective_only):
    """A 7-point objective exam (single 2, multiple 2 with partial credit, true/false 1, blanks
    2), pass mark 40 %, options shuffled. Four examinees sat it, one assigned has not:

        who          dept  single   multiple      t/f    score  percent
        leader       一组  B (2)    A C (2)       F (1)  5      71.43  pass
        partial      一组  A (0)    A (1)         F (1)  2      28.57
        wrong        二组  B (2)    A B (0)       T (0)  2      28.57
        late         二组  C (0)    A C (2)       F (1)  3      42.86  pass
        absent       二组  —
    """
    exam = make_exam(pass_mark=40, multiple_rule="partial", shuffle_options=True)
    people = {
        "leader": make_user(display_name="组长甲", department_path=ONE, position="组长"),
        "partial": make_user(display_name="员工乙", department_path=ONE),
        "wrong": make_user(display_name="员工丙", department_path=TWO),
        "late": make_user(display_name="员工丁", department_path=TWO),
        "absent": make_user(display_name="缺考戊", department_path=TWO),
    }
    answers = {"leader": (["B"], ["A", "C"], False), "partial": (["A"], ["A"], False),
               "wrong": (["B"], ["A", "B"], True), "late": (["C"], ["A", "C"], False)}
    for name, (single, multiple, true_false) in answers.items():
        attempt = start_or_resume(people[name], exam.id)
        sit_exam(exam, people[name], {1: shown(attempt, 1, single),
                                      2: shown(attempt, 2, multiple), 3: true_false})
    db.session.commit()
    return exam, people
