"""Use cases of the member directory, and turning an opened project into a member."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accompagnement.audit.models import AuditEvent
from accompagnement.db import utcnow
from accompagnement.errors import Forbidden, InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.members import services
from accompagnement.members.models import Member
from accompagnement.members.validation import MemberInput
from accompagnement.projects.membership import member_from_project
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.projects.services import save_form

TODAY = utcnow().date()


def values(**fields) -> MemberInput:
    fields.setdefault("name", "Ressourcerie des Monts")
    fields.setdefault("insee", "23008")
    return MemberInput(**fields)


def test_a_coordinator_adds_a_member_with_every_detail(coordinator):
    member = services.create_member(
        values(
            kind="recyclerie",
            joined_on=date(2020, 5, 4),
            functions=frozenset({"vente", "collecte"}),
            contact_name="  Zoé   Martin ",
            contact_email="Zoe@Example.org",
            contact_phone="05 55 12 34 56",
            website="www.monts.example.org",
        ),
        user_id=coordinator.id,
    )
    db.session.commit()

    assert member.departement_code == "23"
    assert member.functions == ["collecte", "vente"]
    assert member.contact_name == "Zoé Martin"
    assert member.contact_email == "Zoe@example.org"
    assert member.website == "https://www.monts.example.org"
    assert member.status == "member"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"kind": "boutique"}, "kind"),
        ({"insee": ""}, "insee"),
        ({"insee": "99999", "commune": "Nulle part"}, "departement"),
        ({"functions": frozenset()}, "functions"),
        ({"joined_on": TODAY + timedelta(days=1)}, "joined_on"),
        ({"contact_email": "nope"}, "contact_email"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "ftp://example.org"}, "website"),
    ],
)
def test_wrong_values_are_refused_field_by_field(coordinator, fields, field):
    with pytest.raises(InvalidInput) as caught:
        services.create_member(values(**fields), user_id=coordinator.id)
    assert field in caught.value.errors


def test_two_members_cannot_share_a_name(coordinator, make_member):
    make_member("Ressourcerie des Monts")
    with pytest.raises(InvalidInput) as caught:
        services.create_member(values(name="ressourcerie des monts"), user_id=coordinator.id)
    assert "name" in caught.value.errors


@pytest.mark.parametrize("role", ["partner", "member", "holder"])
def test_only_coordinators_change_the_directory(make_user, make_member, role):
    user = make_user(role, password=None)
    member = make_member()
    with pytest.raises(Forbidden):
        services.create_member(values(), user_id=user.id)
    with pytest.raises(Forbidden):
        services.update_member(member.id, values(), user_id=user.id)
    with pytest.raises(Forbidden):
        services.mark_former(member.id, None, user_id=user.id)


def test_update_changes_details_and_is_audited(coordinator, make_member):
    member = make_member("Old name")

    services.update_member(member.id, values(name="New name"), user_id=coordinator.id)
    db.session.commit()

    assert db.session.get(Member, member.id).name == "New name"
    assert "member.updated" in db.session.scalars(select(AuditEvent.action)).all()


def test_a_member_leaves_then_comes_back(coordinator, make_member):
    member = make_member(joined_on=date(2015, 1, 1))

    services.mark_former(member.id, date(2023, 6, 30), user_id=coordinator.id)
    assert (member.status, member.left_on) == ("former", date(2023, 6, 30))

    services.reinstate(member.id, user_id=coordinator.id)
    assert (member.status, member.left_on) == ("member", None)


def test_leaving_defaults_to_today_and_refuses_impossible_dates(coordinator, make_member):
    member = make_member(joined_on=date(2015, 1, 1))
    with pytest.raises(InvalidInput):
        services.mark_former(member.id, date(2014, 1, 1), user_id=coordinator.id)
    with pytest.raises(InvalidInput):
        services.mark_former(member.id, TODAY + timedelta(days=2), user_id=coordinator.id)
    assert services.mark_former(member.id, None, user_id=coordinator.id).left_on == TODAY


def test_an_unknown_member_is_not_found(coordinator, territory):
    with pytest.raises(NotFound):
        services.mark_former(12345, None, user_id=coordinator.id)


def move_to(project: Project, state: str) -> Project:
    """Put a project in a stage, as the workflow would (with its transition record)."""
    project = db.session.get(Project, project.id)
    db.session.add(
        TransitionRecord(
            project_id=project.id,
            workflow_version=project.workflow_version,
            trigger="advance",
            from_state=project.state,
            to_state=state,
        )
    )
    project.state = state
    db.session.commit()
    return project


def opening_form(project: Project, user_id: int, opening: str) -> None:
    save_form(
        project.id,
        "ouverture",
        {"opening_date": opening, "address": "2 rue de la Récup"},
        user_id=user_id,
        submit=True,
        base_revision=None,
    )
    db.session.commit()


def test_an_opening_project_becomes_a_member_with_its_opening_date(make_project, coordinator):
    project = move_to(
        make_project("Ressourcerie de Tulle", commune="19272", holders=[]), "ouverture"
    )
    opening_form(project, coordinator.id, "2024-05-02")

    member = member_from_project(project.id, coordinator.id)
    db.session.commit()

    assert member.name == "Ressourcerie de Tulle"
    assert (member.commune_insee, member.departement_code) == ("19272", "19")
    assert member.joined_on == date(2024, 5, 2)
    assert member.project_id == project.id
    assert member.functions == ["collecte", "valorisation", "vente", "sensibilisation"]
    action = AuditEvent.action == "member.from_project"
    event = db.session.scalars(select(AuditEvent).where(action)).one()
    assert (event.project_id, event.detail["member_id"]) == (project.id, member.id)


def test_an_open_project_without_an_opening_date_joins_today(make_project, coordinator):
    project = move_to(make_project("Ouverte", holders=[]), "ouverte")
    assert member_from_project(project.id, coordinator.id).joined_on == TODAY


def test_a_planned_opening_date_in_the_future_gives_today(make_project, coordinator):
    project = move_to(make_project("Bientôt", holders=[]), "ouverture")
    opening_form(project, coordinator.id, (TODAY + timedelta(days=30)).isoformat())
    assert member_from_project(project.id, coordinator.id).joined_on == TODAY


def test_an_admitted_structure_keeps_the_functions_of_its_application(make_project, coordinator):
    project = make_project(
        "Structure adhérente", workflow="adhesion-reseau", commune=None, holders=[]
    )
    save_form(
        project.id,
        "candidature",
        {"structure_name": "S", "legal_form": "association", "commune": "23096",
         "functions": ["vente", "sensibilisation"]},
        user_id=coordinator.id, submit=False, base_revision=None,
    )  # fmt: skip
    project = move_to(project, "adherente")

    member = member_from_project(project.id, coordinator.id)

    assert member.functions == ["vente", "sensibilisation"]
    assert (member.commune_insee, member.departement_code) == ("23096", "23")


def test_a_project_becomes_a_member_only_once(make_project, coordinator):
    project = move_to(make_project("Une fois", holders=[]), "ouverte")
    member_from_project(project.id, coordinator.id)
    db.session.commit()

    with pytest.raises(services.AlreadyMember):
        member_from_project(project.id, coordinator.id)


def test_a_name_already_in_the_directory_is_refused(make_project, make_member, coordinator):
    make_member("Homonyme")
    project = move_to(make_project("Homonyme", holders=[]), "ouverte")
    with pytest.raises(services.AlreadyMember):
        member_from_project(project.id, coordinator.id)


@pytest.mark.parametrize("state", ["premier_contact", "etude_faisabilite", "abandonne"])
def test_a_project_that_has_not_opened_cannot_become_a_member(make_project, coordinator, state):
    project = make_project("Pas encore", holders=[])
    if state != "premier_contact":
        project = move_to(project, state)
    with pytest.raises(InvalidInput):
        member_from_project(project.id, coordinator.id)


def test_only_a_coordinator_turns_a_project_into_a_member(make_project, make_user):
    project = move_to(make_project("Ouverte", holders=[]), "ouverte")
    for role in ("holder", "partner", "member"):
        with pytest.raises(Forbidden):
            member_from_project(project.id, make_user(role, password=None).id)


def test_an_unknown_project_is_not_found(coordinator):
    with pytest.raises(NotFound):
        member_from_project(999, coordinator.id)
