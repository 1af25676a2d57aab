"""A second, fictitious network beside the Limousin one, so that the difference shows: its own
coordinator, members, projects and activities; the Limousin coordinator is its partner too."""

from __future__ import annotations

import datetime as dt

from accompagnement.activities.services import ActivityInput, create_activity, today
from accompagnement.auth.models import User
from accompagnement.auth.services import create_user, find_by_email, join_network
from accompagnement.demo.people import DEMO_PASSWORD
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network.services import Settings, set_plan, setup_network
from accompagnement.projects import services as projects
from accompagnement.workflows.services import available

AUVERGNE = Settings(
    name="Réseau des ressourceries d'Auvergne (fictif)",
    short_name="auvergne",
    departements=("03", "15", "43", "63"),
    report_title="Bilan annuel du réseau auvergnat",
)
COORDINATOR_EMAIL = "coordination@auvergne.demo.example.org"
MEMBERS = (
    ("Ressourcerie des Volcans", "63113", "63"),
    ("La Recyclerie de Vichy", "03310", "03"),
    ("Ressourcerie du Cantal", "15014", "15"),
)
HOLDERS = (
    ("porteur.thiers@auvergne.demo.example.org", "Julien Roche", "Ressourcerie de Thiers", "63430"),
    ("porteuse.puy@auvergne.demo.example.org", "Nadia Vidal", "Atelier réemploi du Puy", "43157"),
    ("porteur.moulins@auvergne.demo.example.org", "Paul Girard", "Recyclerie de Moulins", "03190"),
)  # fmt: skip
# The network's own pathway (workflows/auvergne/), for its last project when it is there.
OWN_PATHWAY = "recyclerie-rurale-auvergne"
ACTIVITIES = (
    ("journee_rencontre", "Journée des ressourceries auvergnates"),
    ("reunion_coordination", "Réunion de coordination d'Auvergne"),
    ("animation", "Atelier réparation de vélos à Clermont"),
    ("sensibilisation", "Stand réemploi au marché de Vichy"),
)


def load_second_network(limousin_coordinator: User | None) -> None:
    """Fill the second network (in its scope): settings, people, members, projects, log."""
    setup_network(AUVERGNE)
    set_plan({"reunion_coordination": 3, "journee_rencontre": 1})
    coordinator = create_user(
        COORDINATOR_EMAIL, name="Sophie Auvergnat", role="coordinator", password=DEMO_PASSWORD
    )
    if limousin_coordinator is not None:  # one person, two networks: switch in the header
        join_network(limousin_coordinator, "partner")
    members = [
        Member(name=name, commune_insee=insee, departement_code=dep, joined_on=dt.date(2019, 3, 1))
        for name, insee, dep in MEMBERS
    ]
    db.session.add_all(members)
    db.session.flush()
    own = OWN_PATHWAY in available().names()
    for index, (email, person, project_name, insee) in enumerate(HOLDERS):
        holder = find_by_email(email) or create_user(
            email, name=person, role="holder", password=DEMO_PASSWORD
        )
        last = index == len(HOLDERS) - 1
        projects.create_project(
            project_name,
            workflow_name=OWN_PATHWAY if own and last else "creation-ressourcerie",
            user_id=coordinator.id,
            holder_ids=[holder.id],
            commune_insee=insee,
        )
    for index, (kind, title) in enumerate(ACTIVITIES):
        values = ActivityInput(
            date=today() - dt.timedelta(days=30 * (index + 1)),
            type=kind,
            title=title,
            member_ids=[members[index % len(members)].id],
            participants=12 + index,
        )
        create_activity(values, user_id=coordinator.id)
