"""Demo accounts and member ressourceries: fictitious people and structures of the Limousin."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from accompagnement.auth.models import User
from accompagnement.auth.services import create_user
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network.models import Organisation

DEMO_PASSWORD = "demo-accompagnement-2026"  # noqa: S105 (documented demo password)
COORDINATOR_EMAIL = "coordination@demo.example.org"

# name, kind, insee, département, joined, functions (collecte, valorisation, vente, sensibilisation)
MEMBERS = (
    ("La Trouvaille limougeaude", "ressourcerie", "87085", "87", date(2012, 3, 1), "cvvs"),
    ("Ressourcerie du Pays de Tulle", "ressourcerie", "19272", "19", date(2012, 3, 1), "cvvs"),
    ("Recyclerie de la Vézère", "recyclerie", "19031", "19", date(2012, 3, 1), "cvv-"),
    ("Le Grenier creusois", "ressourcerie", "23096", "23", date(2013, 6, 12), "cvvs"),
    ("Ressourcerie des Monts", "ressourcerie", "87064", "87", date(2014, 9, 20), "cvvs"),
    ("L'Atelier du réemploi", "ressourcerie", "87154", "87", date(2016, 1, 15), "cvvs"),
    ("Vélos solidaires du Limousin", "recyclerie", "87085", "87", date(2019, 5, 4), "cvv-"),
)

# e-mail, name, role, extra
PEOPLE: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    (COORDINATOR_EMAIL, "Camille Martin", "coordinator", {}),
    ("animation@demo.example.org", "Hugo Bernard", "coordinator", {}),
    ("porteur@demo.example.org", "Léa Dubois", "holder", {}),
    ("collectif.ussel@demo.example.org", "Julien Moreau", "holder", {}),
    ("asso.bellac@demo.example.org", "Sophie Laurent", "holder", {}),
    ("reconversion@demo.example.org", "Thomas Girard", "holder", {}),
    ("mairie.felletin@demo.example.org", "Nathalie Roux", "holder", {}),
    ("projet.bourganeuf@demo.example.org", "Karim Benali", "holder", {}),
    ("projet.yrieix@demo.example.org", "Émilie Fournier", "holder", {}),
    ("projet.aubusson@demo.example.org", "Lucas Petit", "holder", {}),
    ("projet.brive@demo.example.org", "Chloé Lefèvre", "holder", {}),
    ("projet.gueret@demo.example.org", "Antoine Mercier", "holder", {}),
    (
        "partenaire@demo.example.org",
        "Partenaire ADEME",
        "partner",
        {"organisation": "ADEME Nouvelle-Aquitaine"},
    ),
    (
        "region@demo.example.org",
        "Partenaire Région",
        "partner",
        {"organisation": "Région Nouvelle-Aquitaine"},
    ),
    (
        "cd23@demo.example.org",
        "Partenaire CD23",
        "partner",
        {"organisation": "Conseil départemental de la Creuse (CD23)", "departements": ["23"]},
    ),
    (
        "syded@demo.example.org",
        "Partenaire SYDED",
        "partner",
        {"organisation": "SYDED 87", "departements": ["87"]},
    ),
    ("adherent@demo.example.org", "Marion Chevalier", "member", {"member": "Le Grenier creusois"}),
)


def load_members() -> dict[str, Member]:
    """Create the member ressourceries that are missing; return them by name."""
    existing = {m.name: m for m in db.session.scalars(select(Member))}
    for name, kind, insee, dep, joined, functions in MEMBERS:
        if name in existing:
            continue
        member = Member(
            name=name,
            kind=kind,
            commune_insee=insee,
            departement_code=dep,
            joined_on=joined,
            does_collecte=functions[0] != "-",
            does_valorisation=functions[1] != "-",
            does_vente=functions[2] != "-",
            does_sensibilisation=functions[3] != "-",
            contact_name="Accueil",
            contact_email=f"contact@{_slug(name)}.demo.example.org",
        )
        db.session.add(member)
        existing[name] = member
    db.session.flush()
    return existing


def load_people(
    members: dict[str, Member], organisations: dict[str, Organisation] | None = None
) -> dict[str, User]:
    """Create the demo accounts that are missing; return them by e-mail address.

    Partner accounts belong to the network's organisation of that name.
    """
    users = {u.email: u for u in db.session.scalars(select(User))}
    for email, name, role, extra in PEOPLE:
        if email in users:
            continue
        options = dict(extra)
        member_name = options.pop("member", None)
        organisation = (organisations or {}).get(options.pop("organisation", ""))
        users[email] = create_user(
            email,
            name=name,
            role=role,
            password=DEMO_PASSWORD,
            member_id=members[member_name].id if member_name else None,
            **options,
        )
        users[email].organisation_id = organisation.id if organisation else None
    return users


def _slug(name: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "-".join(part for part in keep.split("-") if part)[:30]
