"""Home page and health check."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from training.access import authenticated, public
from training.bank.queries import bank_summaries
from training.database import db, utcnow
from training.extensions import talisman
from training.home import bp
from training.home.services import (
    admin_summary,
    employee_tasks,
    headcount_by_top_department,
    trainer_work,
)


@bp.route("/")
@authenticated
def index():
    roles = current_user.role_names
    now = utcnow()
    return render_template(
        "home/index.html",
        headcount=headcount_by_top_department() if roles & {"hr", "admin"} else None,
        admin=admin_summary() if "admin" in roles else None,
        banks=bank_summaries() if roles & {"trainer", "admin"} else None,
        work=trainer_work(now) if "trainer" in roles else None,
        tasks=employee_tasks(current_user, now) if "employee" in roles else None,
        now=now,
    )


@bp.route("/healthz")
@public
@talisman(force_https=False)
def health():
    """For the load balancer: the app answers and reaches its database.

    Plain HTTP is answered, not redirected: a load balancer probes the app server directly.
    """
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
