"""Each question type declares what it can do, so the app asks the type instead of its name."""

from __future__ import annotations

import pytest

from question_bank.types import (
    CAPABILITIES,
    AnswerKind,
    QuestionType,
    all_types,
    capability_table,
    lookup_type,
    register,
    type_names,
)


@pytest.mark.parametrize("kind", all_types(), ids=lambda kind: kind.name)
def test_every_registered_type_declares_every_capability(kind):
    for capability, value_type in CAPABILITIES.items():
        assert isinstance(getattr(kind, capability, None), value_type), capability


@pytest.mark.parametrize("kind", all_types(), ids=lambda kind: kind.name)
def test_capabilities_agree_with_each_other(kind):
    assert kind.choice == (kind.answer_kind in (AnswerKind.CHOICE, AnswerKind.MULTI))
    assert kind.objective == (kind.answer_kind is not AnswerKind.TEXT)
    assert not kind.keyable or kind.objective


def test_a_type_that_leaves_a_capability_out_is_refused_and_registers_nothing():
    class Half(QuestionType):
        name = "half_probe"
        label = "半成品题"
        answer_kind = AnswerKind.TEXT
        objective = False
        keyable = False
        choice = False
        case_material = False

    with pytest.raises(TypeError, match="partial_credit"):
        register(Half)
    assert lookup_type("half_probe") is None


def test_queries_select_types_by_capability():
    assert type_names(objective=True) == ("single", "multiple", "true_false", "fill_blank")
    assert type_names(keyable=True) == ("single", "multiple", "true_false")
    assert type_names(choice=True) == ("single", "multiple")
    assert type_names(objective=True, partial_credit=True) == ("multiple", "fill_blank")
    assert type_names(case_material=True) == ("case",)
    with pytest.raises(KeyError, match="scoreable"):
        type_names(scoreable=True)


def test_the_capability_table_is_plain_values_for_the_editor_page():
    table = capability_table()
    assert table["true_false"] == {
        "answer_kind": "bool", "objective": True, "keyable": True, "choice": False,
        "partial_credit": False, "case_material": False,
    }
    assert set(table) == {kind.name for kind in all_types()}
