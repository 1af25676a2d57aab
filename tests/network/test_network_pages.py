"""The network settings page (coordinators only) and where the network's settings show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.network import queries
from accompagnement.network.models import Organisation
from accompagnement.network.services import OrganisationInput

UNSET = ("Réseau des ressourceries du test", "test", [])  # the test's network, not set up


def _settings() -> tuple[str, str, list[str]]:
    network = queries.current_network()
    assert network is not None
    db.session.refresh(network)
    return (network.name, network.short_name, network.departement_codes)


SETTINGS = {
    "name": "Réseau du Limousin",
    "short_name": "limousin",
    "departements": ["19", "23"],
    "default_workflow": "",
    "report_title": "Bilan du réseau",
}


@pytest.mark.parametrize("role", ["holder", "partner", "member"])
def test_only_coordinators_reach_the_page(
    role: str, client: Any, auth: Any, make_user: Callable[..., Any]
) -> None:
    auth.login(make_user(role))
    assert client.get("/admin/network/").status_code == 403
    assert client.post("/admin/network/settings", data=SETTINGS).status_code == 403
    assert _settings() == UNSET


def test_anonymous_people_are_sent_to_sign_in(client: Any, territory: None) -> None:
    assert client.get("/admin/network/").status_code in (302, 401)


def test_a_coordinator_sets_the_network_up_then_reloads_safely(
    client: Any, auth: Any, coordinator: Any
) -> None:
    auth.login(coordinator)
    page = client.get("/admin/network/", headers={"Accept-Language": "fr"})
    assert "Réglages du réseau" in page.get_data(as_text=True)
    saved = client.post("/admin/network/settings", data=SETTINGS)
    assert saved.status_code == 302 and saved.location.endswith("/admin/network/")
    network = queries.current_network()
    assert network is not None and network.departement_codes == ["19", "23"]
    english = client.get("/admin/network/", headers={"Accept-Language": "en"})
    text = english.get_data(as_text=True)
    assert "Network settings" in text and "Yearly plan" in text and "Bilan du réseau" in text


def test_errors_show_next_to_their_field(client: Any, auth: Any, coordinator: Any) -> None:
    auth.login(coordinator)
    bad = {**SETTINGS, "short_name": "Le Limousin", "departements": ["99"]}
    page = client.post("/admin/network/settings", data=bad, headers={"Accept-Language": "en"})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert 'id="short_name-error"' in text and "lower-case letters" in text
    assert 'id="departements-error">Unknown département: 99.' in text
    assert _settings() == UNSET


def test_the_plan_and_organisations_are_edited_on_the_page(
    client: Any, auth: Any, coordinator: Any, make_network: Callable[..., Any]
) -> None:
    make_network()
    auth.login(coordinator)
    plan = client.post(
        "/admin/network/plan",
        data={"plan_reunion_coordination": "2", "plan_journee_technique": "2"},
    )
    assert plan.status_code == 302
    assert queries.yearly_plan() == {"reunion_coordination": 2, "journee_technique": 2}
    too_many = client.post("/admin/network/plan", data={"plan_journee_technique": "40"})
    assert too_many.status_code == 400
    added = client.post(
        "/admin/network/organisations",
        data={"name": "SYDED 87", "kind": "syndicate", "departement": "87", "active": "y"},
    )
    assert added.status_code == 302
    syded = db.session.scalars(select(Organisation)).one()
    assert (syded.kind, syded.departement_code, syded.active) == ("syndicate", "87", True)
    edited = client.post(
        f"/admin/network/organisations/{syded.id}", data={"name": "SYDED 87", "kind": "syndicate"}
    )
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, syded.id).active is False  # type: ignore[union-attr]
    assert client.get("/admin/network/organisations/999").status_code == 404


def test_a_partner_account_is_invited_into_an_organisation(
    client: Any, auth: Any, coordinator: Any, make_network: Callable[..., Any]
) -> None:
    make_network(departements=("23",), organisations=[OrganisationInput("CD23", "departement")])
    cd23 = db.session.scalars(select(Organisation)).one()
    auth.login(coordinator)
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert f'<option value="{cd23.id}">CD23</option>' in form
    assert 'value="87"' not in form  # only the network's départements are offered
    client.post(
        "/admin/users/new",
        data={"name": "Paula", "email": "paula@cd23.example", "role": "partner",
              "departements": ["23"], "organisation_id": str(cd23.id)},
    )  # fmt: skip
    paula = db.session.scalars(select(User).where(User.email == "paula@cd23.example")).one()
    assert paula.organisation_id == cd23.id


def test_new_project_preselects_the_network_s_default_pathway(
    client: Any, auth: Any, coordinator: Any, make_network: Callable[..., Any]
) -> None:
    auth.login(coordinator)
    page = client.get("/projects/new").get_data(as_text=True)
    assert '<option selected value="creation-ressourcerie">' in page  # default: true in its file
    make_network(default_workflow="adhesion-reseau")
    page = client.get("/projects/new").get_data(as_text=True)
    assert '<option selected value="adhesion-reseau">' in page


def test_the_board_filter_lists_the_network_s_departements(
    client: Any, auth: Any, coordinator: Any, make_network: Callable[..., Any]
) -> None:
    auth.login(coordinator)
    every = client.get("/projects/").get_data(as_text=True)
    assert '<option value="19">' in every and '<option value="87">' in every
    make_network(departements=("87",))
    mine = client.get("/projects/").get_data(as_text=True)
    assert '<option value="19">' not in mine and '<option value="87">' in mine


def test_the_departement_field_of_a_stage_form_offers_the_network_s_departements(
    client: Any,
    auth: Any,
    coordinator: Any,
    make_network: Callable[..., Any],
    make_project: Callable[..., Any],
) -> None:
    make_network(departements=("23", "87"))
    project = make_project()
    auth.login(coordinator)
    page = client.get(f"/projects/{project.id}/forms/premier_contact/edit").get_data(as_text=True)
    assert "(23)</option>" in page and "(87)</option>" in page and "(19)</option>" not in page
    refused = client.post(
        f"/projects/{project.id}/forms/premier_contact/edit",
        data={"departement": "19", "action": "draft", "base_revision": "0"},
    )
    assert refused.status_code == 400
