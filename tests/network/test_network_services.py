"""The network's settings, plan and organisations through the services (and the migration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from accompagnement import tenancy
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.network import queries, services
from accompagnement.network.models import Network, Organisation
from accompagnement.network.services import OrganisationInput, Settings

UNSET = ("Réseau des ressourceries du test", "test", [])  # the test's network, not set up


def _settings() -> tuple[str, str, list[str]]:
    network = queries.current_network()
    assert network is not None
    db.session.refresh(network)
    return (network.name, network.short_name, network.departement_codes)


LIMOUSIN = Settings(name="Réseau du Limousin", short_name="limousin", departements=["19", "23"])


def test_setting_up_twice_keeps_one_network_with_the_latest_settings(territory: None) -> None:
    services.setup_network(LIMOUSIN)
    again = Settings(name="Réseau Limousin", short_name="limousin", departements=["23", "87"])
    network = services.setup_network(again)
    db.session.commit()
    assert db.session.scalar(select(func.count(Network.id))) == 1
    assert (network.name, network.departement_codes) == ("Réseau Limousin", ["23", "87"])


def test_unknown_departements_are_named_and_nothing_is_saved(territory: None) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.setup_network(Settings(name="R", short_name="r", departements=["19", "99", "XX"]))
    assert refused.value.errors == {"departements": "Département inconnu : 99, XX."}
    db.session.rollback()
    assert _settings() == UNSET


def test_bad_names_and_an_unknown_default_pathway_are_refused_by_field(territory: None) -> None:
    bad = Settings(name=" ", short_name="Le Limousin", departements=[], default_workflow="nope")
    with pytest.raises(InvalidInput) as refused:
        services.setup_network(bad, workflows=["creation-ressourcerie"])
    assert set(refused.value.errors) == {"name", "short_name", "default_workflow"}


def test_the_departement_lists_fall_back_to_every_loaded_departement(territory: None) -> None:
    every = [d.code for d in queries.departements()]
    assert len(every) == 109  # the shipped geography: 101 départements with 2A/2B, + overseas
    assert {"19", "23", "87", "2A", "2B", "971"} <= set(every)
    services.setup_network(Settings(name="R", short_name="r", departements=["87"]))
    assert [code for code, _ in queries.departement_choices()] == ["87"]
    assert [c.key for c in queries.form_choices()["departement"]] == ["87"]


def test_the_plan_is_set_changed_and_cleared_by_type(make_network: Callable[..., Any]) -> None:
    make_network()
    services.set_plan({"reunion_coordination": 2, "journee_technique": 2})
    assert queries.yearly_plan() == {"reunion_coordination": 2, "journee_technique": 2}
    services.set_plan({"reunion_coordination": 0, "comite_pilotage": 1})
    assert queries.yearly_plan() == {"journee_technique": 2, "comite_pilotage": 1}


@pytest.mark.parametrize(
    ("counts", "field"),
    [({"apero": 1}, "apero"), ({"journee_technique": 13}, "journee_technique"),
     ({"journee_technique": -1}, "journee_technique")],
)  # fmt: skip
def test_a_bad_plan_is_refused_by_type(
    make_network: Callable[..., Any], counts: dict[str, int], field: str
) -> None:
    make_network()
    with pytest.raises(InvalidInput) as refused:
        services.set_plan(counts)
    assert list(refused.value.errors) == [field]


def test_the_plan_needs_a_network(territory: None) -> None:
    outside = tenancy.enter(None)  # no network in scope: none is set up for this work
    try:
        assert queries.current_network() is None
        with pytest.raises(NotFound):
            services.set_plan({"journee_technique": 2})
    finally:
        tenancy.leave(outside)


def test_organisations_are_idempotent_by_name_and_checked(
    make_network: Callable[..., Any],
) -> None:
    make_network()
    first = services.save_organisation(OrganisationInput("SYDED 87", "syndicate", "87"))
    again = services.save_organisation(OrganisationInput("syded  87", "syndicate", "87"))
    assert first.id == again.id and again.name == "syded 87"
    with pytest.raises(InvalidInput) as refused:
        services.save_organisation(OrganisationInput("", "bank", "99"))
    assert set(refused.value.errors) == {"name", "kind", "departement"}


def test_renaming_an_organisation_onto_another_is_refused(
    make_network: Callable[..., Any],
) -> None:
    make_network(organisations=["ADEME", "Région"])
    ademe = db.session.scalars(select(Organisation).where(Organisation.name == "ADEME")).one()
    with pytest.raises(InvalidInput) as refused:
        services.save_organisation(OrganisationInput("région"), organisation_id=ademe.id)
    assert list(refused.value.errors) == ["name"]


def test_inactive_organisations_are_not_offered_nor_reported(
    make_network: Callable[..., Any],
) -> None:
    make_network(organisations=["ADEME", OrganisationInput("DREAL", "state", active=False)])
    assert [name for _, name in queries.organisation_choices()] == ["ADEME"]
    assert [o.name for o in queries.organisations(active_only=True)] == ["ADEME"]
    dreal = db.session.scalars(select(Organisation).where(Organisation.name == "DREAL")).one()
    assert [name for _, name in queries.organisation_choices(dreal.id)] == ["ADEME", "DREAL"]


def test_a_short_name_typed_in_capitals_is_kept_in_lower_case(territory: None) -> None:
    network = services.setup_network(Settings(name="R", short_name=" DRRL ", departements=["87"]))
    assert network.short_name == "drrl"
