"""E-mail, sent only where an operator configured an SMTP server (SMTP_HOST); off by default.

An install without a mail server must work just the same: `send_mail` then sends nothing and
says so, and every feature that mails keeps its result on a page as well.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.message import EmailMessage

from flask import current_app


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send_mail(
    recipients: Sequence[str],
    subject: str,
    body: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> bool:
    """Send one message (attachments as (filename, data, mimetype)); False when not configured."""
    if not mail_configured() or not recipients:
        return False
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["SMTP_FROM"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    for filename, data, mimetype in attachments:
        maintype, _, subtype = mimetype.partition(";")[0].partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as server:
        if config["SMTP_STARTTLS"]:
            server.starttls()
        if config["SMTP_USER"]:
            server.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        server.send_message(message)
    return True
