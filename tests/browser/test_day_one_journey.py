"""The first day of a network in a real browser, on an empty instance (not the demo data).

The database comes from `flask db upgrade` (with the geography), the network is set up and has
one coordinator. The coordinator creates the first project, choosing Guéret by typing "gueret",
invites its holder (no SMTP: the link is shown), and the holder, in a browser of their own,
opens the link, chooses a password and lands signed in on a page showing their project.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from accompagnement.extensions import db
from accompagnement.projects.models import Project
from tests.browser.conftest import check_accessibility, in_live_network, login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECT = "Ressourcerie du Pays de Guéret"
HOLDER_PASSWORD = "trois mots sans rapport pour commencer"


@pytest.fixture(scope="module")
def live_app(empty_instance_app: Flask) -> Flask:
    """Serve the empty instance instead of the demo-like data of the other browser tests."""
    return empty_instance_app


def create_project_in_gueret(page: Any) -> None:
    """Fill the new project form, picking the commune from the suggestions of "gueret"."""
    page.goto("/projects/new")
    check_accessibility(page)
    page.locator("#name").fill(PROJECT)
    page.locator("#commune").press_sequentially("gueret", delay=30)
    page.wait_for_function(
        "() => { const l = document.getElementById('commune').list;"
        " return l && l.options.length > 0; }"
    )
    options = page.locator("#commune").evaluate(
        "input => Array.from(input.list.options, o => o.value)"
    )
    assert options[0] == "Guéret (23096)"
    page.locator("#commune").fill(options[0])  # what picking the suggestion does
    page.get_by_role("button", name="Créer le projet").click()
    page.wait_for_load_state()


def invite_holder(page: Any, project_id: int, name: str, email: str) -> str:
    """Invite a holder on the project's holders page; return the link shown to pass on."""
    page.goto(f"/projects/{project_id}/holders")
    page.locator("#name").fill(name)
    page.locator("#email").fill(email)
    page.get_by_role("button", name="Créer le compte").click()
    page.wait_for_load_state()
    check_accessibility(page)
    return str(page.locator("#invite-link").input_value())


def only_project(live_app: Flask) -> tuple[int, str | None]:
    with in_live_network(live_app):
        project = db.session.query(Project).one()
        return project.id, project.commune_insee


def test_the_coordinator_starts_a_project_and_its_holder_signs_in(new_page, live_app):
    coordinator = new_page()
    login(coordinator, "coord@example.org")
    check_accessibility(coordinator)

    create_project_in_gueret(coordinator)
    project_id, commune = only_project(live_app)
    assert commune == "23096"
    assert PROJECT in coordinator.locator("main").inner_text()
    check_accessibility(coordinator)

    link = invite_holder(coordinator, project_id, "Léa Dubois", "lea.dubois@example.org")
    assert "/auth/password/" in link

    holder = new_page()  # another person, another browser
    holder.goto(link)
    check_accessibility(holder)
    holder.locator("#password").fill(HOLDER_PASSWORD)
    holder.locator("#confirm").fill(HOLDER_PASSWORD)
    holder.get_by_role("button", name="Enregistrer mon mot de passe").click()
    holder.wait_for_load_state()

    assert "/auth/" not in holder.url  # their home page, not the sign-in form
    page_text = holder.locator("body").inner_text()
    assert "Votre mot de passe est enregistré. Vous êtes connecté·e." in page_text
    assert PROJECT in holder.locator("main").inner_text()
    check_accessibility(holder)
