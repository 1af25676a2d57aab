"""A password link given to a coordinator never travels in their session cookie (#7)."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient
from security_suite import People, client_for

LINK = re.compile(r'value="(http[^"]+/auth/password/([^"]+))"')


def _session_contents(app: Flask, client: FlaskClient) -> str:
    """Decode the (signed, not encrypted) session cookie as anyone holding it could."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return json.dumps(serializer.loads(cookie.value))


def test_a_reset_link_is_shown_in_the_answer_never_kept_in_the_cookie(
    app: Flask, people: People, no_mail: None
) -> None:
    coordinator = client_for(app, "coordinator", people)
    response = coordinator.post(f"/admin/users/{people.holder.id}/password-link")
    assert response.status_code == 200
    match = LINK.search(response.get_data(as_text=True))
    assert match, "the link is shown in the answer"
    token = match.group(2).split("?")[0]
    assert token not in _session_contents(app, coordinator)
    assert "/auth/password/" not in _session_contents(app, coordinator)
    page = coordinator.get(f"/admin/users/{people.holder.id}").get_data(as_text=True)
    assert "/auth/password/" not in page  # shown once


def test_an_invitation_link_is_shown_on_the_page_never_kept_in_the_cookie(
    app: Flask, people: People, no_mail: None
) -> None:
    coordinator = client_for(app, "coordinator", people)
    response = coordinator.post(
        "/admin/users/new",
        data={"name": "Nina Nouvelle", "email": "nina@example.org", "role": "holder"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    match = LINK.search(response.get_data(as_text=True))
    assert match, "the link is shown in the answer"
    assert match.group(2).split("?")[0] not in _session_contents(app, coordinator)
    assert "/auth/password/" not in _session_contents(app, coordinator)
