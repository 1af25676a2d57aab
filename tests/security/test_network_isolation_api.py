"""Networks are isolated in the API too: the tokens of network A's people read none of network B's
planted texts on any operation of the document, and their writes aimed at B's projects are
refused without changing them.

The GET operations come from the API's own OpenAPI document, their project ids filled with both
networks' planted projects; each role that may hold a token gets one, bound to network A.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from test_network_isolation import A_TAG, SENTINEL_B, TwoNetworks, networks  # noqa: F401

from accompagnement.auth import apitokens
from accompagnement.extensions import db
from accompagnement.projects.models import Project
from accompagnement.tenancy import unscoped

TOKEN_ROLES = ("coordinator", "partner", "holder")
PARAMETER = re.compile(r"\{(\w+)\}")


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


def token_of(two: TwoNetworks, role: str, scope: str = "read") -> str:
    """A token of network A's person of this role, made in network A (the test's own)."""
    made = apitokens.create_token(two.a.people.of(role).id, "Sweep", scope, 30)
    db.session.commit()
    return made.secret


def get_operations(client: FlaskClient) -> list[str]:
    """Every GET path of the document, without the document and its docs page."""
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    return [
        path
        for path, operations in paths.items()
        if "get" in operations and not path.endswith(("/openapi.json", "/docs"))
    ]


def addresses(path: str, two: TwoNetworks) -> Iterator[str]:
    """The path with each project id of both networks (a path without parameters: itself)."""
    names = PARAMETER.findall(path)
    if not names:
        yield path
        return
    assert names == ["project_id"], f"new path parameters to fill in the sweep: {path}"
    for project_id in [*two.a.candidates["project_id"], *two.b.candidates["project_id"]]:
        yield path.replace("{project_id}", str(project_id))


@pytest.mark.slow
@pytest.mark.parametrize("role", TOKEN_ROLES)
def test_network_a_tokens_read_nothing_of_network_b(
    app: Flask,
    networks: TwoNetworks,  # noqa: F811
    role: str,
) -> None:
    client = app.test_client()
    headers = bearer(token_of(networks, role))
    leaks, errors, own, calls = [], [], 0, 0
    for path in get_operations(client):
        for address in addresses(path, networks):
            response = client.get(address, headers=headers)
            calls += 1
            body = response.get_data()
            if response.status_code >= 500:
                errors.append(f"{address}: {response.status_code}")
            if found := sorted({tag.decode() for tag in SENTINEL_B.findall(body)}):
                leaks.append(f"{address}: {', '.join(found)}")
            own += A_TAG.encode() in body
    assert calls >= 10
    assert not errors
    assert not leaks, "network B's texts read with network A's token:\n" + "\n".join(leaks)
    if role in ("coordinator", "holder"):
        assert own > 0, "the sweep never read network A's own texts"


def _b_project(two: TwoNetworks) -> tuple[int, int, str]:
    """Network B's planted project: its id, lock version and stage (read across networks)."""
    project_id = two.b.people.project_id
    with unscoped():
        project = db.session.scalars(select(Project).where(Project.id == project_id)).one()
        state = (project.lock_version, project.state)
    db.session.rollback()
    return project_id, *state


def _writes(project_id: int, stage: str) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/api/v1/projects/{project_id}"
    return [
        ("POST", f"{base}/transitions", {"trigger": "pause", "reason": "x"}),
        ("PUT", f"{base}/forms/{stage}", {"values": {}, "submit": False}),
        ("PUT", f"{base}/checklist/{stage}/anything", {"done": True}),
    ]


def test_network_a_writes_to_network_b_projects_are_refused_and_change_nothing(
    app: Flask,
    networks: TwoNetworks,  # noqa: F811
) -> None:
    client = app.test_client()
    headers = bearer(token_of(networks, "coordinator", scope="write"))
    project_id, lock_version, stage = _b_project(networks)

    answers = {
        (method, url): client.open(url, method=method, json=body, headers=headers)
        for method, url, body in _writes(project_id, stage)
    }

    assert {key: r.status_code for key, r in answers.items()} == dict.fromkeys(answers, 404)
    assert all(r.mimetype == "application/problem+json" for r in answers.values())
    assert all(not SENTINEL_B.search(r.get_data()) for r in answers.values())
    assert _b_project(networks) == (project_id, lock_version, stage)
