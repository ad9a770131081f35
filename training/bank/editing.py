"""Between the editor's text fields and the question model: options and answers as plain text.

Trainers type options as lines ("A. 内容") and answers as they appear on paper ("ABD", "对",
one blank per line); the type registry reads and writes those answer texts.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from question_bank.model import Option
from question_bank.model import Question as PlainQuestion
from question_bank.types import OPTION_LABELS, AnswerKind, get_type
from training.bank.models import Question
from training.errors import DomainError
from training.i18n import translate_pure

_OPTION_LINE = re.compile(r"^\s*[(（]?([A-Za-zＡ-Ｚ])[)）]?\s*[.．、:：)）]?\s*(.*)$")
_LIST_SPLIT = re.compile(r"[,，、;；]")


def parse_options(text: str) -> list[Option]:
    """One option per non-empty line; a missing label takes the next letter."""
    options: list[Option] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        match = _OPTION_LINE.match(line)
        if match and match.group(2):
            label = match.group(1).upper().translate(_FULL_WIDTH_LETTERS)
            options.append(Option(label, match.group(2).strip()))
        else:
            options.append(Option(OPTION_LABELS[len(options)], line))
    return options


_FULL_WIDTH_LETTERS = str.maketrans("ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ", OPTION_LABELS)


def split_list(text: str | None) -> list[str]:
    """Tags and knowledge points typed as a comma-separated list."""
    return [item.strip() for item in _LIST_SPLIT.split(text or "") if item.strip()]


def question_from_fields(data: dict[str, Any]) -> PlainQuestion:
    """Build the question the editor describes; DomainError names the field that is wrong."""
    kind = get_type(data["type"])
    answer_text = (data.get("answer") or "").strip()
    try:
        answer = kind.parse_answer(answer_text) if answer_text else None
    except ValueError as error:
        raise DomainError(_("答案: %(error)s", error=translate_pure(str(error)))) from error
    return PlainQuestion(
        type=data["type"],
        stem=(data.get("stem") or "").strip(),
        case_material=(data.get("case_material") or "").strip() or None,
        options=parse_options(data.get("options") or "") if kind.choice else [],
        answer=answer,
        explanation=(data.get("explanation") or "").strip() or None,
        points=float(data.get("points") or 1),
        difficulty=int(data.get("difficulty") or 3),
        category=(data.get("category") or "").strip() or None,
        knowledge_points=split_list(data.get("knowledge_points")),
        tags=split_list(data.get("tags")),
    )


def fields_of(question: Question) -> dict[str, Any]:
    """The editor's field values for a stored question's current version."""
    version = question.current_version
    kind = get_type(version.type)
    return {
        "type": version.type,
        "case_material": version.case_material or "",
        "stem": version.stem,
        "options": "\n".join(f"{o['label']}. {o['text']}" for o in version.options or []),
        "answer": kind.format_answer(version.answer) if version.answer is not None else "",
        "explanation": version.explanation or "",
        "points": version.points,
        "difficulty": version.difficulty,
        "category": question.category.path if question.category else "",
        "knowledge_points": "，".join(question.knowledge_point_names),
        "tags": "，".join(question.tag_names),
        "status": question.status,
    }


def suggested_choices(question: Question) -> set[str]:
    """The choices a draft's stored key already names (one inferred from its explanation at
    import), pre-selected in keying mode for the trainer to confirm."""
    answer = question.current_version.answer
    if isinstance(answer, bool):
        return {"对" if answer else "错"}
    return set(answer) if isinstance(answer, list) else set()


def key_choices(question: Question) -> list[tuple[str, str, str]]:
    """(key to press, answer value, text) for each choice keying mode offers."""
    version = question.current_version
    if get_type(version.type).answer_kind is AnswerKind.BOOL:
        return [("A", "对", _("对")), ("B", "错", _("错"))]
    return [(o["label"], o["label"], o["text"]) for o in version.options or []]
