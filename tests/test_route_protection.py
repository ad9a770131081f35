"""Every route declares who may use it; walking the URL map proves none is left open.

If someone adds a view without `@public`, `@authenticated`, `@roles_required` or a blueprint
default, `undeclared_endpoints` lists it and `test_every_route_declares_its_access` fails —
`test_walker_catches_a_new_unprotected_route` shows that happening.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from training import create_app
from training.access import access_for, authenticated

# The only endpoints anonymous visitors may reach, listed on purpose.
PUBLIC_ENDPOINTS = {
    "static", "auth.login", "auth.set_language", "home.health", "api.login", "api.openapi"
}


def undeclared_endpoints(app: Flask) -> list[str]:
    with app.test_request_context():
        return sorted(
            rule.endpoint for rule in app.url_map.iter_rules() if access_for(rule.endpoint) is None
        )


def public_endpoints(app: Flask) -> set[str]:
    with app.test_request_context():
        return {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if (access := access_for(rule.endpoint)) is not None and access.public
        }


def concrete_url(rule) -> str:
    """Fill route arguments with a placeholder that exists in no table (404 after access)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "999999", rule.rule)


def test_every_route_declares_its_access(app):
    assert undeclared_endpoints(app) == []


def test_public_routes_are_exactly_the_listed_ones(app):
    assert public_endpoints(app) == PUBLIC_ENDPOINTS


def test_walker_catches_a_new_unprotected_route(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})

    @app.route("/forgotten")
    def forgotten():
        return "secret"

    assert undeclared_endpoints(app) == ["forgotten"]
    # and at run time the undeclared route fails closed
    assert app.test_client().get("/forgotten").status_code == 403


def protected_rules(app: Flask):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_ENDPOINTS and not rule.endpoint.endswith("static")
    ]


def test_anonymous_visitors_are_sent_to_login_everywhere(app, client):
    for rule in protected_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(concrete_url(rule), method=method)
            expected = {401} if rule.rule.startswith("/api/") else {302}
            assert response.status_code in expected, (rule.rule, method, response.status_code)
            if response.status_code == 302:
                assert "/login" in response.headers["Location"]


ROLES = frozenset({"employee", "trainer", "hr", "admin"})
TEACHING = frozenset({"trainer", "admin"})
ADMIN = frozenset({"admin"})

