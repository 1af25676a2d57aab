"""Post/redirect/get: every write route answers a successful POST with a redirect to a page that
a reload (GET) shows, never a page rendered by the POST nor a POST-only address (405)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from accompagnement.activities.models import Activity
from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.members.models import Member

PASSWORD_DATA = {
    "password": "a brand new long passphrase",
    "confirm": "a brand new long passphrase",
}


def _reload(client: Any, response: Any) -> Any:
    """Follow a redirect as a browser reload would: a GET of the address it gives."""
    assert response.status_code in (302, 303), (response.status_code, response.request.path)
    parts = urlsplit(response.headers["Location"])
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.get(target)


@pytest.fixture
def world(
    client: Any,
    auth: Any,
    coordinator: Any,
    make_user: Callable[..., Any],
    make_project: Any,
    app: Any,
    monkeypatch: Any,
) -> dict[str, Any]:
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    holder = make_user("holder")
    spare = make_user("holder")
    project = make_project("Ressourcerie à suivre", holders=[holder])
    member = Member(name="Ressourcerie de Bellac", departement_code="87", commune_insee="87011")
    db.session.add(member)
    db.session.commit()
    auth.login(coordinator)
    return {
        "project": project,
        "holder": holder,
        "spare": spare,
        "member": member,
        "me": coordinator,
    }


def _activity_id() -> int:
    return db.session.scalars(select(Activity.id).order_by(Activity.id.desc())).first()


def _steps(w: dict[str, Any]) -> list[tuple[str, Callable[[], tuple[str, dict[str, Any]]]]]:
    p, m = w["project"].id, w["member"].id
    year = dt.date.today().year - 1
    return [
        (
            "new project",
            lambda: (
                "/projects/new",
                {"name": "Nouveau", "workflow": "creation-ressourcerie", "commune": "87085"},
            ),
        ),
        ("comment", lambda: (f"/projects/{p}/comments", {"body": "Bonne nouvelle"})),
        (
            "checklist",
            lambda: (f"/projects/{p}/checklist/premier_contact/welcome_interview", {"done": "1"}),
        ),
        (
            "stage form",
            lambda: (
                f"/projects/{p}/forms/premier_contact/edit",
                {"project_name": "Les Monts", "base_revision": "0", "save": "1"},
            ),
        ),
        ("add holder", lambda: (f"/projects/{p}/holders/add", {"holder": str(w["spare"].id)})),
        (
            "invite holder",
            lambda: (
                f"/projects/{p}/holders/invite",
                {"name": "Nina Nouvelle", "email": "nina@example.org"},
            ),
        ),
        ("remove holder", lambda: (f"/projects/{p}/holders/{w['spare'].id}/remove", {})),
        (
            "transition",
            lambda: (
                f"/projects/{p}/transition",
                {"trigger": "pause", "expected_state": "premier_contact", "reason": ""},
            ),
        ),
        (
            "invite user",
            lambda: (
                "/admin/users/new",
                {"name": "Paul Partenaire", "email": "paul@example.org", "role": "partner"},
            ),
        ),
        ("change access", lambda: (f"/admin/users/{w['spare'].id}/access", {"role": "partner"})),
        ("deactivate", lambda: (f"/admin/users/{w['spare'].id}/deactivate", {})),
        ("reactivate", lambda: (f"/admin/users/{w['spare'].id}/reactivate", {})),
        ("unlock", lambda: (f"/admin/users/{w['spare'].id}/unlock", {})),
        (
            "new activity",
            lambda: (
                "/activities/new",
                {
                    "date": "2026-05-04",
                    "type": "formation",
                    "title": "Formation réparation",
                    "status": "planned",
                },
            ),
        ),
        (
            "edit activity",
            lambda: (
                f"/activities/{_activity_id()}/edit",
                {
                    "date": "2026-05-05",
                    "type": "formation",
                    "title": "Formation réparation",
                    "status": "planned",
                },
            ),
        ),
        ("activity done", lambda: (f"/activities/{_activity_id()}/done", {})),
        ("plan year", lambda: ("/activities/plan", {"year": "2027"})),
        ("calendar token", lambda: ("/activities/calendar/token", {})),
        ("delete activity", lambda: (f"/activities/{_activity_id()}/delete", {})),
        (
            "new member",
            lambda: (
                "/members/new",
                {
                    "name": "Recyclerie d'Ussel",
                    "kind": "recyclerie",
                    "insee": "19275",
                    "departement": "19",
                    "functions": ["collecte"],
                },
            ),
        ),
        (
            "edit member",
            lambda: (
                f"/members/{m}/edit",
                {
                    "name": "Ressourcerie de Bellac",
                    "kind": "ressourcerie",
                    "insee": "87011",
                    "departement": "87",
                    "functions": ["vente"],
                },
            ),
        ),
        ("former member", lambda: (f"/members/{m}/former", {"left_on": "2026-01-31"})),
        ("reinstate member", lambda: (f"/members/{m}/reinstate", {})),
        (
            "observatory report",
            lambda: (f"/observatory/members/{m}/{year}", {"volunteers": "4", "revision": "0"}),
        ),
        ("account language", lambda: ("/auth/account/language", {"locale": "en"})),
        ("notifications", lambda: ("/notifications/", {"comment": "never"})),
        ("site language", lambda: ("/language", {"lang": "fr", "next": "/"})),
        (
            "account password",
            lambda: ("/auth/account/password", {"current_password": _password(), **PASSWORD_DATA}),
        ),
    ]


def _password() -> str:
    return "correct horse battery staple"  # the password make_user gives (tests/conftest.py)


def test_every_successful_write_redirects_to_a_page_a_reload_shows(
    client: Any, world: dict[str, Any]
) -> None:
    failures = []
    for name, step in _steps(world):
        url, data = step()
        response = client.post(url, data=data)
        if response.status_code not in (302, 303):
            failures.append(f"{name}: POST {url} answered {response.status_code}")
            continue
        page = _reload(client, response)
        if page.status_code != 200:
            failures.append(
                f"{name}: reload of {response.headers['Location']} gave {page.status_code}"
            )
    assert failures == [], failures


def test_reloading_after_inviting_a_holder_gives_the_page(
    client: Any, world: dict[str, Any]
) -> None:
    project = world["project"]
    response = client.post(
        f"/projects/{project.id}/holders/invite",
        data={"name": "Ivo Invité", "email": "ivo@example.org"},
    )
    first, again = _reload(client, response), _reload(client, response)
    assert first.status_code == again.status_code == 200
    invited = db.session.scalars(select(User).where(User.email == "ivo@example.org")).one()
    assert re.search(
        r'id="invite-link"[^>]*value="[^"]+/auth/password/', again.get_data(as_text=True)
    )
    assert invited.name == "Ivo Invité"
