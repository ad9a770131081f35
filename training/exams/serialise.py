"""What each audience receives about an attempt: allow-lists, never the model's fields.

An examinee's question carries id, type, stem, options, points and blanks: the key and the
explanation are not in the list, so they cannot leak by accident. Review data joins only when
the exam's review policy allows it (`visibility`). Options may be shown shuffled: the examinee
sees labels A, B, C… in display order, and responses are translated to and from the
question's own labels at this boundary, so stored responses are comparable across attempts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _

from question_bank.types import AnswerKind, get_type, option_label
from training.exams.errors import InvalidResponse
from training.exams.faces import faces
from training.exams.models import Answer, Attempt, AttemptState, Exam, ReviewWhen
from training.exams.shown import ShownQuestion, shown_of, shown_questions
from training.i18n import translate_pure

MAX_TEXT = 20_000


@dataclass(frozen=True)
class Visibility:
    """What the review policy lets the examinee see of a finished attempt, now."""

    score: bool = False
    answers: bool = False
    explanations: bool = False

    @property
    def any(self) -> bool:
        return self.score or self.answers or self.explanations


NOTHING = Visibility()
EVERYTHING = Visibility(True, True, True)


def visibility(exam: Exam, attempt: Attempt, now: datetime, closes_at: datetime) -> Visibility:
    """Nothing before the attempt is finished; afterwards as the exam's policy says.

    `review_when`: immediately (as soon as the attempt is finished), after_close (once the
    examinee's window has closed, so nobody still sitting can be told the key), never.
    """
    if not attempt.finished or exam.review_when == ReviewWhen.NEVER:
        return NOTHING
    if exam.review_when == ReviewWhen.AFTER_CLOSE and now < closes_at:
        return NOTHING
    return Visibility(exam.review_score, exam.review_answers, exam.review_explanations)


def iso(value: datetime | None) -> str | None:
    """Stored naive-UTC time as ISO 8601 with the zone, e.g. 2026-05-01T08:00:00Z."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC, microsecond=0).isoformat().replace("+00:00", "Z")


def label_maps(order: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(shown → original, original → shown) labels for options shown in `order`.

    `order` lists the original labels in the order shown; the shown labels are A, B, C…
    Practice uses the same translation for its shuffled options.
    """
    to_original = {option_label(i): label for i, label in enumerate(order)}
    return to_original, {v: k for k, v in to_original.items()}


def options_in_order(options: list[dict[str, str]], order: list[str]) -> list[dict[str, str]]:
    """The options as shown: relabelled A, B, C… in `order`."""
    text = {o["label"]: o["text"] for o in options}
    to_original, _back = label_maps(order)
    return [{"label": shown, "text": text[original]} for shown, original in to_original.items()]


@dataclass(frozen=True)
class MarkedOption:
    """One option as shown after answering: the examinee's pick, and right when the key shows."""

    label: str
    text: str
    chosen: bool
    correct: bool


def _label_set(value: Any) -> set[str]:
    """Choice labels of a response or key, stored as one label or a list of them."""
    if isinstance(value, str):
        return {value}
    if not isinstance(value, list):  # no response, or a type without options
        return set()
    return {label for label in value if isinstance(label, str)}


def marked_options(
    options: list[dict[str, str]], response: Any, key: Any = None
) -> list[MarkedOption]:
    """Shown options (labels as shown) marked with the response and, when not None, the key.

    Pass the key only when the review policy shows it: without it no option reads as right,
    so a page built from these marks cannot tell a withheld answer.
    """
    chosen, right = _label_set(response), _label_set(key)
    return [
        MarkedOption(o["label"], o["text"], o["label"] in chosen, o["label"] in right)
        for o in options
    ]


def display_options(question: ShownQuestion) -> list[dict[str, str]]:
    if not get_type(question.type).choice:
        return []
    return options_in_order(
        [{"label": label, "text": text} for label, text in question.face.options],
        question.shown_order,
    )


def question_for_examinee(question: ShownQuestion) -> dict[str, Any]:
    """The allow-list of a question during an attempt."""
    return {
        "id": question.question_id,
        "type": question.type,
        "stem": question.face.stem,
        "options": display_options(question),
        "points": question.points,
        "blanks": question.face.blanks,
    }


def to_stored(question: ShownQuestion, raw: Any) -> Any:
    """Check a response from the page or API and translate it to the stored shape.

    Shapes: single ["C"], multiple ["A", "B"], true_false true/false, fill_blank a list of
    strings (one per blank), subjective text; null (or an empty value) clears the answer.
    """
    kind = get_type(question.type)
    try:
        value = kind.normalise_response(raw)
    except ValueError as error:
        raise InvalidResponse("invalid_response", _("答案格式不正确：%(e)s", e=translate_pure(str(error)))) from error
    if kind.choice:
        labels = [] if value is None else [value] if isinstance(value, str) else list(value)
        to_original, _back = label_maps(question.shown_order)
        unknown = [label for label in labels if label not in to_original]
        if unknown:
            raise InvalidResponse(
                "invalid_response", _("没有选项 %(labels)s。", labels="".join(unknown))
            )
        return sorted(to_original[label] for label in labels)
    if kind.answer_kind is AnswerKind.BLANKS:
        if len(value) > question.face.blanks or any(len(v) > MAX_TEXT for v in value):
            raise InvalidResponse("invalid_response", _("填空数量或长度超出范围。"))
        return value
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise InvalidResponse("invalid_response", _("作答内容过长。"))
    return value


def to_display(question: ShownQuestion, stored: Any) -> Any:
    """A stored response (or key) as the examinee sees it: shown labels for choices."""
    if get_type(question.type).choice and isinstance(stored, list):
        _forward, to_shown = label_maps(question.shown_order)
        return sorted(to_shown[label] for label in stored if label in to_shown)
    return stored


def answers_for_examinee(
    questions: list[ShownQuestion], answers: dict[int, Answer]
) -> dict[str, Any]:
    """Saved responses by question id (JSON object keys are strings)."""
    by_question = {q.question_id: q for q in questions}
    return {
        str(qid): to_display(by_question[qid], answer.response)
        for qid, answer in answers.items()
        if qid in by_question and answer.seq > 0
    }


def seqs_of(answers: dict[int, Answer]) -> dict[str, int]:
    return {str(qid): answer.seq for qid, answer in answers.items() if answer.seq > 0}


def examinee_state(attempt: Attempt, now: datetime, seen: Visibility) -> str:
    """The API state: a graded attempt whose score is not yet shown reads 'submitted'."""
    state = attempt.state_at(now)
    if state == AttemptState.GRADED and not seen.score:
        return "submitted"
    return state


def result_for_examinee(attempt: Attempt, seen: Visibility) -> dict[str, Any]:
    """Score fields, only when the policy shows the score and the attempt is graded."""
    if not seen.score or attempt.graded_at is None:
        return {}
    return {
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
    }


def review_for_examinee(
    attempt: Attempt, answers: dict[int, Answer], seen: Visibility,
    withheld: frozenset[int] = frozenset(),
) -> list[dict[str, Any]]:
    """Per question, exactly the review fields the policy allows.

    A question in `withheld` (another exam of the examinee's still hides its key, see
    `training.exams.withheld`) keeps its response and worth only: its key, explanation,
    mark and comment would tell that exam's answer.
    """
    if not seen.any:
        return []
    items = []
    for question in attempt.questions:
        shown = shown_of(question)
        answer = answers.get(question.question_id)
        item: dict[str, Any] = {
            "id": question.question_id,
            "response": to_display(shown, answer.response) if answer else None,
        }
        if seen.score:
            item["max_points"] = question.points
        if question.question_id in withheld:
            items.append(item)
            continue
        if seen.score:
            item["points_awarded"] = answer.points_awarded if answer else None
            item["correct"] = answer.correct if answer else None
            item["comment"] = answer.comment if answer else ""
        if seen.answers:
            item["answer"] = to_display(shown, question.version.answer)
        if seen.explanations:
            item["explanation"] = question.version.explanation
        items.append(item)
    return items


def attempt_for_examinee(
    attempt: Attempt,
    questions: list[ShownQuestion],
    answers: dict[int, Answer],
    now: datetime,
    seen: Visibility,
    withheld: frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """`GET /api/v1/attempts/{id}`: state, saved answers, time left, review when allowed."""
    body: dict[str, Any] = {
        "attempt_id": attempt.id,
        "exam_id": attempt.exam_id,
        "number": attempt.number,
        "state": examinee_state(attempt, now, seen),
        "started_at": iso(attempt.started_at),
        "deadline": iso(attempt.deadline),
        "submitted_at": iso(attempt.submitted_at),
        "finish_reason": attempt.finish_reason,
        "server_time": iso(now),
        "remaining_seconds": attempt.remaining_seconds(now),
        "answers": answers_for_examinee(questions, answers),
        "seqs": seqs_of(answers),
    }
    body.update(result_for_examinee(attempt, seen))
    review = review_for_examinee(attempt, answers, seen, withheld)
    if review:
        body["review"] = review
    return body


def started_for_examinee(
    attempt: Attempt, answers: dict[int, Answer], now: datetime
) -> dict[str, Any]:
    """`POST /api/v1/exams/{id}/attempts`: what the exam page needs to run."""
    questions = shown_questions(attempt.id)
    return {
        "attempt_id": attempt.id,
        "deadline": iso(attempt.deadline),
        "server_time": iso(now),
        "remaining_seconds": attempt.remaining_seconds(now),
        "questions": [question_for_examinee(q) for q in questions],
        "answers": answers_for_examinee(questions, answers),
    }


def drawn_questions_json(rows: list[dict[str, Any]]) -> str:
    """Start's `questions` for a draw that is not an attempt yet (rows as `_draw` makes them).

    `exam prepare` stores this with each prepared draw, so the Start that takes the draw sends
    it as it is: the draw fixes the questions, their frozen versions and their option order.
    """
    by_version = faces(row["version_id"] for row in rows)
    shown = [
        ShownQuestion(0, row["question_id"], row["ordinal"], row["points"], row["section_title"],
                      row["option_order"] or [], by_version[row["version_id"]])
        for row in rows
    ]
    return json.dumps([question_for_examinee(q) for q in shown], ensure_ascii=False,
                      separators=(",", ":"))


def fresh_start_json(attempt: Attempt, questions_json: str, now: datetime) -> str:
    """`started_for_examinee` of an attempt just made from a prepared draw, as JSON text: it
    has no answers yet, and its questions are the draw's stored `questions_json`."""
    head = json.dumps({
        "attempt_id": attempt.id,
        "deadline": iso(attempt.deadline),
        "server_time": iso(now),
        "remaining_seconds": attempt.remaining_seconds(now),
        "answers": {},
    }, separators=(",", ":"))
    return f'{head[:-1]},"questions":{questions_json}}}'


def submitted_for_examinee(attempt: Attempt, now: datetime, seen: Visibility) -> dict[str, Any]:
    """`POST /api/v1/attempts/{id}/submit`: the state, and the score when it may be shown."""
    return {"state": examinee_state(attempt, now, seen), **result_for_examinee(attempt, seen)}


def exam_for_examinee(status: Any, now: datetime) -> dict[str, Any]:
    """One entry of `GET /api/v1/exams`."""
    exam = status.exam
    open_attempt = status.open_attempt
    final = status.shown_final
    return {
        "id": exam.id,
        "title": exam.title,
        "kind": exam.kind,
        "phase": status.phase,
        "opens_at": iso(status.window.opens_at),
        "closes_at": iso(status.window.closes_at),
        "time_limit_minutes": exam.time_limit_minutes,
        "extra_minutes": status.window.extra_minutes,
        "attempts_allowed": exam.attempts_allowed,
        "attempts_used": status.attempts_used,
        "attempts_left": status.attempts_left,
        "requires_password": exam.has_password,
        "open_attempt_id": open_attempt.id if open_attempt else None,
        "remaining_seconds": open_attempt.remaining_seconds(now) if open_attempt else None,
        "result": {"percent": final.percent, "passed": final.passed} if final else None,
        "due_at": iso(status.due_at),
        "overdue": status.overdue_shown,
    }


def page_questions(
    questions: list[ShownQuestion], answers: dict[int, Answer]
) -> list[dict[str, Any]]:
    """The exam page's questions: the examinee allow-list plus place, saved response and seq."""
    items = []
    for question in questions:
        answer = answers.get(question.question_id)
        items.append({
            **question_for_examinee(question),
            "ordinal": question.ordinal,
            "section": question.section_title,
            "response": to_display(question, answer.response) if answer and answer.seq else None,
            "seq": answer.seq if answer else 0,
        })
    return items