# Who may use each signed-in route, written down here rather than read from the code under test.
# Admins pass every role check. A new route fails `test_every_route_is_in_the_table` until it
# is added here with the roles meant to use it.
ALLOWED: dict[str, frozenset[str]] = {
    **dict.fromkeys([
        "api.attempt", "api.csrf_token", "api.event", "api.exams", "api.logout", "api.save",
        "api.start_attempt", "api.submit_attempt", "auth.change_password", "auth.logout",
        "api.scenarios", "api.start_run", "api.get_run", "api.reply_to_run",
        "courses.complete", "courses.course", "courses.image", "courses.lesson",
        "courses.my_courses", "exams.history", "exams.intro", "exams.my_exams", "exams.result",
        "exams.start", "exams.take", "exams.trend_chart", "home.index", "manuals.confirm",
        "manuals.diff", "manuals.history", "manuals.index", "manuals.pdf", "manuals.permalink",
        "manuals.print_view", "manuals.read", "manuals.search",
        "roleplay.my_scenarios", "roleplay.start", "roleplay.play", "roleplay.debrief",
    ], ROLES),
    **dict.fromkeys([
        "article_links.bulk", "article_links.confirm", "article_links.exam_weakness",
        "article_links.link", "article_links.review", "article_links.unlink", "bank.bank_list",
        "bank.bulk_action", "bank.export", "bank.import_preview", "bank.import_template",
        "bank.import_upload", "bank.keying", "bank.question_edit", "bank.question_history",
        "bank.question_list", "bank.question_new", "courses.assign", "courses.create",
        "courses.delete_lesson", "courses.edit", "courses.edit_lesson", "courses.manage",
        "courses.move", "courses.new_lesson", "courses.preview_lesson", "courses.report",
        "courses.report_xlsx", "courses.unassign", "courses.upload_image", "exams.add_override",
        "exams.assign", "exams.attempts", "exams.create", "exams.delete_override", "exams.edit",
        "exams.grade", "exams.grading", "exams.manage", "exams.prepare_draws", "exams.regrade",
        "exams.regrade_preview", "exams.unassign",
        "exams.attempts_xlsx", "exams.sheet", "exams.change_answer_score",
        "roleplay.manage", "roleplay.import_scenario", "roleplay.edit", "roleplay.save_settings",
        "roleplay.edit_node", "roleplay.add_node", "roleplay.delete_node", "roleplay.export",
        "roleplay.playtest", "roleplay.assign", "roleplay.unassign", "roleplay.limit_runs",
        "roleplay.archive", "roleplay.reviews",
        "roleplay.review_step", "roleplay.scenario_insight", "roleplay.insight_xlsx",
        "manuals.preview", "manuals.settings", "manuals.upload", "papers.items_change",
        "papers.paper_delete", "papers.paper_detail", "papers.paper_edit", "papers.paper_list",
        "papers.paper_preview", "papers.questions_add", "papers.section_add",
        "papers.section_delete", "papers.section_edit", "papers.section_move",
    ], TEACHING),
    **dict.fromkeys([
        "audit.log", "departments.create", "departments.delete", "departments.detail",
        "departments.merge", "departments.move", "departments.rename", "departments.tree",
        "people.roster_preview", "people.roster_template", "people.roster_upload",
        "people.user_edit", "people.user_list", "people.user_new", "people.user_reset_password",
        "people.user_set_active",
    ], ADMIN),
    "manuals.confirmations": frozenset({"hr", "admin"}),
    **dict.fromkeys(["reports.index", "reports.teams", "reports.learning",
                     "reports.weak_articles"], frozenset({"hr", "trainer", "admin"})),
    # Everyone has a profile; whose profile a user may open is checked in the view (404),
    # and the people list is for HR, trainers and team leaders (403 for other employees).
    **dict.fromkeys(["reports.my_profile", "reports.profile"], ROLES),
    "reports.people": frozenset({"hr", "trainer", "admin"}),
    **dict.fromkeys([
        "reports.export", "reports.job", "reports.job_status", "reports.download",
        "reports.mine", "reports.save", "reports.run_again", "reports.delete",
        "reports.index", "reports.exam_report", "reports.items_index", "reports.items",
        "api.exam_report", "api.exam_items",
    ], frozenset({"hr", "trainer", "admin"})),
    **dict.fromkeys([
        "practice.answer", "practice.favourite", "practice.favourites", "practice.feedback",
        "practice.index", "practice.memorise", "practice.next_question", "practice.question",
        "practice.wrong_book",
    ], frozenset({"employee", "admin"})),
}


SIGN_OUT = {"auth.logout", "api.logout"}  # visited last: they end the session being walked


def unlisted_endpoints(app: Flask) -> list[str]:
    return sorted({rule.endpoint for rule in protected_rules(app)} - ALLOWED.keys())


def test_every_route_is_in_the_table(app):
    routed = {rule.endpoint for rule in protected_rules(app)}
    missing, stale = unlisted_endpoints(app), sorted(ALLOWED.keys() - routed)
    assert not missing, (
        f"routes missing from ALLOWED in tests/test_route_protection.py: {missing}; "
        "add each with the roles that may use it"
    )
    assert not stale, f"ALLOWED lists routes that no longer exist: {stale}"


def test_a_new_route_fails_until_it_is_in_the_table(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})

    @app.route("/reports")
    @authenticated
    def reports():
        return "report"

    assert unlisted_endpoints(app) == ["reports"]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_reaches_only_its_routes(app, client, login_as, role):
    """Forbidden (403) exactly where the table leaves the role out; elsewhere the request is
    handled without a server error, whatever the method."""
    login_as(role)
    signing_out_last = sorted(protected_rules(app), key=lambda rule: rule.endpoint in SIGN_OUT)
    for rule in signing_out_last:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            status = client.open(concrete_url(rule), method=method).status_code
            if role in ALLOWED[rule.endpoint]:
                assert status != 403 and status < 500, (rule.rule, method, status)
            else:
                assert status == 403, (rule.rule, method, status)


ADMIN_PAGES = ("/admin/users/", "/admin/users/new", "/admin/departments/", "/admin/audit/")


@pytest.mark.parametrize("role", ["employee", "trainer", "hr"])
def test_only_admins_reach_admin_pages(client, login_as, role):
    login_as(role)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path


def test_admin_pages_are_declared_admin_only(app):
    with app.test_request_context():
        for endpoint in ("people.user_list", "departments.tree", "departments.merge",
                         "departments.delete", "audit.log"):
            assert access_for(endpoint).roles == {"admin"}, endpoint
