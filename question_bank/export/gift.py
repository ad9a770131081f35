"""GIFT export, written so `question_bank.formats.gift` reads it back unchanged.

Carried: type, stem, options, key, explanation (`####`), category (`$CATEGORY:`) and number
(`::title::`, the position when there is none, so no stem can be mistaken for a comment).
Not carried, because GIFT has no place for them: points, difficulty, knowledge points, tags and
the reference answer of subjective questions; short_answer and case become essays. GIFT cannot
mark an objective question as having no key, so such a question is written as a comment naming
it. Several blanks in one stem are written as several `{=...}` blocks, which this importer
reads but Moodle itself does not.
"""

from __future__ import annotations

from question_bank.formats._shared import embed_blanks, moodle_category_path, share_of_100
from question_bank.formats.gift import CATEGORY, escape
from question_bank.model import Question
from question_bank.types import BLANK_MARKER, get_type


def export_gift(questions: list[Question]) -> str:
    """The questions as GIFT text, a `$CATEGORY:` line wherever the category changes."""
    lines = ["// ServiceCoach 导出", ""]
    category: str | None = None
    for position, question in enumerate(questions, 1):
        if question.category != category:
            category = question.category
            lines += [f"{CATEGORY} {moodle_category_path(category)}", ""]
        lines += [_question(question, position), ""]
    return "\n".join(lines)


def _question(question: Question, position: int) -> str:
    if get_type(question.type).objective and question.needs_key:
        stem = " ".join(question.stem.split())
        return f"// 第 {position} 题缺少答案, GIFT 无法表示, 未导出: {stem}"
    title = f"::{escape(question.number or str(position))}::"
    # A stem that itself starts with '[' must not be read as a format marker.
    marker = "[plain]" if question.stem.startswith("[") else ""
    feedback = f" ####{escape(question.explanation)}" if question.explanation else ""
    if question.type == "fill_blank":
        return title + marker + _fill_blank(question, feedback)
    return f"{title}{marker}{escape(question.stem)} {{{_block(question)}{feedback}}}"


def _block(question: Question) -> str:
    """The inside of the answer block of a choice, true/false or subjective question."""
    key = question.answer if isinstance(question.answer, list) else []
    if question.type == "single":
        return " ".join(("=" if o.label in key else "~") + escape(o.text) for o in question.options)
    if question.type == "multiple":
        right = share_of_100(len(key))
        return " ".join(
            f"~%{right if o.label in key else '-100'}%{escape(o.text)}" for o in question.options
        )
    if question.type == "true_false":
        return "TRUE" if question.answer else "FALSE"
    return ""


def _fill_blank(question: Question, feedback: str) -> str:
    """Blocks replace the stem's blank markers; a lone blank ending the stem follows it."""
    answer = question.answer if isinstance(question.answer, list) else []
    blocks = ["{" + " ".join("=" + escape(alt) for alt in blank) + "}" for blank in answer]
    blocks[-1] = blocks[-1][:-1] + feedback + "}"
    lone_blank_at_end = len(blocks) == 1 and not BLANK_MARKER.split(question.stem)[-1].strip()
    embedded = None if lone_blank_at_end else embed_blanks(question.stem, blocks, escape)
    return f"{escape(question.stem)} {' '.join(blocks)}" if embedded is None else embedded
