"""E-mail reminders: off by default; when SMTP is configured, one message per employee whose
certification expires soon or is in progress, caught here by a local SMTP server."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import date
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from tests.certification.certificate_factories import level
from training.certification.lifecycle import Status
from training.certification.models import CertStatus
from training.certification.reminders import remind
from training.database import db

AS_OF = "2026-06-01"


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def inbox(smtp_port) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def app_config(smtp_port):
    return {
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port,
        "MAIL_SENDER": "training@example.com",
        "MAIL_RECIPIENT_FORMAT": "{username}@example.com",
        "PUBLIC_BASE_URL": "https://training.example.com",
    }


def standing(user, cert_level, status: Status, expires_on: date | None = None, met=0, total=0):
    db.session.add(CertStatus(user_id=user.id, level_id=cert_level.id, status=status,
                              expires_on=expires_on, met=met, total=total))
    db.session.commit()


def run(app, *args: str):
    return app.test_cli_runner().invoke(remind, ["--as-of", AS_OF, *args])


def test_expiring_and_in_progress_employees_get_one_message_each(app, make_user, inbox):
    junior, senior = level("junior", "初级客服专员"), level("senior", "高级客服专员")
    expiring = make_user(username="wang", display_name="王芳")
    standing(expiring, junior, Status.EXPIRING, date(2026, 6, 11))
    standing(expiring, senior, Status.IN_PROGRESS, met=2, total=4)
    learner = make_user(username="li", display_name="李雷")
    standing(learner, senior, Status.IN_PROGRESS, met=1, total=3)
    settled = make_user(username="zhao")
    standing(settled, junior, Status.CERTIFIED, date(2026, 12, 1))  # far from expiry
    gone = make_user(username="qian")
    gone.active = False
    standing(gone, junior, Status.EXPIRING, date(2026, 6, 11))
    lapsed = make_user(username="sun")
    standing(lapsed, junior, Status.EXPIRED, date(2026, 5, 1))

    result = run(app)
    assert result.exit_code == 0, result.output
    assert "2 reminder(s) sent" in result.output
    by_address = {message["To"]: message for message in inbox.messages}
    assert sorted(by_address) == ["li@example.com", "wang@example.com"]
    wang = by_address["wang@example.com"]
    assert wang["From"] == "training@example.com"
    assert wang["Subject"] == "认证提醒：2 项需要您关注"
    body = wang.get_content()
    assert "王芳，您好" in body
    assert "「初级客服专员」有效期至 2026-06-10，还剩 10 天" in body
    assert "「高级客服专员」进行中：已满足 2 / 4 项要求" in body
    assert "https://training.example.com/certification/mine" in body


def test_an_english_speaker_is_written_to_in_english(app, make_user, inbox):
    reader = make_user(username="amy", display_name="Amy")
    reader.locale = "en"
    standing(reader, level(), Status.EXPIRING, date(2026, 6, 11))
    assert run(app).exit_code == 0
    (message,) = inbox.messages
    assert "Amy" in message.get_content() and "认证" not in message["Subject"]


def test_a_dry_run_lists_the_messages_and_sends_none(app, make_user, inbox):
    standing(make_user(username="wang"), level(), Status.EXPIRING, date(2026, 6, 11))
    result = run(app, "--dry-run")
    assert result.exit_code == 0 and "wang@example.com" in result.output
    assert inbox.messages == []


class TestOffByDefault:
    @pytest.fixture
    def app_config(self):
        return {}

    def test_without_smtp_settings_nothing_is_sent(self, app, make_user):
        standing(make_user(username="wang"), level(), Status.EXPIRING, date(2026, 6, 11))
        result = run(app)
        assert result.exit_code != 0 and "MAIL_SERVER" in result.output
