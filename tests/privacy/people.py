"""A fictitious person with data in every corner of the database, and a neighbour who must not
appear in her export nor lose anything when she is anonymised."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from accompagnement.audit.services import record
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects import services
from accompagnement.projects.models import Document

EMAIL = "maelle.fictive@example.org"
PHONE = "+33 1 99 00 12 34"  # a number reserved for fiction by the French regulator
NEIGHBOUR_SECRET = "NEIGHBOUR-SENTINEL-ne-pas-exporter"


@dataclass
class Scene:
    """The ids of what the scene created."""

    person_id: int
    coordinator_id: int
    neighbour_id: int
    project_id: int
    neighbour_project_id: int
    member_id: int


def table_rows() -> dict[str, list[dict[str, Any]]]:
    """Return every row of every table, in primary key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [dict(r) for r in db.session.execute(query).mappings()]
    db.session.rollback()
    return rows


def build_scene(
    make_user: Callable[..., Any], make_project: Callable[..., Any], coordinator: Any
) -> Scene:
    """Maëlle holds a project and wrote, uploaded and did things; her neighbour did too."""
    person = make_user("holder", email=EMAIL, name="Maëlle Fictive")
    person.phone, person.organisation = PHONE, "Collectif Fictif du Plateau"
    neighbour = make_user("holder", email="voisin.fictif@example.org", name="Voisin Fictif")
    neighbour.phone = "01 99 00 56 78"
    project = make_project("Ressourcerie de Maëlle", holders=[person])
    other = make_project("Ressourcerie du voisin", holders=[neighbour])
    ids = Scene(person.id, coordinator.id, neighbour.id, project.id, other.id, 0)

    services.save_form(
        ids.project_id, "premier_contact", {"project_name": "Ressourcerie de Maëlle",
        "motivations": "=HYPERLINK(\"http://x\")"}, user_id=ids.person_id, submit=False,
        base_revision=0,
    )  # fmt: skip
    services.save_form(
        ids.project_id,
        "premier_contact",
        {"project_name": "Ressourcerie de Maëlle", "holder_type": "collectif_citoyens"},
        user_id=ids.coordinator_id,
        submit=True,
        base_revision=1,
    )
    services.add_comment(ids.project_id, "Maëlle écrit : j'ai un local", user_id=ids.person_id)
    services.add_comment(ids.project_id, "Rendez-vous pris", user_id=ids.coordinator_id)
    services.set_checklist_item(
        ids.project_id, "premier_contact", "welcome_interview", done=True,
        user_id=ids.coordinator_id, note="Entretien à Felletin",
    )  # fmt: skip
    services.fire_transition(ids.project_id, "pause", user_id=ids.person_id, reason="Congé")
    services.save_form(
        ids.neighbour_project_id, "premier_contact", {"motivations": NEIGHBOUR_SECRET},
        user_id=ids.neighbour_id, submit=False, base_revision=0,
    )  # fmt: skip
    services.add_comment(ids.neighbour_project_id, NEIGHBOUR_SECRET, user_id=ids.neighbour_id)
    for uploader, project_id, name in (
        (ids.person_id, ids.project_id, "Statuts Maëlle Fictive.pdf"),
        (ids.neighbour_id, ids.neighbour_project_id, f"{NEIGHBOUR_SECRET}.pdf"),
    ):
        db.session.add(
            Document(
                project_id=project_id, original_name=name, storage_name=secrets.token_hex(16),
                content_type="application/pdf", size=1234, uploaded_by_id=uploader,
            )
        )  # fmt: skip
    member = Member(name="Ressourcerie Fictive de Tulle", contact_name="Maëlle Fictive",
                    contact_email=EMAIL.upper(), contact_phone=PHONE)  # fmt: skip
    db.session.add(member)
    record("auth.login", user_id=ids.person_id)
    record("auth.login", user_id=ids.neighbour_id, note=NEIGHBOUR_SECRET)
    db.session.commit()
    ids.member_id = member.id
    return ids
