"""Fixtures of the open data tests: a network with figures, and personal data planted around."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport

# Strings planted in every personal field: none may appear in any published file or page.
PERSONAL = (
    "Zoé Sentinelle-Porteuse",
    "zoe.sentinelle@perso-example.org",
    "Marius Contactprivé",
    "marius.contact@perso-example.org",
    "+33 6 12 34 56 78",
    "Projet secret de Zoé",
)
YEAR = 2024


@pytest.fixture
def published(
    make_network: Callable[..., Any],
    make_member: Callable[..., Member],
    make_user: Callable[..., Any],
    make_project: Callable[..., Any],
) -> Any:
    """A network with two members (one reporting twice), three projects and their holders."""
    network = make_network(name="Réseau des ressourceries du Limousin", short_name="limousin")
    tulle = make_member(
        "Ressourcerie du Pays de Tulle", commune_insee="19272", departement_code="19",
        website="https://tulle.example.org", contact_name=PERSONAL[2],
        contact_email=PERSONAL[3], contact_phone=PERSONAL[4], does_vente=False,
    )  # fmt: skip
    gueret = make_member("Recyclerie de Guéret", kind="recyclerie", commune_insee="23096",
                         departement_code="23")  # fmt: skip
    for member, collected in ((tulle, "60.5"), (gueret, "39.5")):
        db.session.add(ObservatoryReport(
            member_id=member.id, year=YEAR, collected_dropoff=Decimal(collected),
            out_sale=Decimal("20"), out_recycling=Decimal("10"), headcount=4,
            women_percent=Decimal("50"), turnover=Decimal("1000"), sales_count=100,
        ))  # fmt: skip
    db.session.add(ObservatoryReport(member_id=tulle.id, year=YEAR - 1,
                                     collected_dropoff=Decimal("999")))  # fmt: skip
    db.session.commit()
    holder = make_user("holder", name=PERSONAL[0], email=PERSONAL[1])
    created = datetime(YEAR, 3, 1, 12)
    make_project(PERSONAL[5], holders=[holder], commune="87085", at=created)
    make_project("Ressourcerie de Felletin", holders=[holder], commune="23079", at=created)
    make_project("Sans commune", holders=[holder], commune=None, at=created)
    return network
