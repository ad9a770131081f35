"""Text that a spreadsheet would run as a formula is written guarded and read back unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from question_bank.cells import guard_formula, text_cells, unguard_formula


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+86 400", "'+86 400"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("'=1", "''=1"),  # already looks guarded: guarded again, so it reads back as written
        ("客户=上帝", "客户=上帝"),
        ("'引号", "'引号"),
        ("", ""),
    ],
)
def test_formula_starts_get_the_guard(text, written):
    assert guard_formula(text) == written
    assert unguard_formula(written) == text


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab"), max_size=8) | st.text())
def test_unguard_gives_back_exactly_what_was_guarded(text):
    assert unguard_formula(guard_formula(text)) == text


def test_rows_guard_text_and_keep_other_values():
    assert text_cells(["=x", 3, None, -2.5, "张三"]) == ["'=x", 3, None, -2.5, "张三"]
