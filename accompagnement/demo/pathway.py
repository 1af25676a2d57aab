"""Demo projects spread over every stage, with a history made through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from accompagnement.auth.models import User
from accompagnement.db import utcnow
from accompagnement.members.models import Member
from accompagnement.projects import services
from accompagnement.projects.models import Project


@dataclass(frozen=True)
class DemoProject:
    name: str
    holder: str
    commune: str
    departement: str
    target: str  # the stage the project is in today
    started_days_ago: int
    workflow: str = "creation-ressourcerie"
    via: tuple[str, ...] = field(default_factory=tuple)  # side moves once on target (pause...)


CREATION_ORDER = ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverture", "ouverte")
ADHESION_ORDER = ("candidature", "visite", "avis_ca", "adherente")

PROJECTS = (
    DemoProject(
        "Ressourcerie de Haute-Corrèze",
        "collectif.ussel@demo.example.org",
        "19275",
        "19",
        "premier_contact",
        40,
    ),
    DemoProject(
        "Recyclerie du Haut Limousin",
        "asso.bellac@demo.example.org",
        "87011",
        "87",
        "premier_contact",
        75,
    ),
    DemoProject(
        "Réemploi en Pays de Saint-Yrieix",
        "projet.yrieix@demo.example.org",
        "87187",
        "87",
        "premier_contact",
        130,
    ),
    DemoProject(
        "Ressourcerie de Bourganeuf",
        "projet.bourganeuf@demo.example.org",
        "23030",
        "23",
        "visites",
        200,
    ),
    DemoProject("La Boîte à réemploi", "porteur@demo.example.org", "87085", "87", "visites", 150),
    DemoProject(
        "Ressourcerie du Bassin de Brive",
        "projet.brive@demo.example.org",
        "19031",
        "19",
        "visites",
        420,
    ),
    DemoProject(
        "Ressourcerie d'Aubusson", "projet.aubusson@demo.example.org", "23008", "23", "dla", 380
    ),
    DemoProject(
        "Recyclerie textile de Guéret", "projet.gueret@demo.example.org", "23096", "23", "dla", 700
    ),
    DemoProject(
        "Ressourcerie de Felletin",
        "mairie.felletin@demo.example.org",
        "23079",
        "23",
        "etude_faisabilite",
        820,
    ),
    DemoProject(
        "Atelier vélo de Tulle",
        "reconversion@demo.example.org",
        "19272",
        "19",
        "etude_faisabilite",
        1100,
    ),
    DemoProject(
        "Ressourcerie de la Porte Océane",
        "porteur@demo.example.org",
        "87154",
        "87",
        "ouverture",
        1300,
    ),
    DemoProject(
        "Ressourcerie Marchoise", "projet.gueret@demo.example.org", "23176", "23", "ouverte", 1500
    ),
    DemoProject(
        "Ressourcerie des Combrailles",
        "collectif.ussel@demo.example.org",
        "19275",
        "19",
        "visites",
        500,
        via=("pause",),
    ),
    DemoProject(
        "Ressourcerie du Plateau",
        "reconversion@demo.example.org",
        "87064",
        "87",
        "dla",
        900,
        via=("abandon",),
    ),
    DemoProject(
        "Adhésion : Recyclerie de Brive",
        "projet.brive@demo.example.org",
        "19031",
        "19",
        "visite",
        90,
        workflow="adhesion-reseau",
    ),
    DemoProject(
        "Adhésion : Ressourcerie de Tulle Sud",
        "reconversion@demo.example.org",
        "19272",
        "19",
        "avis_ca",
        160,
        workflow="adhesion-reseau",
    ),
)

SIDE_REASONS = {
    "pause": "Le collectif cherche un local et fait une pause de quelques mois.",
    "abandon": "Le porteur de projet a déménagé ; pas de relais sur le territoire.",
}


def load_projects(users: dict[str, User], members: dict[str, Member], coordinator: User) -> int:
    """Create every demo project with its forms, checklists and transitions; return the count."""
    member_ids = [m.id for m in members.values()]
    for demo in PROJECTS:
        _load_one(demo, users[demo.holder], coordinator, member_ids)
    return len(PROJECTS)


def _load_one(demo: DemoProject, holder: User, coordinator: User, member_ids: list[int]) -> None:
    clock = utcnow() - timedelta(days=demo.started_days_ago)
    project = services.create_project(
        demo.name,
        workflow_name=demo.workflow,
        user_id=coordinator.id,
        holder_ids=[holder.id],
        commune_insee=demo.commune,
        at=clock,
    )
    order = CREATION_ORDER if demo.workflow == "creation-ressourcerie" else ADHESION_ORDER
    steps = order[: order.index(demo.target) + 1]
    step_days = max(demo.started_days_ago // max(len(steps), 1), 1)
    for stage, following in zip(steps, steps[1:], strict=False):
        clock += timedelta(days=step_days * 0.8)
        _complete_stage(project, stage, demo, holder, coordinator, member_ids, clock)
        trigger = _trigger(project, following)
        services.fire_transition(
            project.id, trigger, user_id=coordinator.id, at=clock, reason=_reason(trigger)
        )
    if demo.target in ("premier_contact", "visites", "candidature"):
        clock += timedelta(days=step_days * 0.4)
        _fill(project, demo.target, demo, holder, member_ids, clock, submit=False)
    for side in demo.via:
        clock += timedelta(days=step_days * 0.5)
        services.fire_transition(
            project.id, side, user_id=coordinator.id, at=clock, reason=SIDE_REASONS[side]
        )


def _trigger(project: Project, dest: str) -> str:
    if dest == "etude_faisabilite" and project.id % 2 == 0:
        return "skip"  # a holder with no employee yet cannot use the DLA
    return {"ouverte": "open", "adherente": "accept"}.get(dest, "advance")


def _reason(trigger: str) -> str | None:
    return (
        "Pas encore de salarié : non éligible au DLA pour l'instant." if trigger == "skip" else None
    )


def _complete_stage(
    project: Project,
    stage: str,
    demo: DemoProject,
    holder: User,
    coordinator: User,
    member_ids: list[int],
    at: datetime,
) -> None:
    workflow = services.workflow_of(project)
    definition = workflow.stage(stage)
    if definition.form is not None:
        _fill(project, stage, demo, holder, member_ids, at, submit=True)
    for item in definition.checklist or []:
        services.set_checklist_item(
            project.id, stage, item.key, done=True, user_id=coordinator.id, at=at
        )


def _fill(
    project: Project,
    stage: str,
    demo: DemoProject,
    holder: User,
    member_ids: list[int],
    at: datetime,
    *,
    submit: bool,
) -> None:
    data = FORMS[stage](demo, member_ids, at.date())
    current = services.queries.latest_forms(project.id).get(stage)
    services.save_form(
        project.id,
        stage,
        data,
        user_id=holder.id,
        submit=submit,
        base_revision=current.revision if current else None,
        at=at,
    )


def _premier_contact(demo: DemoProject, _members: list[int], _day: date) -> dict[str, Any]:
    return {
        "project_name": demo.name,
        "holder_type": "collectif_citoyens" if "Ressourcerie" in demo.name else "association",
        "motivations": "Réduire les déchets du territoire et créer des emplois locaux.",
        "communes": [{"insee": demo.commune, "name": ""}],
        "departement": demo.departement,
        "population": "12500",
        "authority_support": "oui",
    }


def _visites(_demo: DemoProject, members: list[int], day: date) -> dict[str, Any]:
    return {
        "visits": [
            {
                "member": str(members[0]),
                "date": (day - timedelta(days=40)).isoformat(),
                "kind": "visite",
                "days": "1",
                "lessons": "Organisation de la collecte en déchèterie.",
            },
            {
                "member": str(members[3]),
                "date": (day - timedelta(days=12)).isoformat(),
                "kind": "immersion",
                "days": "3",
                "lessons": "Tri, valorisation et tenue du magasin.",
            },
        ]
    }


def _dla(_demo: DemoProject, _members: list[int], day: date) -> dict[str, Any]:
    return {
        "operator": "DLA de la Creuse",
        "phase_welcome": day.isoformat(),
        "themes": ["modele_economique", "finances"],
        "days": "4,5",
        "cost": "3 600",
    }


def _etude(_demo: DemoProject, _members: list[int], _day: date) -> dict[str, Any]:
    return {
        "author": "bureau_etudes",
        "funders": ["ademe", "region"],
        "deposit_tonnes": "1 280",
        "reusable_percent": "40",
        "kg_per_inhabitant": "8,7",
        "collection_modes": ["apport_volontaire", "caisson_decheterie"],
        "workshops": ["mobilier", "textile"],
        "shop_m2": "180",
        "storage_m2": "250",
        "tenure": "location",
        "planned_fte": "4",
        "legal_form": "association",
        "integration_framework": "aci",
        "investment": "85 000",
        "funding_lines": [
            {"funder": "ADEME", "amount": "30 000", "status": "accorde"},
            {"funder": "Région", "amount": "25 000", "status": "demande"},
        ],
    }


def _ouverture(demo: DemoProject, _members: list[int], day: date) -> dict[str, Any]:
    return {
        "opening_date": day.isoformat(),
        "address": f"2 rue du Réemploi, {demo.name[-20:]}",
        "fte_at_opening": "3,5",
        "collection_agreement_signed": "oui",
        "network_member": "oui",
    }


def _candidature(demo: DemoProject, _members: list[int], _day: date) -> dict[str, Any]:
    return {
        "structure_name": demo.name.split(": ")[-1],
        "legal_form": "association",
        "commune": demo.commune,
        "functions": ["collecte", "valorisation", "vente"],
        "motivation": "Rejoindre le réseau pour mutualiser les outils et la formation.",
    }


def _visite(_demo: DemoProject, _members: list[int], day: date) -> dict[str, Any]:
    return {
        "visit_date": day.isoformat(),
        "visitors": "Deux membres du CA",
        "report": "Structure solide, atelier bien équipé.",
    }


FORMS = {
    "premier_contact": _premier_contact,
    "visites": _visites,
    "dla": _dla,
    "etude_faisabilite": _etude,
    "ouverture": _ouverture,
    "candidature": _candidature,
    "visite": _visite,
}


def open_projects_join(coordinator: User) -> dict[str, Member]:
    """Turn the projects that opened into members of the network, as a coordinator would."""
    from sqlalchemy import select

    from accompagnement.extensions import db
    from accompagnement.projects.membership import member_from_project

    opened = db.session.scalars(select(Project).where(Project.state == "ouverte")).all()
    joined = [member_from_project(project.id, coordinator.id) for project in opened]
    return {member.name: member for member in joined}
