"""The API's route x role table with tokens: every endpoint, as each role's token (read and
write), answers as its declared policy says; nobody gets a 500. Routes come from the URL map."""

from __future__ import annotations

import pytest
from flask import url_for

from tests.api.conftest import bearer

ROLES = ("coordinator", "holder", "partner", "national")
READ_ONLY = ("partner", "national")
SAMPLES = {"stage": "premier_contact", "item": "welcome_interview"}


def _api_rules(app):
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/") and rule.endpoint not in {"api.openapi", "api.docs"}
        ),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_each_role_as_its_policy_says(
    app, client, role, make_user, make_token, make_project
):
    person = make_user(role)
    project = make_project("Matrice", holders=[person] if role == "holder" else None)
    secret = make_token(person, scope="read" if role in READ_ONLY else "write")
    problems, checked = [], 0
    for rule in _api_rules(app):
        policy = app.view_functions[rule.endpoint].access_policy
        values = {name: SAMPLES.get(name, project.id) for name in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in sorted(set(rule.methods) - {"HEAD", "OPTIONS"}):
            answer = client.open(url, method=method, json={}, headers=bearer(secret))
            checked += 1
            allowed = role in policy
            if answer.status_code >= 500:
                problems.append(f"{method} {url} as {role}: {answer.status_code}")
            elif not allowed and answer.status_code != 403:
                problems.append(f"{method} {url} as {role}: {answer.status_code}, expected 403")
            elif allowed and answer.status_code in (401, 403) and method == "GET":
                problems.append(f"{method} {url} as {role}: {answer.status_code} though allowed")
            if answer.status_code >= 400:
                assert answer.mimetype == "application/problem+json", (method, url)
    assert checked >= 13
    assert problems == [], "\n".join(problems)
