"""Two networks with known figures, and personal data planted in each, for the national pages.

The suite works in the test network ("Réseau des ressourceries du test", Limousin here); the
second one, "Réseau fictif des Causses", is filled inside `network_scope` of its own. Each
network's year 2024, with the answers the tests expect:

                              Limousin (test)            Causses
  members joined in 2024      L2                         C1
  activities 2024             rencontre [L1, L2],        rencontre [C1],
                              animation [L2],            sensibilisation [C1]
                              visite of L1 (collectivité)
  projects at the end of 2024 LP1 ouverte (opened Nov.), CP1 visites, CP2 premier_contact
                              LP2 premier_contact
  observatory 2024            L1: 100 t dropped off,     C1: 50 t dropped off, out 5 sale,
                              out 40 sale + 10 donation  45 disposal; 1 000 € / 200 sales;
                              + 30 recycling; 3 000 € /  4 people, 50 % women
                              300 sales; 10 people, 60 %
                              women. L2: 50.5 t books,
                              5 people, 30 % women

Pooled over both: reuse rate 55 / 150 = 36.7 % (Limousin alone 50 %, Causses 10 %), recovery
85 / 150 = 56.7 %, average basket 4 000 / 500 = 8 €, women 9.5 / 19 = 50 %.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from accompagnement.auth.services import join_network
from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network.models import Network
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.projects.services import add_comment
from accompagnement.projects.stageentries import record_move
from accompagnement.tenancy import current_network_id, network_scope

PARIS = ZoneInfo("Europe/Paris")
# Personal data no national page may show: a holder's name and e-mail, a comment's free text.
SENTINELS = ("Sentinelle Dupersonnel", "sentinelle@prive.example", "Texte libre sentinelle")


def docx_text(data: bytes) -> str:
    """Return every paragraph and table cell of a DOCX file, a line each."""
    assert data[:2] == b"PK"  # a zip container, as every DOCX
    docx = read_docx(io.BytesIO(data))
    cells = [cell.text for table in docx.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in docx.paragraphs] + cells)


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """Return the tables of a DOCX file as rows of cell texts."""
    docx = read_docx(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in docx.tables]


def pdf_text(data: bytes) -> str:
    """Return a PDF's text with every run of spaces made one plain space."""
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[\s\u202f\u00a0]+", " ", text)


def utc(text: str) -> dt.datetime:
    """Return the naive UTC time of a Paris local time 'YYYY-MM-DD HH:MM'."""
    local = dt.datetime.fromisoformat(text).replace(tzinfo=PARIS)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


@pytest.fixture
def national_user(make_user: Callable[..., Any]) -> Any:
    return make_user("national", name="Nadia Nationale")


@pytest.fixture
def causses(territory: None, coordinator: Any) -> int:
    """The second network (its id), where the test's coordinator coordinates too; tests fill it
    inside `network_scope(causses)`."""
    network = Network(name="Réseau fictif des Causses", short_name="causses")
    db.session.add(network)
    db.session.commit()
    with network_scope(network.id):
        join_network(coordinator, "coordinator")
        db.session.commit()
    return network.id


@pytest.fixture
def moved_project(make_user: Callable[..., Any], coordinator: Any) -> Callable[..., Project]:
    """Return a factory of projects with a history [(Paris time, state)], a holder carrying the
    planted personal data and a comment in free text, in the network in scope."""

    def make(name: str, steps: list[tuple[str, str]], commune: str | None = "87085") -> Project:
        holder = make_user("holder", name=SENTINELS[0], email=f"{name.lower()}-{SENTINELS[1]}")
        project = Project(name=name, workflow_name="creation-ressourcerie", workflow_version=1,
                          state=steps[-1][1], commune_insee=commune, holders=[holder])  # fmt: skip
        db.session.add(project)
        db.session.flush()
        previous = None
        for at, state in steps:
            db.session.add(TransitionRecord(
                project_id=project.id, workflow_version=1, trigger="create" if previous is None
                else f"to_{state}", from_state=previous, to_state=state, at=utc(at),
            ))  # fmt: skip
            record_move(project.id, project.workflow_name, previous, state, utc(at))
            previous = state
        add_comment(project.id, SENTINELS[2], user_id=coordinator.id)
        db.session.commit()
        return project

    return make


def _report(member: Member, **values: Any) -> None:
    db.session.add(ObservatoryReport(member_id=member.id, year=2024, **values))


@pytest.fixture
def two_networks(
    causses: int,
    make_member: Callable[..., Member],
    make_activity: Callable[..., Any],
    moved_project: Callable[..., Project],
) -> int:
    """Fill the year 2024 of both networks as the module says; return the second one's id."""
    l1 = make_member("Ressourcerie L1", joined_on=dt.date(2013, 5, 1), departement_code="87")
    l2 = make_member("Ressourcerie L2", joined_on=dt.date(2024, 3, 1), departement_code="87")
    make_activity("2024-02-10", "journee_rencontre", members=[l1, l2])
    make_activity("2024-04-04", "animation", members=[l2])
    make_activity("2024-05-05", "visite", members=[l1], visitor="collectivite")
    moved_project("LP1", [
        ("2023-03-01 10:00", "premier_contact"), ("2024-02-01 10:00", "visites"),
        ("2024-06-01 10:00", "ouverture"), ("2024-11-15 10:00", "ouverte"),
    ])  # fmt: skip
    moved_project("LP2", [("2024-05-01 10:00", "premier_contact")])
    _report(l1, collected_dropoff=Decimal(100), out_sale=Decimal(40), out_donation=Decimal(10),
            out_recycling=Decimal(30), turnover=Decimal(3000), sales_count=300, headcount=10,
            women_percent=Decimal(60))  # fmt: skip
    _report(l2, flow_books=Decimal("50.5"), headcount=5, women_percent=Decimal(30))
    db.session.commit()  # a row takes the network in scope when it is written, not when added
    with network_scope(causses):
        c1 = make_member("Ressourcerie C1", joined_on=dt.date(2024, 6, 1), departement_code="23")
        make_activity("2024-03-03", "journee_rencontre", members=[c1])
        make_activity("2024-09-09", "sensibilisation", members=[c1])
        moved_project("CP1", [("2024-01-10 10:00", "premier_contact"),
                              ("2024-07-01 10:00", "visites")], commune="23096")  # fmt: skip
        moved_project("CP2", [("2024-04-01 10:00", "premier_contact")], commune="23096")
        _report(c1, collected_dropoff=Decimal(50), out_sale=Decimal(5),
                out_disposal=Decimal(45), turnover=Decimal(1000), sales_count=200, headcount=4,
                women_percent=Decimal(50))  # fmt: skip
        db.session.commit()
    return causses


@pytest.fixture
def stays(make_project: Callable[..., Any]) -> Callable[..., None]:
    """Return a factory: stays([10, 20]) makes, in the network in scope, a project per number
    that spent that many days at the first contact, then entered the visits 5 days ago."""

    def make(days: list[int]) -> None:
        now = utcnow()
        for n, spent in enumerate(days):
            started, moved = now - dt.timedelta(days=spent + 5), now - dt.timedelta(days=5)
            project = make_project(f"Projet {current_network_id()}-{n}", holders=[], at=started)
            db.session.add(TransitionRecord(
                project_id=project.id, workflow_version=project.workflow_version, trigger="advance",
                from_state="premier_contact", to_state="visites", at=moved,
            ))  # fmt: skip
            record_move(project.id, project.workflow_name, "premier_contact", "visites", moved)
            project.state, project.state_changed_at = "visites", moved
        db.session.commit()

    return make
