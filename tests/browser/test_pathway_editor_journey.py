"""Issue 14: a coordinator without a shell adapts the creation pathway in the browser.

Copy the creation pathway, add «Recherche de local» between the DLA and the feasibility study
with a form (address, surface, rent) and a two-item checklist, make the study's entry require
that checklist, publish the new version. axe-core checks the editor's pages; the same journey
runs with JavaScript disabled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import check_accessibility, login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def add_to(page: Any, list_id: str, values: dict[str, str]) -> None:
    """Open a list's "Add" form, fill it and send it: inputs by id, selects by value, a box of
    a list of checkboxes as "name=value"."""
    section = page.locator(f"#{list_id}")
    section.locator("summary").click()
    for input_id, value in values.items():
        if "=" in input_id:
            name, box = input_id.split("=")
            section.locator(f"input[name={name}][value={box}]").check()
            continue
        element = section.locator(f"#{input_id}")
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        elif element.get_attribute("type") == "checkbox":
            element.check() if value else element.uncheck()
        else:
            element.fill(value)
    section.locator("details form button.primary").click()
    page.wait_for_load_state()


def save_item(page: Any, values: dict[str, Any]) -> None:
    """Change the inputs of the item's own form and save it."""
    form = page.locator("form.pathway-item").first
    for name, value in values.items():
        if isinstance(value, list):  # checkboxes of a list: tick exactly these values
            for box in form.locator(f"input[name={name}]").all():
                box.set_checked(box.get_attribute("value") in value)
        elif form.locator(f"#{name}").evaluate("e => e.tagName") == "SELECT":
            form.locator(f"#{name}").select_option(value)
        else:
            form.locator(f"#{name}").fill(value)
    form.locator("button.primary").click()
    page.wait_for_load_state()


def flash(page: Any) -> str:
    return str(page.locator(".flashes").inner_text())


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_coordinator_adds_a_stage_and_publishes_the_new_version(
    new_page: Callable[..., Any], people: dict[str, Any], javascript: bool
) -> None:
    page = new_page(java_script_enabled=javascript)
    login(page, "coord@example.org")

    page.goto("/pathways/")
    check_accessibility(page)
    page.locator("#source").select_option("creation-ressourcerie")
    page.locator("form[action='/pathways/'] button.primary").click()
    page.wait_for_load_state()
    draft_url = re.sub(r"#.*", "", page.url)
    assert "Le parcours n'a aucun problème" in page.content()
    check_accessibility(page)

    # The new stage, after the DLA (stages: premier_contact, visites, dla, ...).
    add_to(
        page,
        "list-stages",
        {
            "new-stage-position": "3",
            "new-stage-key": "recherche_local",
            "new-stage-label_fr": "Recherche de local",
            "new-stage-label_en": "Finding premises",
            "new-stage-usual_days": "120",
        },
    )
    stage_url = page.url
    assert stage_url.endswith("/stages/3")
    assert "Ajouté." in flash(page)
    check_accessibility(page)

    for key, kind, label in (
        ("adresse", "text", "Adresse"),
        ("surface", "decimal", "Surface"),
        ("loyer", "money", "Loyer mensuel"),
    ):
        page.goto(stage_url)
        values = {"new-field-key": key, "new-field-type": kind, "new-field-label_fr": label}
        if key == "surface":
            values["new-field-unit_fr"] = "m²"
            values["new-field-required"] = "y"
        add_to(page, "list-stages-3-form-fields", values)
    check_accessibility(page)  # a field's page
    page.goto(stage_url)
    for key, label in (("local_visite", "Local visité"), ("bail_signe", "Bail signé")):
        add_to(page, "list-stages-3-checklist", {"new-item-key": key, "new-item-label_fr": label})
    preview = page.locator("#preview")
    assert preview.locator("#f-adresse").count() == 1
    assert "Surface (m²)" in preview.inner_text()

    # The DLA now leads to the new stage, which leads to the study once its checklist is ticked.
    page.goto(f"{draft_url}/transitions/2")
    save_item(page, {"dest": "recherche_local", "label_fr": "Passer à la recherche de local"})
    page.goto(draft_url)
    add_to(
        page,
        "list-transitions",
        {
            "new-transition-trigger": "advance",
            "new-transition-label_fr": "Passer à l'étude de faisabilité",
            "new-transition-source=recherche_local": "y",
            "new-transition-dest": "etude_faisabilite",
            "new-transition-roles=coordinator": "y",
        },
    )
    index = page.url.rsplit("/", 1)[1]  # the new transition's page
    add_to(page, f"list-transitions-{index}-guards", {"new-guard-name": "checklist_complete"})
    check_accessibility(page)

    page.goto(draft_url)
    assert "Le parcours n'a aucun problème" in page.content(), page.locator("#check").inner_text()
    diagram = page.locator("svg[role=img]")
    assert "Recherche de local" in str(diagram.text_content())
    page.locator("#check form button.primary").click()
    page.wait_for_load_state()
    assert "Version 3 de creation-ressourcerie publiée." in flash(page)
