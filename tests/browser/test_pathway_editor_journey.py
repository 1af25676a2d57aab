"""Issue 14: a coordinator without a shell adapts the creation pathway in the browser.

Copy the creation pathway, add «Recherche de local» between the DLA and the feasibility study
with a form (address, surface, rent) and a two-item checklist, make the study's entry require
that checklist, publish the new version; three projects (one paused) move to it, and a holder of
a moved project fills the new form. axe-core checks the editor's pages. The same journey runs
with JavaScript disabled (test_pathway_editor_journey_nojs.py: a served app of its own, since
the journey publishes a version).
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
        if section.locator(f"select#{input_id}").count():
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
        elif form.locator(f"select#{name}").count():
            form.locator(f"#{name}").select_option(value)
        else:
            form.locator(f"#{name}").fill(value)
    form.locator("button.primary").click()
    page.wait_for_load_state()


def flash(page: Any) -> str:
    return str(page.locator(".flashes").inner_text())


def projects_on_the_current_version() -> dict[str, int]:
    """Three projects of the holder on the current version: in the study, at the DLA, paused."""
    from sqlalchemy import select

    from accompagnement.auth.models import User
    from accompagnement.extensions import db
    from accompagnement.projects import services

    coordinator = db.session.scalar(select(User).where(User.email == "coord@example.org"))
    holder = db.session.scalar(select(User).where(User.email == "porteuse@example.org"))
    assert coordinator is not None and holder is not None
    found = {}
    for name, state, back in (
        ("Ressourcerie d'Eymoutiers", "etude_faisabilite", None),
        ("Ressourcerie de Felletin", "dla", None),
        ("Ressourcerie d'Ussel", "en_pause", "visites"),
    ):
        project = services.create_project(
            name, workflow_name="creation-ressourcerie", user_id=coordinator.id,
            holder_ids=[holder.id],
        )  # fmt: skip
        project.state, project.return_state = state, back  # arranged, not played
        found[state] = project.id
    return found


def stages_of_projects() -> dict[int, tuple[str, str | None, int]]:
    """Return every project's stage, return stage and version."""
    from sqlalchemy import select

    from accompagnement.extensions import db
    from accompagnement.projects.models import Project

    rows = db.session.execute(
        select(Project.id, Project.state, Project.return_state, Project.workflow_version)
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def journey(new_page: Callable[..., Any], in_app: Callable[..., Any], javascript: bool) -> None:
    """Play the whole journey in a browser, with or without JavaScript."""
    projects = in_app(projects_on_the_current_version)
    page = new_page(java_script_enabled=javascript)
    login(page, "coord@example.org")

    def audit(page: Any) -> None:
        if javascript:  # axe-core is a script: it runs on the same pages with JavaScript
            check_accessibility(page)

    page.goto("/pathways/")
    audit(page)
    page.locator("#source").select_option("creation-ressourcerie")
    page.locator("form[action='/pathways/'] button.primary").click()
    page.wait_for_load_state()
    draft_url = re.sub(r"#.*", "", page.url)
    assert "Le parcours n'a aucun problème" in page.content()
    audit(page)

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
    audit(page)

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
    audit(page)  # a field's page
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
    audit(page)

    page.goto(draft_url)
    assert "Le parcours n'a aucun problème" in page.content(), page.locator("#check").inner_text()
    diagram = page.locator("svg[role=img]")
    assert "Recherche de local" in str(diagram.text_content())
    page.locator("#check form button.primary").click()
    page.wait_for_load_state()
    assert "Version 3 de creation-ressourcerie publiée." in flash(page)

    # The move: a preview of where each project lands, then one confirmed post.
    page.goto("/projects/moves/creation-ressourcerie/3")
    preview = page.locator("main").inner_text()
    for name in ("Ressourcerie d'Eymoutiers", "Ressourcerie de Felletin", "Ressourcerie d'Ussel"):
        assert name in preview
    assert in_app(stages_of_projects)[projects["dla"]][2] == 2  # nothing moved yet
    audit(page)
    page.locator("main form[method=post] button.primary").click()
    page.wait_for_load_state()
    moved = in_app(stages_of_projects)
    assert moved[projects["etude_faisabilite"]] == ("etude_faisabilite", None, 3)
    assert moved[projects["dla"]] == ("dla", None, 3)
    assert moved[projects["en_pause"]] == ("en_pause", "visites", 3)

    holder = new_page(java_script_enabled=javascript)
    login(holder, "porteuse@example.org")
    holder.goto(f"/projects/{projects['etude_faisabilite']}/forms/recherche_local/edit")
    holder.locator("#f-adresse").fill("12 rue des Tanneries, Eymoutiers")
    holder.locator("#f-surface").fill("240,5")
    holder.locator("#f-loyer").fill("900")
    holder.locator("form.stage-form button[value=submit]").click()
    holder.wait_for_load_state()
    holder.goto(f"/projects/{projects['etude_faisabilite']}/forms/recherche_local")
    saved = holder.locator("main").inner_text()
    assert "12 rue des Tanneries, Eymoutiers" in saved and "240,5" in saved


def test_a_coordinator_adds_a_stage_publishes_it_and_a_holder_fills_its_form(
    new_page: Callable[..., Any], in_app: Callable[..., Any], people: dict[str, Any]
) -> None:
    journey(new_page, in_app, javascript=True)
