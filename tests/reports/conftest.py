"""A year of network life with known answers, for the steering committee report (2024).

Members: A joined before, B and C during 2024 (C on 31 December), D after, E without a date.
Activities: done ones in and out of the year, a planned one in the year (not counted), visits
by a local authority, another visitor and a project holder (recorded in a project's form).
Projects: P1 opened in November 2024; P2 still at its first stage at the end of 2024 although
it moved on since; P3 created in 2025; P4 put on hold at 23:30 on 31 December 2024 (Paris time)
and resumed 30 minutes later, on 1 January 2025.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network.services import OrganisationInput
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.projects.models import Project, TransitionRecord

PARIS = ZoneInfo("Europe/Paris")


def utc(text: str) -> dt.datetime:
    """Return the naive UTC time of a Paris local time 'YYYY-MM-DD HH:MM'."""
    local = dt.datetime.fromisoformat(text).replace(tzinfo=PARIS)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


@pytest.fixture
def history_project() -> Callable[..., Project]:
    """Return a factory of projects with a given transition history: [(Paris time, state)]."""

    def make(name: str, steps: list[tuple[str, str]]) -> Project:
        project = Project(name=name, workflow_name="creation-ressourcerie", workflow_version=1,
                          state=steps[-1][1])  # fmt: skip
        db.session.add(project)
        db.session.flush()
        previous = None
        for at, state in steps:
            db.session.add(TransitionRecord(
                project_id=project.id, workflow_version=1, trigger="create" if previous is None
                else f"to_{state}", from_state=previous, to_state=state, at=utc(at),
            ))  # fmt: skip
            previous = state
        db.session.commit()
        return project

    return make


@pytest.fixture
def project_visit(make_project: Callable[..., Any], save_visits: Callable[..., Any]) -> Callable:
    """Record a project holder's visit of a member in a project's visits form."""

    def save(visits: list[tuple[Member, str]]) -> Any:
        project = make_project("Projet de ressourcerie à Felletin")
        save_visits(project, visits)
        return project

    return save


@pytest.fixture
def network_year(
    make_member: Callable[..., Member],
    make_activity: Callable[..., Any],
    history_project: Callable[..., Project],
    project_visit: Callable[..., Any],
    make_user: Callable[..., Any],
    make_network: Callable[..., Any],
) -> dict[str, Member]:
    network = make_network(
        name="Réseau des ressourceries du test",
        organisations=[
            OrganisationInput("ADEME", kind="ademe"),
            OrganisationInput("Région Limousin", kind="region"),
            OrganisationInput("Limousin Actif", kind="finance"),  # no account: listed all the same
            OrganisationInput("DREAL Limousin", kind="state", active=False),
        ],
    )
    orgs = {o.name: o.id for o in network.organisations}
    a = make_member("Ressourcerie A", joined_on=dt.date(2013, 5, 1))
    b = make_member("Ressourcerie B", joined_on=dt.date(2024, 3, 1))
    c = make_member("Ressourcerie C", joined_on=dt.date(2024, 12, 31))
    make_member("Ressourcerie D", joined_on=dt.date(2025, 1, 1))
    make_member("Ressourcerie E")

    make_activity("2024-02-10", "journee_rencontre", members=[a, b])
    make_activity("2024-06-10", "journee_rencontre", members=[a])
    make_activity("2023-12-31", "journee_rencontre", members=[a, b, c])
    make_activity("2025-01-01", "journee_rencontre", members=[c])
    make_activity("2024-09-20", "sensibilisation", members=[a, b, c])
    make_activity("2024-10-01", "sensibilisation", members=[a], status="planned")
    make_activity("2024-04-04", "animation", members=[b])
    make_activity("2024-05-05", "visite", members=[a], visitor="collectivite")
    make_activity("2024-07-07", "visite", members=[b], visitor="autre")
    make_activity("2024-11-11", "colloque", members=[], partner="ADEME")
    project_visit([(a, "2024-08-08"), (b, "2023-08-08")])

    history_project("P1", [
        ("2023-03-01 10:00", "premier_contact"), ("2023-09-01 10:00", "visites"),
        ("2024-02-01 10:00", "dla"), ("2024-06-01 10:00", "etude_faisabilite"),
        ("2024-09-01 10:00", "ouverture"), ("2024-11-15 10:00", "ouverte"),
    ])  # fmt: skip
    history_project(
        "P2", [("2024-05-01 10:00", "premier_contact"), ("2025-02-01 10:00", "visites")]
    )
    history_project("P3", [("2025-03-01 10:00", "premier_contact")])
    history_project("P4", [
        ("2022-01-01 10:00", "premier_contact"), ("2024-12-31 23:30", "en_pause"),
        ("2025-01-01 00:00", "premier_contact"),
    ])  # fmt: skip

    partner = partial(make_user, "partner", password=None)  # no password: no slow hashing
    partner(name="Paula Partenaire", email="paula@ademe.example").organisation_id = orgs["ADEME"]
    partner().organisation_id = orgs["Région Limousin"]
    partner()
    make_user("holder", organisation="Association des porteurs", password=None)

    for member, year, values in (
        (a, 2024, {"collected_dropoff": Decimal(100), "out_sale": Decimal(40),
                   "out_donation": Decimal(10), "out_recycling": Decimal(30),
                   "turnover": Decimal("3000.00"), "sales_count": 300, "headcount": 10,
                   "fte": Decimal("8.5"), "women_percent": Decimal(60), "volunteers": 4}),
        (b, 2024, {"flow_books": Decimal("50.5"), "headcount": 5, "fte": Decimal(5),
                   "women_percent": Decimal(30), "volunteers": 2}),
        (a, 2023, {"collected_dropoff": Decimal(70)}),
    ):  # fmt: skip
        db.session.add(ObservatoryReport(member_id=member.id, year=year, **values))
    db.session.commit()
    return {"a": a, "b": b, "c": c}
