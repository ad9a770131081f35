"""An exam's network restriction believes X-Forwarded-For only from the configured proxies."""

from __future__ import annotations

import pytest

from tests.helpers import api_login, bearer

PROXY = "10.0.0.1"
EXAM_ROOM = "192.168.1.5"
OUTSIDE = "203.0.113.9"


@pytest.fixture
def app_config():
    return {"PROXY_HOPS": 1, "TRUSTED_PROXIES": f"{PROXY}, 10.9.0.0/16"}


@pytest.fixture
def start_from(client, make_user, make_exam):
    """Start the exam room's exam from a peer address, claiming to forward for the exam room."""
    exam = make_exam(allowed_networks="192.168.1.0/24")
    token = api_login(client, make_user())

    def post(peer: str):
        return client.post(
            f"/api/v1/exams/{exam.id}/attempts",
            headers={**bearer(token), "X-Forwarded-For": EXAM_ROOM},
            environ_base={"REMOTE_ADDR": peer},
        )

    return post


def test_a_forged_forwarded_for_from_outside_does_not_pass_the_network_check(start_from):
    response = start_from(OUTSIDE)
    assert response.status_code == 403
    assert response.get_json()["error"] == "network_not_allowed"


@pytest.mark.parametrize("proxy", [PROXY, "10.9.4.2"])
def test_the_trusted_proxys_forwarded_for_is_the_client_address(start_from, proxy):
    assert start_from(proxy).status_code == 200


def test_a_bad_trusted_proxies_entry_stops_the_app(tmp_path):
    from training import create_app

    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        create_app({"PROXY_HOPS": 1, "TRUSTED_PROXIES": "10.0.0.0/33",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
