"""A project that opened joins the network: it becomes a member of the directory, once.

The member directory knows nothing of projects; the project side reads its stage forms and
creates the member. Functions take plain values, check who may act, flush and never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.auth.services import active_coordinator
from accompagnement.db import utcnow
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.members.models import FUNCTIONS, Member, MemberKind, MemberStatus
from accompagnement.members.services import AlreadyMember
from accompagnement.members.validation import name_taken
from accompagnement.projects.models import Project
from accompagnement.projects.queries import get_visible_project, latest_forms, latest_submitted
from accompagnement.territory.services import resolve_commune

# Stages from which a project may become a member: about to open, open, or admitted.
MEMBER_STAGES = ("ouverture", "ouverte", "adherente")
OPENING_FIELD = ("ouverture", "opening_date")


def _coordinator(user_id: int) -> User:
    return active_coordinator(user_id, "Only a coordinator can change the member directory")


def member_from_project(project_id: int, user_id: int) -> Member:
    """Turn a project that opened (or was admitted) into a member of the directory, once."""
    user = _coordinator(user_id)
    project = get_visible_project(user, project_id)
    if project.state not in MEMBER_STAGES:
        raise InvalidInput(_("Only a project that is opening or open can become a member."))
    if db.session.scalars(select(Member.id).where(Member.project_id == project.id)).first():
        raise AlreadyMember(_("This project is already a member."))
    if name_taken(project.name):
        raise AlreadyMember(_("A member with this name already exists."))
    forms = {**_data(latest_forms(project.id)), **_data(latest_submitted(project.id))}
    member = _member_of(project, forms)
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError as exc:
        raise AlreadyMember(_("This project is already a member.")) from exc
    record("member.from_project", user_id=user.id, project_id=project.id, member_id=member.id)
    return member


def _data(forms: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {stage: row.data or {} for stage, row in forms.items()}


def _member_of(project: Project, forms: dict[str, Mapping[str, Any]]) -> Member:
    insee = project.commune_insee or _form_value(forms, "commune")
    commune = resolve_commune(insee) if isinstance(insee, str) else None
    functions = _form_value(forms, "functions")
    chosen = set(functions) & set(FUNCTIONS) if isinstance(functions, list) else set(FUNCTIONS)
    member = Member(
        name=project.name[:200],
        kind=MemberKind.RESSOURCERIE.value,
        status=MemberStatus.MEMBER.value,
        commune_insee=commune.insee if commune else None,
        departement_code=commune.departement_code if commune else None,
        joined_on=_opening_date(forms),
        project_id=project.id,
    )
    for function in FUNCTIONS:
        setattr(member, f"does_{function}", function in (chosen or FUNCTIONS))
    return member


def _form_value(forms: dict[str, Mapping[str, Any]], key: str) -> Any:
    for data in forms.values():
        if data.get(key):
            return data[key]
    return None


def _opening_date(forms: dict[str, Mapping[str, Any]]) -> date:
    """Return the opening date of the ouverture form when it is known and past, else today."""
    stage, key = OPENING_FIELD
    raw = forms.get(stage, {}).get(key)
    today = utcnow().date()
    try:
        opening = date.fromisoformat(raw) if isinstance(raw, str) else raw
    except ValueError:
        return today
    return opening if isinstance(opening, date) and opening <= today else today
