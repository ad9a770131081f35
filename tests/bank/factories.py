"""Plain questions for the bank's tests, built without any importer."""

from __future__ import annotations

from question_bank.model import Option, Question, Source


def single(stem: str, answer: str | None = "A", line: int | None = None, **fields) -> Question:
    return Question(
        type="single",
        stem=stem,
        options=[Option(label, f"{stem}·选项{label}") for label in "ABCD"],
        answer=[answer] if answer else None,
        source=Source("试卷.txt", line),
        **fields,
    )
