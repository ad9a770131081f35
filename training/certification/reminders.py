"""Certification reminders by e-mail (`servicecoach cert remind`), off unless SMTP is configured.

The home page's task list already reminds people who sign in; e-mail reaches those who do not.
Each employee gets one message listing their levels that expire within `CERT_REMIND_DAYS` and
those in progress (some requirements met), read from `CertStatus` as last evaluated — so cron
runs `cert evaluate` first. Accounts carry no e-mail address: `MAIL_RECIPIENT_FORMAT` builds it
from the login name or 工号 (`{username}@example.com`), which is how company mailboxes are
usually named. Python's smtplib sends; nothing is sent when `MAIL_SERVER` is empty.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from training.certification.lifecycle import ACTIVE, Status
from training.certification.models import CertLevel, CertStatus
from training.certification.verification import valid_through
from training.database import db, utcnow
from training.demo.people import COMPANY
from training.people.models import User
from training.timezones import local_day


@dataclass(frozen=True)
class Reminder:
    """One employee's message."""

    to: str
    subject: str
    body: str


def mail_enabled(config: Mapping[str, Any]) -> bool:
    return bool(config.get("MAIL_SERVER") and config.get("MAIL_RECIPIENT_FORMAT"))


def due_reminders(today: date, days: int, config: Mapping[str, Any]) -> list[Reminder]:
    """A message for each active employee with a level expiring within `days` or in progress."""
    horizon = today + timedelta(days=days)
    rows = db.session.execute(
        select(CertStatus, User, CertLevel)
        .join(User, User.id == CertStatus.user_id)
        .join(CertLevel, CertLevel.id == CertStatus.level_id)
        .where(
            User.active.is_(True),
            CertLevel.archived.is_(False),
            or_(
                and_(
                    CertStatus.status.in_([str(status) for status in ACTIVE]),
                    CertStatus.expires_on > today,
                    CertStatus.expires_on <= horizon,
                ),
                CertStatus.status == Status.IN_PROGRESS,
            ),
        )
        .order_by(User.id, CertLevel.sort_order, CertLevel.id)
    )
    by_user: dict[int, tuple[User, list[tuple[CertStatus, CertLevel]]]] = {}
    for status, user, level in rows:
        by_user.setdefault(user.id, (user, []))[1].append((status, level))
    return [_reminder(user, items, today, config) for user, items in by_user.values()]


def _reminder(
    user: User, items: list[tuple[CertStatus, CertLevel]], today: date, config: Mapping[str, Any]
) -> Reminder:
    with force_locale(user.locale or "zh_CN"):
        lines = [_line(status, level, today) for status, level in items]
        base = config.get("PUBLIC_BASE_URL")
        link = _("查看详情：%(url)s", url=base.rstrip("/") + "/certification/mine") if base else ""
        company = config.get("COMPANY_NAME") or COMPANY
        body = "\n".join([
            _("%(name)s，您好：", name=user.display_name), "",
            _("以下认证需要您关注："), *lines, "", link,
            _("%(company)s 培训认证（本邮件由系统自动发送，请勿回复）", company=company),
        ])
        subject = _("认证提醒：%(n)d 项需要您关注", n=len(lines))
    address = config["MAIL_RECIPIENT_FORMAT"].format(
        username=user.username, employee_no=user.employee_no or user.username
    )
    return Reminder(address, subject, body)


def _line(status: CertStatus, level: CertLevel, today: date) -> str:
    if status.status == Status.IN_PROGRESS:
        return _("·「%(level)s」进行中：已满足 %(met)d / %(total)d 项要求",
                 level=level.name, met=status.met, total=status.total)
    last_day = valid_through(status.expires_on)
    assert status.expires_on is not None and last_day is not None  # selected for it
    return _("·「%(level)s」有效期至 %(day)s，还剩 %(n)d 天，请及时完成复训认证",
             level=level.name, day=last_day.isoformat(), n=(status.expires_on - today).days)


def send(reminders: list[Reminder], config: Mapping[str, Any]) -> int:
    """Send each reminder over one SMTP connection; the number sent."""
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        for reminder in reminders:
            message = EmailMessage()
            message["From"] = config.get("MAIL_SENDER") or config["MAIL_USERNAME"]
            message["To"] = reminder.to
            message["Subject"] = reminder.subject
            message.set_content(reminder.body)
            smtp.send_message(message)
    return len(reminders)


@click.command("remind")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]),
              help="Remind as on this day (default: today).")
@click.option("--dry-run", is_flag=True, help="Print who would be written to; send nothing.")
@with_appcontext
def remind(as_of: Any, dry_run: bool) -> None:
    """E-mail employees whose certification expires soon or is in progress (needs MAIL_SERVER)."""
    config = current_app.config
    if not config.get("MAIL_RECIPIENT_FORMAT") or not (dry_run or mail_enabled(config)):
        raise click.ClickException("e-mail is off: set MAIL_SERVER and MAIL_RECIPIENT_FORMAT")
    today = as_of.date() if as_of else local_day(utcnow())
    reminders = due_reminders(today, config["CERT_REMIND_DAYS"], config)
    db.session.rollback()  # read only
    if dry_run:
        for reminder in reminders:
            click.echo(f"{reminder.to}\t{reminder.subject}")
        return
    click.echo(f"{send(reminders, config)} reminder(s) sent as of {today.isoformat()}")
