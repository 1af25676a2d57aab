"""Choosing a commune by typing part of its name, in a real browser, with JavaScript on and off."""

from __future__ import annotations

from typing import Any

import pytest

from accompagnement.extensions import db
from accompagnement.projects.models import Project
from tests.browser.conftest import check_accessibility, in_live_network, login

pytestmark = pytest.mark.browser


def created_commune(live_app: Any, name: str) -> str | None:
    with in_live_network(live_app):
        project = db.session.query(Project).filter_by(name=name).one()
        return project.commune_insee


def test_typing_gueret_suggests_gueret_and_the_project_gets_it(new_page, live_app, people):
    page = new_page()
    login(page, "coord@example.org")
    page.goto("/projects/new")
    check_accessibility(page)
    page.locator("#name").fill("Recyclerie du Grand Guéret")
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
    assert "CA du Grand Guéret" in page.locator("#commune-help").inner_text()
    page.get_by_role("button", name="Créer le projet").click()
    page.wait_for_load_state()
    assert created_commune(live_app, "Recyclerie du Grand Guéret") == "23096"
    assert "Guéret" in page.locator("main").inner_text()


def test_without_javascript_the_server_resolves_the_typed_name(new_page, live_app, people):
    page = new_page(java_script_enabled=False)
    login(page, "coord@example.org")
    page.goto("/projects/new")
    page.locator("#name").fill("Ressourcerie sans script")
    page.locator("#commune").fill("gueret")
    page.get_by_role("button", name="Créer le projet").click()
    page.wait_for_load_state()
    assert created_commune(live_app, "Ressourcerie sans script") == "23096"
