"""The route x role table (ASVS V8.1.1): every GET route, as anonymous and as each role.

- anonymous is sent to the sign-in page, unless the route is public;
- a role outside the route's declared policy gets 403;
- a role inside it is not refused with 403 on a route without parameters;
- nobody ever gets a 500.
Routes come from the URL map, so routes added later are covered without editing this file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask
from security_suite import ANONYMOUS, WHO, People, bearer_only, crawl, policy_of


def _problem(app: Flask, visit) -> str | None:  # noqa: ANN001
    status = visit.response.status_code
    policy = policy_of(app, visit.rule.endpoint)
    if status >= 500:
        return f"{status} (server error)"
    if bearer_only(visit.rule):
        return None if status == 401 else f"{status}, expected 401 (the API reads no cookie)"
    if visit.who == ANONYMOUS and ANONYMOUS not in policy:
        location = urlsplit(visit.response.headers.get("Location", "")).path
        if status != 302 or location != "/auth/login":
            return f"{status} to {location or '-'}, expected a redirect to the sign-in page"
        return None
    if visit.who != ANONYMOUS and visit.who not in policy and status != 403:
        return f"{status}, expected 403 (policy: {sorted(policy)})"
    if visit.who in policy and not visit.rule.arguments and status == 403:
        return f"403 although the policy allows {visit.who}"
    return None


@pytest.mark.parametrize("who", WHO)
def test_every_get_route_answers_as_its_policy_says(app: Flask, people: People, who: str) -> None:
    problems = []
    visited = 0
    for visit in crawl(app, people, who):
        visited += 1
        problem = _problem(app, visit)
        if problem:
            problems.append(f"GET {visit.url} ({visit.rule.endpoint}) as {who}: {problem}")
    assert visited > 5
    assert problems == [], "\n".join(problems)


def test_anonymous_is_sent_to_sign_in_and_back(app: Flask, people: People) -> None:
    response = app.test_client().get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fadmin%2Fusers"


@pytest.mark.parametrize("who", ["holder", "partner", "member"])
def test_a_role_outside_the_policy_gets_403(app: Flask, people: People, who: str) -> None:
    """The matrix can fail: the admin list really refuses the other roles."""
    visits = {v.rule.endpoint: v for v in crawl(app, people, who)}
    assert visits["admin.users"].response.status_code == 403
    assert visits["auth.account"].response.status_code == 200
