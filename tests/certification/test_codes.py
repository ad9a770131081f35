"""Verification codes: 100 random bits, grouped for reading aloud, read back however typed, and
never shared by two certificates (a collision draws again)."""

from __future__ import annotations

from itertools import chain, repeat

from sqlalchemy import select

from tests.certification.conftest import today
from training.certification import codes, rules
from training.certification.models import Certificate
from training.certification.services import award_manually
from training.database import db, utcnow


def test_a_code_is_twenty_crockford_characters_grouped_by_four():
    code = codes.new_code()
    assert len(code) == 20 and set(code) <= set(codes.ALPHABET)  # 20 × 5 = 100 bits
    assert len({codes.new_code() for _ in range(1000)}) == 1000
    shown = codes.format_code("ABCD1234EFGH5678JKMN")
    assert shown == "ABCD-1234-EFGH-5678-JKMN"
    assert codes.normalise(shown) == "ABCD1234EFGH5678JKMN"


def test_typed_codes_are_read_back_with_the_usual_confusions():
    assert codes.normalise(" abcd 1234-efgh-5678-jkmn ") == "ABCD1234EFGH5678JKMN"
    assert codes.normalise("O0I1L-" + "2" * 15) == "00111" + "2" * 15
    assert codes.normalise("ABCD") is None  # too short
    assert codes.normalise("U" * 20) is None  # no reading for U
    assert codes.normalise("不是代码") is None


def test_a_code_already_taken_is_drawn_again(make_level, make_user, monkeypatch):
    level = make_level(rules.MinimumTenure(0), validity_months=12)
    first = award_manually(make_user(), level, "互认", actor=None, as_of=today(), now=utcnow())
    db.session.commit()
    draws = chain([first.code], repeat("Z" * 20))
    monkeypatch.setattr("training.certification.services.new_code", lambda: next(draws))
    second = award_manually(make_user(), level, "互认", actor=None, as_of=today(), now=utcnow())
    db.session.commit()
    assert second.code == "Z" * 20
    assert len(set(db.session.scalars(select(Certificate.code)))) == 2
