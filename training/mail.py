"""E-mail, sent only where an operator configured an SMTP server (SMTP_HOST); off by default.

An install without a mail server must work just the same: `send_mail` then sends nothing and
says so, and every feature that mails keeps its result on a page as well.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


@dataclass(frozen=True)
class Mail:
    """One message: recipients, subject, plain-text body, attachments (filename, data, type)."""

    to: Sequence[str]
    subject: str
    body: str
    attachments: Sequence[tuple[str, bytes, str]] = ()


def send_mail(
    recipients: Sequence[str],
    subject: str,
    body: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> bool:
    """Send one message; False when mail is not configured (or nobody to send to)."""
    return send_mails([Mail(recipients, subject, body, attachments)]) > 0


def send_mails(mails: Sequence[Mail]) -> int:
    """Send the messages over one SMTP connection; how many were sent (0 when not configured)."""
    mails = [mail for mail in mails if mail.to]
    if not mail_configured() or not mails:
        return 0
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as server:
        if config["SMTP_STARTTLS"]:
            server.starttls()
        if config["SMTP_USER"]:
            server.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        for mail in mails:
            server.send_message(_message(mail, config["SMTP_FROM"]))
    return len(mails)


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(mail.to)
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    for filename, data, mimetype in mail.attachments:
        maintype, _, subtype = mimetype.partition(";")[0].partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message
