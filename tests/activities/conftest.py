"""Factories of the activity log tests: member ressourceries, activities, project visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from accompagnement.activities import services
from accompagnement.activities.services import ActivityInput
from accompagnement.extensions import db
from accompagnement.members.models import Member
from tests.conftest import english_client, english_locale


@pytest.fixture
def make_member(territory: None) -> Callable[..., Member]:
    """Return a factory of member ressourceries: make_member("Ressourcerie du Pays de Tulle")."""

    def make(name: str, **fields: Any) -> Member:
        member = Member(name=name, **fields)
        db.session.add(member)
        db.session.commit()
        return member

    return make


@pytest.fixture
def make_activity(coordinator: Any) -> Callable[..., Any]:
    """Return a factory of activities recorded through the service, committed."""

    def make(
        on: dt.date | str,
        type_: str = "journee_rencontre",
        title: str | None = None,
        members: list[Member] = (),  # type: ignore[assignment]
        **fields: Any,
    ) -> Any:
        day = dt.date.fromisoformat(on) if isinstance(on, str) else on
        values = ActivityInput(
            date=day,
            type=type_,
            title=title or f"{type_} {day.isoformat()}",
            member_ids=[m.id for m in members],
            **fields,
        )
        activity = services.create_activity(values, user_id=coordinator.id)
        db.session.commit()
        return activity

    return make


@pytest.fixture
def save_visits(coordinator: Any) -> Callable[..., Any]:
    """Return a helper saving a project's visits form through the projects service."""
    from accompagnement.projects import queries
    from accompagnement.projects.services import save_form

    def save(project: Any, visits: list[tuple[Member, str]], *, submit: bool = True) -> Any:
        current = queries.latest_forms(project.id).get("visites")
        raw = {
            "visits": [
                {"member": str(member.id), "date": on, "kind": "visite"} for member, on in visits
            ]
        }
        submission = save_form(
            project.id,
            "visites",
            raw,
            user_id=coordinator.id,
            submit=submit,
            base_revision=current.revision if current else 0,
        )
        db.session.commit()
        return submission

    return save


# These tests read the English wording; French is checked by the catalogue tests.
in_english = pytest.fixture(autouse=True)(english_locale)
client = english_client
