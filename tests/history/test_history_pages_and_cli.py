"""The coordinator's import page (CSRF on) and `flask import projects`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accompagnement.extensions import db
from accompagnement.projects.models import Project, TransitionRecord

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "projets-historique.csv"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "correct horse battery staple"
BAD = (
    b"name,workflow,stage,date_premier_contact,date_visites\n"
    b"A,creation-ressourcerie,visites,2013-05-04,2013-04-01\n"
)


def token_of(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def csrf_on(app, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def sign_in(client, user) -> None:  # noqa: ANN001
    token = token_of(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def upload(client, data: bytes, token: str | None):  # noqa: ANN001, ANN201
    form = {"file": (io.BytesIO(data), "projets.csv")}
    if token:
        form["csrf_token"] = token
    return client.post("/admin/import/projects", data=form, content_type="multipart/form-data")


def test_the_page_imports_a_file_with_its_token(csrf_on, english_client, coordinator):
    sign_in(english_client, coordinator)
    page = english_client.get("/admin/import/projects")
    assert page.status_code == 200
    assert "<code>premier_contact</code>" in page.get_data(as_text=True)  # the stage keys

    response = upload(english_client, EXAMPLE.read_bytes(), token_of(page.get_data(as_text=True)))

    assert response.status_code == 302
    assert count(Project) == 4
    board = english_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "4 projects imported with their history" in board


def test_the_page_refuses_a_post_without_token(csrf_on, english_client, coordinator):
    sign_in(english_client, coordinator)
    response = upload(english_client, EXAMPLE.read_bytes(), None)
    assert response.status_code == 400
    assert count(Project) == 0


def test_the_page_lists_every_error_with_line_and_column(english_client, coordinator):
    english_client.post("/auth/login", data={"email": coordinator.email, "password": PASSWORD})
    response = english_client.post(
        "/admin/import/projects",
        data={"file": (io.BytesIO(BAD), "projets.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<code>date_visites</code>" in page
    assert "earlier than date_premier_contact" in page
    assert count(Project) == 0


def test_a_holder_or_partner_cannot_open_the_page(client, auth, make_user):
    for role in ("holder", "partner"):
        auth.login(make_user(role))
        assert client.get("/admin/import/projects").status_code in (403, 404)
        auth.logout()


def test_the_command_imports_under_the_only_coordinator(runner, coordinator):
    result = runner.invoke(args=["import", "projects", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert count(Project) == 4
    recorded = {r.user_id for r in db.session.scalars(select(TransitionRecord))}
    assert recorded == {coordinator.id}
    again = runner.invoke(args=["import", "projects", str(EXAMPLE)])
    assert again.exit_code == 0 and count(Project) == 4


def test_the_command_names_the_bad_cell_and_exits_1(runner, coordinator, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    result = runner.invoke(args=["import", "projects", str(path)], env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 1
    assert "Line 2, column date_visites: earlier than date_premier_contact" in result.output
    assert count(Project) == 0


def test_the_command_wants_a_coordinator_when_there_are_several(runner, coordinator, make_user):
    make_user("coordinator")
    result = runner.invoke(args=["import", "projects", str(EXAMPLE)])
    assert result.exit_code == 2
    assert "--by" in result.output
    ok = runner.invoke(args=["import", "projects", str(EXAMPLE), "--by", coordinator.email])
    assert ok.exit_code == 0, ok.output


def test_the_command_says_to_create_a_coordinator_first_when_there_is_none(runner, territory):
    result = runner.invoke(args=["import", "projects", str(EXAMPLE)], env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 2
    assert "There is no coordinator account yet" in result.output
    assert count(Project) == 0
