"""Option order in practice: random practice deals a choice question's options anew each time.

Random practice draws questions in no order, so it shuffles the options at every showing too:
the trainee learns the answer, not its letter. Sequential, knowledge-point and wrong-book
practice keep the bank's order, so a question looks as it does in the source paper, the manual
and 背题 mode, which those modes follow.

The order shown — the original labels, displayed as A, B, C… in that order, the same
translation exam attempts use (`training.exams.serialise.label_maps`) — goes back with the
answer form as a signed token naming the question version. The POST translates the labels the
trainee picked with exactly the order they saw; an altered or stale form (the question was
edited meanwhile) is refused. The token holds the order only, nothing about which option is
right, so the page still carries no key.
"""

from __future__ import annotations

import random
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from question_bank.types import get_type
from training.bank.models import QuestionVersion
from training.errors import DomainError
from training.exams.serialise import MarkedOption, label_maps, marked_options, options_in_order

SHUFFLED_MODES = frozenset({"random"})
_SALT = "practice.option-order"


def _labels(version: QuestionVersion) -> list[str]:
    return [option["label"] for option in version.options or []]


def is_shuffled(version: QuestionVersion, mode: str) -> bool:
    return mode in SHUFFLED_MODES and get_type(version.type).choice


def option_order(version: QuestionVersion, mode: str) -> list[str]:
    """The original labels in the order to show them this time."""
    labels = _labels(version)
    if is_shuffled(version, mode):
        random.shuffle(labels)
    return labels


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def sign_order(version: QuestionVersion, order: list[str]) -> str:
    return _serializer().dumps({"version": version.id, "order": order})


def _stale() -> DomainError:
    return DomainError(_("题目已更新，请重新作答。"))


def read_order(token: str, version: QuestionVersion) -> list[str]:
    """The order a form was shown in; DomainError when the token is altered or stale."""
    try:
        data = _serializer().loads(token)
    except BadSignature as error:
        raise _stale() from error
    if not isinstance(data, dict) or data.get("version") != version.id:
        raise _stale()
    order = data.get("order")
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(_labels(version)):
        raise _stale()
    return [str(label) for label in order]


def to_original(response: Any, order: list[str]) -> Any:
    """A normalised choice response in shown labels, in the question's own labels."""
    shown_to_original, _back = label_maps(order)
    picked = [response] if isinstance(response, str) else list(response or [])
    unknown = [label for label in picked if label not in shown_to_original]
    if unknown:
        raise DomainError(_("没有选项 %(labels)s。", labels="".join(unknown)))
    original = sorted(shown_to_original[label] for label in picked)
    return original[0] if isinstance(response, str) else original


def to_shown(value: Any, order: list[str]) -> Any:
    """A stored choice response or key in the labels the trainee saw (`to_original` reversed)."""
    _forward, original_to_shown = label_maps(order)
    labels = [value] if isinstance(value, str) else list(value or [])
    shown = sorted(original_to_shown[label] for label in labels if label in original_to_shown)
    return (shown[0] if shown else value) if isinstance(value, str) else shown


def feedback_options(
    version: QuestionVersion, response: Any, order: list[str] | None
) -> list[MarkedOption]:
    """The options as the trainee saw them when answering, their pick and the key marked.

    `order` is what the answer recorded (None: the bank's order, as unshuffled modes show it).
    """
    order = order or _labels(version)
    return marked_options(
        options_in_order(version.options or [], order),
        to_shown(response, order), to_shown(version.answer, order),
    )
