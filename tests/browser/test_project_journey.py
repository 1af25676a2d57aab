"""A project's journey in a real browser: holder and coordinator, then the partner's view."""

from __future__ import annotations

from typing import Any

import pytest

from accompagnement.extensions import db
from accompagnement.projects.models import Project
from tests.browser.conftest import check_accessibility, in_live_network, login

pytestmark = pytest.mark.browser


def submit(page: Any, project_id: int) -> None:
    """Submit a stage form and expect to land back on the project page."""
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()
    errors = page.locator(".error-summary, .conflict")
    assert errors.count() == 0, errors.first.inner_text()
    assert page.url.split("#")[0].endswith(f"/projects/{project_id}"), page.url


def state_of(live_app: Any, project_id: int) -> str:
    with in_live_network(live_app):
        return db.session.get(Project, project_id).state


def test_holder_fills_forms_and_coordinator_validates_each_stage(new_page, live_app, people):
    project_id = people["project"]
    holder = new_page()
    login(holder, "porteuse@example.org")

    # The holder fills in the first stage, adding a commune row of a repeating group.
    holder.goto(f"/projects/{project_id}/forms/premier_contact/edit")
    check_accessibility(holder)
    holder.locator("#f-project_name").fill("Ressourcerie de Bellac")
    holder.locator("#f-holder_type").select_option("association")
    holder.locator("button[name='add:communes']").click()
    holder.locator("#f-communes-0-insee").fill("87011")
    holder.locator("#f-communes-0-name").fill("Bellac")
    submit(holder, project_id)
    assert "Bellac" in holder.locator("#form").inner_text()

    # The coordinator sees why the stage cannot be validated yet, ticks the list, advances.
    coordinator = new_page()
    login(coordinator, "coord@example.org")
    coordinator.goto(f"/projects/{project_id}")
    check_accessibility(coordinator)
    refusals = coordinator.locator(".refusals").first.inner_text()
    assert "Entretien d'accueil réalisé" in refusals
    for _ in range(4):
        coordinator.locator("form:has(input[name=done][value='1']) button").first.click()
        coordinator.wait_for_load_state()
    coordinator.locator("form.transition:has(input[name=trigger][value=advance]) button").click()
    coordinator.wait_for_load_state()
    assert state_of(live_app, project_id) == "visites"

    # Visits: a repeating group with two items, added without typing anything twice.
    holder.goto(f"/projects/{project_id}/forms/visites/edit")
    for index, member_id in enumerate(people["members"]):
        holder.locator("button[name='add:visits']").click()
        holder.locator(f"#f-visits-{index}-member").select_option(str(member_id))
        holder.locator(f"#f-visits-{index}-date").fill(f"2026-0{index + 3}-12")
        holder.locator(f"#f-visits-{index}-kind").select_option("visite")
    check_accessibility(holder)
    submit(holder, project_id)

    coordinator.goto(f"/projects/{project_id}")
    coordinator.locator("form.transition:has(input[name=trigger][value=advance]) button").click()
    coordinator.wait_for_load_state()
    assert state_of(live_app, project_id) == "dla"


def test_a_missing_required_field_is_explained_next_to_it(page, people):
    login(page, "porteuse@example.org")
    page.goto(f"/projects/{people['project']}/forms/premier_contact/edit")
    page.locator("#f-project_name").fill("")
    page.locator("button[name=action][value=submit]").click()
    error = page.locator("#f-project_name[aria-invalid=true]")
    assert error.count() == 1
    described = error.get_attribute("aria-describedby") or ""
    assert described
    assert page.locator(f"#{described.split()[0]}").inner_text().strip()
    check_accessibility(page)


def test_the_partner_sees_the_pipeline_without_personal_data(page, people):
    login(page, "ademe@example.org")
    page.goto("/partners/")
    check_accessibility(page)
    text = page.locator("main").inner_text()
    assert "Ressourcerie de Bellac" in text
    assert "Léa Dubois" not in text and "porteuse@example.org" not in text
    assert page.locator("svg[role=img]").count() >= 2
    assert page.locator("table").count() >= 2
