"""Questions of each type in a bank, for paper tests."""

from __future__ import annotations

from question_bank.model import Option, Question
from training.bank.models import Question as BankQuestion
from training.bank.models import QuestionBank
from training.bank.services import add_questions, ensure_category, set_status

ANSWERS = {"single": ["A"], "multiple": ["A", "C"], "true_false": True}


def plain(qtype: str, stem: str, keyed: bool = True, **fields) -> Question:
    options = [Option(label, f"{stem}·选项{label}") for label in "ABCD"] if qtype != "true_false" else []
    return Question(type=qtype, stem=stem, options=options,
                    answer=ANSWERS[qtype] if keyed else None, **fields)


def fill(bank: QuestionBank, qtype: str, count: int, *, category: str | None = None,
         keyed: bool = True, status: str | None = None, prefix: str = "", **fields) -> list[BankQuestion]:
    """Add `count` questions of `qtype` (ready when keyed, else drafts) and return them."""
    place = ensure_category(bank, category) if category else None
    stems = [f"{prefix or qtype}第{n}题：客户来电投诉时应当怎样处理" for n in range(1, count + 1)]
    questions = add_questions(bank, [(plain(qtype, stem, keyed, **fields), place) for stem in stems])
    for question in questions if status else []:
        set_status(question, status)
    return questions
