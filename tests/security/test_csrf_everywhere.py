"""CSRF on every state-changing request (ASVS V3.5.1).

An app with CSRF protection on (as in production) receives, on every route that accepts a write
method, a request without a token: the answer is 400 with the clear error page, and no table
changes. Routes come from the URL map, so routes added later are covered too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from security_suite import (
    ANONYMOUS,
    WRITE_METHODS,
    People,
    bearer_only,
    build_url,
    changed_tables,
    csrf_token_of,
    rules,
    table_contents,
)

CLEAR_MESSAGE = "The form expired or was tampered with"
# Routes a mail client posts to without any form (RFC 8058 one-click unsubscribe): the signed
# token in the URL stands for the CSRF token. Without a valid signature: 400, nothing changes.
SIGNED_INSTEAD = frozenset({"notifications.unsubscribe"})


@pytest.fixture(scope="module")
def csrf_app(other_app: Callable[..., Flask]) -> Flask:
    return other_app(WTF_CSRF_ENABLED=True)


def _signed_in(csrf_app: Flask, people: People, who: str) -> FlaskClient:
    client = csrf_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if who == ANONYMOUS:
        return client
    token = csrf_token_of(client.get("/auth/login").get_data(as_text=True))
    person = people.of(who)
    response = client.post(
        "/auth/login",
        data={
            "email": person.email,
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("who", [ANONYMOUS, "coordinator", "holder"])
def test_every_write_route_refuses_a_request_without_token(
    csrf_app: Flask, people: People, who: str
) -> None:
    client = _signed_in(csrf_app, people, who)
    problems = []
    checked = 0
    for rule in rules(csrf_app, WRITE_METHODS):
        url = build_url(csrf_app, rule)
        for method in sorted(set(rule.methods or ()) & WRITE_METHODS):
            before = table_contents()
            response = client.open(url, method=method, data={"name": "x", "body": "x"})
            changed = changed_tables(before, table_contents())
            checked += 1
            page = response.get_data(as_text=True)
            expected = "" if rule.endpoint in SIGNED_INSTEAD else CLEAR_MESSAGE
            if bearer_only(rule):  # no cookie is read, so no CSRF token is needed: 401
                if response.status_code != 401:
                    problems.append(f"{method} {url} as {who}: {response.status_code}, not 401")
            elif response.status_code != 400 or expected not in page:
                problems.append(f"{method} {url} as {who}: {response.status_code}, expected 400")
            if changed:
                problems.append(f"{method} {url} as {who} changed {changed}")
    assert checked >= 5
    assert SIGNED_INSTEAD.issubset(rule.endpoint for rule in rules(csrf_app, WRITE_METHODS))
    assert problems == [], "\n".join(problems)


def test_a_wrong_token_is_refused_too(csrf_app: Flask, people: People) -> None:
    client = _signed_in(csrf_app, people, "coordinator")
    response = client.post("/auth/logout", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert client.get("/auth/account").status_code == 200  # still signed in


def test_the_right_token_is_accepted(csrf_app: Flask, people: People) -> None:
    """The check can fail: with its token the same request goes through."""
    client = _signed_in(csrf_app, people, "coordinator")
    token = csrf_token_of(client.get("/auth/account").get_data(as_text=True))
    response = client.post("/auth/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/auth/account").status_code == 302  # signed out
