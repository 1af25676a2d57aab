"""After signing in, `next` only leads to a page of this site (ASVS V3.7.2)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask

from accompagnement.auth.views import safe_next

OFF_SITE = [
    "//evil.example",
    "///evil.example",
    "https://evil.example/page",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\u3000/evil.example",
    "/\x00/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    None,
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_an_off_site_target_leads_home(app: Flask, target: str | None) -> None:
    with app.test_request_context():
        assert safe_next(target) == "/"


@pytest.mark.parametrize(
    "target", ["/auth/account", "/projects?state=dla&page=2", "/a/b#part", "/members/La Recyclerie"]
)
def test_a_path_of_this_site_is_kept(app: Flask, target: str) -> None:
    with app.test_request_context():
        assert safe_next(target) == target


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example"])
def test_the_login_form_ignores_an_off_site_next(client: Any, holder: Any, target: str) -> None:
    response = login_with_next(client, holder, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def login_with_next(client: Any, holder: Any, target: str) -> Any:
    client.get("/auth/login?next=" + quote(target, safe=""))
    return client.post(
        "/auth/login?next=" + quote(target, safe=""),
        data={"email": holder.email, "password": "correct horse battery staple"},
    )
