"""`flask users create --organisation`: a partner account joins its organisation from day one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from accompagnement.auth.models import User
from accompagnement.extensions import db
from tests.conftest import PASSWORD

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences

ORGANISATION = "Conseil départemental de la Creuse"


def create(runner: Any, *options: str) -> Any:
    return runner.invoke(
        env=ENGLISH,
        args=["users", "create", "claire@cd23.example.org", "--name", "Claire Dumas", *options],
        input=PASSWORD + "\n",
    )


def test_a_partner_is_created_in_its_organisation_named_in_any_case(
    runner: Any, make_network: Any
) -> None:
    make_network(organisations=[ORGANISATION])

    result = create(runner, "--role", "partner", "--organisation", ORGANISATION.upper())

    assert result.exit_code == 0, result.output
    partner = db.session.scalars(select(User)).one()
    assert partner.partner_organisation is not None
    assert partner.partner_organisation.name == ORGANISATION


def test_an_unknown_organisation_is_refused_naming_the_known_ones(
    runner: Any, make_network: Any
) -> None:
    make_network(organisations=[ORGANISATION])

    result = create(runner, "--role", "partner", "--organisation", "CD 23")

    assert result.exit_code == 1
    assert "no organisation is named 'CD 23'; known: " + ORGANISATION in result.output
    assert db.session.scalars(select(User)).first() is None


def test_only_a_partner_belongs_to_an_organisation(runner: Any, make_network: Any) -> None:
    make_network(organisations=[ORGANISATION])

    result = create(runner, "--role", "holder", "--organisation", ORGANISATION)

    assert result.exit_code == 1 and "only a partner" in result.output
    assert db.session.scalars(select(User)).first() is None
