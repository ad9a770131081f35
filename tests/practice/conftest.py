"""Practice fixtures: a small bank whose category order differs from the order of insertion."""

from __future__ import annotations

from typing import Any

import pytest

from question_bank.model import Option, Question
from training.bank.models import Question as StoredQuestion
from training.bank.services import add_questions, ensure_bank, ensure_category
from training.database import db

SECRET_EXPLANATION = "解析秘密：首问负责制要求负责到底"


def _choice(kind: str, stem: str, answer: list[str], **fields: Any) -> Question:
    options = [Option(label, f"{stem}·选项{label}") for label in "ABCD"]
    return Question(type=kind, stem=stem, options=options, answer=answer, **fields)


@pytest.fixture
def bank(app) -> dict[str, StoredQuestion]:
    """Questions by name: a1, a2 in category 'A、投诉处理'; b1, b2, essay, draft in 'B、服务礼仪'.

    B's questions are added first, so path order (A before B) differs from id order.
    """
    stored_bank = ensure_bank("练习测试题库")
    db.session.flush()
    first = ensure_category(stored_bank, "A、投诉处理")
    second = ensure_category(stored_bank, "B、服务礼仪")
    plain = {
        "b1": (_choice("multiple", "礼貌用语包括（ ）。", ["A", "C"], knowledge_points=["首问负责"]),
               second),
        "b2": (Question(type="fill_blank", stem="接听电话应在铃响____声内。", answer=[["三", "3"]]),
               second),
        "essay": (Question(type="short_answer", stem="简述服务礼仪的要点。", answer="参考答案：微笑"),
                  second),
        "draft": (_choice("single", "没有答案的草稿题。", None), second),
        "a1": (_choice("single", "首问负责制要求（ ）。", ["B"], explanation=SECRET_EXPLANATION,
                       knowledge_points=["首问负责"]), first),
        "a2": (Question(type="true_false", stem="客户情绪激动时应当与其争辩。", answer=False,
                        knowledge_points=["投诉"]), first),
    }
    questions = add_questions(stored_bank, list(plain.values()))
    db.session.commit()
    return dict(zip(plain, questions, strict=True))
