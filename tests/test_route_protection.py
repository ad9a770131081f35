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
from training.access import access_for

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


@pytest.mark.parametrize("role", ["employee", "trainer", "hr", "admin"])
def test_each_role_reaches_only_its_routes(app, client, login_as, role):
    """A role gets 403 exactly where its roles are not declared; elsewhere it gets through."""
    user = login_as(role)
    for rule in protected_rules(app):
        if "GET" not in rule.methods:
            continue
        with app.test_request_context():
            allowed = access_for(rule.endpoint).allows(user.role_names)
        response = client.get(concrete_url(rule))
        if allowed:
            assert response.status_code != 403, rule.rule
        else:
            assert response.status_code == 403, rule.rule


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
