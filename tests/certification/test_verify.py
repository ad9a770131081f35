"""The public verify page and API: the verdict, the level, a masked name and the dates, and
nothing else; every code that names no certificate gets the same answer."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from tests.certification.certificate_factories import certificate
from training.certification.codes import format_code
from training.certification.verification import mask_name

TODAY = "2026-06-01 04:00:00+00:00"  # noon in Shanghai


@pytest.fixture
def holder(make_user):
    return make_user(display_name="张三明", employee_no="E7788")


def page(client, code):
    response = client.get(f"/verify/{code}")
    return response.status_code, response.get_data(as_text=True)


def main_part(text: str) -> str:
    """What the page says (the chrome around it carries the path, for the language switch)."""
    return text[text.index("<main"):text.index("</main>")]


def api(client, code):
    response = client.get(f"/api/v1/verify/{code}")
    return response.status_code, response.get_json()


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三明", "张*明"), ("欧阳志明", "欧**明"), ("张三", "张*"), ("张", "张"),
     ("John Smith", "J***h"), ("Al", "A*"), (" 李四 ", "李*")],
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked


@time_machine.travel(TODAY, tick=False)
def test_a_valid_certificate_shows_only_status_level_masked_name_and_dates(client, holder):
    cert = certificate(holder, issued_on=date(2026, 1, 10), expires_on=date(2027, 1, 10))
    status, text = page(client, cert.code)
    assert status == 200
    assert 'data-status="valid"' in text and "初级客服专员" in text and "张*明" in text
    assert "2026-01-10" in text and "2027-01-09" in text  # 有效期至: the last valid day
    assert "张三明" not in text and "E7788" not in text and holder.username not in text
    status, body = api(client, cert.code)
    assert status == 200
    assert body == {"status": "valid", "level": "初级客服专员", "holder": "张*明",
                    "issued_on": "2026-01-10", "expires_on": "2027-01-10"}


@time_machine.travel(TODAY, tick=False)
def test_a_certificate_that_never_expires_says_so(client, holder):
    cert = certificate(holder, expires_on=None)
    assert "长期有效" in page(client, cert.code)[1]
    assert api(client, cert.code)[1]["expires_on"] is None


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("expires_on", "expected"),
    [(date(2026, 6, 2), "valid"), (date(2026, 6, 1), "expired"), (date(2026, 5, 31), "expired")],
)
def test_a_certificate_expires_on_its_expiry_day(client, holder, expires_on, expected):
    cert = certificate(holder, expires_on=expires_on)
    assert f'data-status="{expected}"' in page(client, cert.code)[1]
    assert api(client, cert.code)[1]["status"] == expected


@time_machine.travel(TODAY, tick=False)
def test_a_revoked_certificate_says_revoked_even_before_its_expiry(client, holder):
    cert = certificate(holder, revoked_on=date(2026, 3, 1), revoked_reason="考试作弊")
    status, text = page(client, cert.code)
    assert status == 200 and 'data-status="revoked"' in text
    assert "考试作弊" not in text
    assert api(client, cert.code)[1]["status"] == "revoked"


def test_the_code_reads_in_any_case_with_or_without_dashes(client, holder):
    cert = certificate(holder)
    for typed in (cert.code, cert.code.lower(), format_code(cert.code), format_code(cert.code).lower()):
        assert api(client, typed)[0] == 200, typed


def test_unknown_and_malformed_codes_get_one_and_the_same_not_found(client, holder):
    cert = certificate(holder)
    unknown = ("0" if cert.code[0] != "0" else "1") + cert.code[1:]
    answers = [page(client, code) for code in (unknown, "abc", "X" * 200, "%E5%BC%A0")]
    assert {status for status, _text in answers} == {404}
    assert len({main_part(text) for _status, text in answers}) == 1
    assert "未找到该证书" in answers[0][1]
    json_answers = [api(client, code) for code in (unknown, "abc", "X" * 200)]
    assert json_answers == [(404, {"error": "not_found", "message": "未找到该证书。"})] * 3


def test_verification_needs_no_sign_in_and_shows_the_same_to_a_signed_in_colleague(
    client, login_as, holder
):
    cert = certificate(holder)
    anonymous = api(client, cert.code)
    login_as("employee")
    assert api(client, cert.code) == anonymous


class TestLookupLimit:
    @pytest.fixture
    def app_config(self):
        return {"VERIFY_LOOKUPS_PER_ADDRESS": "3 per minute"}

    def test_one_address_gets_a_few_lookups_a_minute_page_and_api_together(self, client, holder):
        cert = certificate(holder)
        statuses = [
            client.get(f"/verify/{cert.code}").status_code,
            client.get(f"/api/v1/verify/{cert.code}").status_code,
            client.get("/verify/nonsense").status_code,
            client.get(f"/verify/{cert.code}").status_code,
        ]
        assert statuses == [200, 200, 404, 429]
        refused = client.get(f"/api/v1/verify/{cert.code}")
        assert refused.status_code == 429 and refused.get_json()["error"] == "too_many_requests"
        other = client.get(f"/api/v1/verify/{cert.code}", environ_base={"REMOTE_ADDR": "10.9.8.7"})
        assert other.status_code == 200
