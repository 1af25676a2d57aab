"""The project use cases: create, fill in, validate and move a project along its workflow."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accompagnement.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    ProjectChanged,
    StaleEdit,
    TransitionRefused,
)
from accompagnement.extensions import db
from accompagnement.projects import queries, services
from accompagnement.projects.models import FormSubmission, Project, TransitionRecord

FIRST_CONTACT = {"project_name": "Ressourcerie test", "holder_type": "association"}
CHECKLIST = ("welcome_interview", "project_sheet", "charter_presented", "training_offered")


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def complete_first_contact(project: Project, holder, coordinator) -> None:
    services.save_form(
        project.id,
        "premier_contact",
        FIRST_CONTACT,
        user_id=holder.id,
        submit=True,
        base_revision=None,
    )
    for item in CHECKLIST:
        services.set_checklist_item(
            project.id, "premier_contact", item, done=True, user_id=coordinator.id
        )
    db.session.commit()


def test_a_new_project_starts_at_the_first_stage_with_an_audit_row(make_project):
    project = make_project("Ressourcerie de Bellac")

    assert project.state == "premier_contact"
    assert project.workflow_version == 2  # the newest version of the pathway
    (record,) = db.session.scalars(select(TransitionRecord)).all()
    assert (record.trigger, record.from_state, record.to_state) == (
        "create",
        None,
        "premier_contact",
    )


def test_only_a_coordinator_creates_a_project(make_user):
    holder = make_user("holder")
    with pytest.raises(Forbidden):
        services.create_project("X", workflow_name="creation-ressourcerie", user_id=holder.id)


@pytest.mark.parametrize(
    ("name", "workflow", "commune"),
    [
        ("", "creation-ressourcerie", None),
        ("x" * 201, "creation-ressourcerie", None),
        ("Ok", "no-such-workflow", None),
        ("Ok", "creation-ressourcerie", "99999"),
    ],
)
def test_create_project_rejects_bad_values(coordinator, name, workflow, commune):
    with pytest.raises(InvalidInput):
        services.create_project(
            name, workflow_name=workflow, user_id=coordinator.id, commune_insee=commune
        )


def test_advancing_is_refused_with_every_missing_thing(make_project, coordinator):
    project = make_project()

    with pytest.raises(TransitionRefused) as refused:
        services.fire_transition(project.id, "advance", user_id=coordinator.id)

    sentences = refused.value.sentences("en")
    assert any("has not been submitted" in s for s in sentences)
    assert any("Welcome interview held" in s for s in sentences)
    db.session.rollback()
    assert db.session.get(Project, project.id).state == "premier_contact"
    assert count(TransitionRecord) == 1


def test_advancing_once_the_stage_is_complete_moves_and_records(make_project, coordinator):
    holder = None
    project = make_project()
    holder = project.holders[0]
    complete_first_contact(project, holder, coordinator)

    record = services.fire_transition(
        project.id, "advance", user_id=coordinator.id, expected_state="premier_contact"
    )
    db.session.commit()

    assert db.session.get(Project, project.id).state == "visites"
    assert (record.from_state, record.to_state, record.user_id) == (
        "premier_contact",
        "visites",
        coordinator.id,
    )


def test_a_holder_cannot_validate_a_stage(make_project, coordinator):
    project = make_project()
    holder = project.holders[0]
    complete_first_contact(project, holder, coordinator)

    with pytest.raises(TransitionRefused) as refused:
        services.fire_transition(project.id, "advance", user_id=holder.id)
    assert refused.value.refusals[0].code == "role_not_allowed"


def test_a_stale_page_gets_project_changed(make_project, coordinator):
    project = make_project()
    services.fire_transition(project.id, "pause", user_id=coordinator.id)
    db.session.commit()

    with pytest.raises(ProjectChanged):
        services.fire_transition(
            project.id, "pause", user_id=coordinator.id, expected_state="premier_contact"
        )


def test_pause_then_resume_returns_where_the_project_was(make_project, coordinator):
    project = make_project()
    holder = project.holders[0]
    complete_first_contact(project, holder, coordinator)
    services.fire_transition(project.id, "advance", user_id=coordinator.id)
    services.fire_transition(project.id, "pause", user_id=holder.id, reason="Recherche de local")
    db.session.commit()
    assert (project.state, project.return_state) == ("en_pause", "visites")

    services.fire_transition(project.id, "resume", user_id=holder.id)
    db.session.commit()

    assert project.state == "visites"
    states = [r.to_state for r in services.queries.history(project.id)]
    assert states == ["premier_contact", "visites", "en_pause", "visites"]


def test_abandon_requires_a_reason_and_reopen_restores_the_stage(make_project, coordinator):
    project = make_project()
    with pytest.raises(TransitionRefused) as refused:
        services.fire_transition(project.id, "abandon", user_id=coordinator.id, reason="  ")
    assert [r.code for r in refused.value.refusals] == ["reason_required"]

    services.fire_transition(project.id, "abandon", user_id=coordinator.id, reason="Déménagement")
    services.fire_transition(project.id, "reopen", user_id=coordinator.id, reason="Retour")
    db.session.commit()
    assert project.state == "premier_contact"


def test_another_holder_never_sees_the_project(make_project, make_user):
    project = make_project()
    stranger = make_user("holder")
    with pytest.raises(NotFound):
        services.fire_transition(project.id, "pause", user_id=stranger.id)
    with pytest.raises(NotFound):
        services.save_form(
            project.id,
            "premier_contact",
            FIRST_CONTACT,
            user_id=stranger.id,
            submit=False,
            base_revision=None,
        )


def test_partners_cannot_write(make_project, make_user):
    project = make_project()
    partner = make_user("partner")
    with pytest.raises(Forbidden):
        services.save_form(
            project.id,
            "premier_contact",
            FIRST_CONTACT,
            user_id=partner.id,
            submit=False,
            base_revision=None,
        )
    with pytest.raises(Forbidden):
        services.add_comment(project.id, "Bonjour", user_id=partner.id)


def test_each_save_is_a_new_revision_and_a_stale_one_is_refused(make_project, coordinator):
    project = make_project()
    holder = project.holders[0]
    first = services.save_form(
        project.id,
        "premier_contact",
        FIRST_CONTACT,
        user_id=holder.id,
        submit=False,
        base_revision=None,
    )
    second = services.save_form(
        project.id,
        "premier_contact",
        FIRST_CONTACT,
        user_id=coordinator.id,
        submit=False,
        base_revision=1,
    )
    db.session.commit()
    assert (first.revision, second.revision) == (1, 2)

    with pytest.raises(StaleEdit) as stale:
        services.save_form(
            project.id,
            "premier_contact",
            {"project_name": "Écrasé"},
            user_id=holder.id,
            submit=False,
            base_revision=1,
        )
    assert stale.value.current_revision == 2
    assert stale.value.author == coordinator.name
    assert count(FormSubmission) == 2


def test_submitting_checks_required_fields_but_a_draft_does_not(make_project):
    project = make_project()
    holder = project.holders[0]
    services.save_form(
        project.id,
        "premier_contact",
        {"motivations": "En cours"},
        user_id=holder.id,
        submit=False,
        base_revision=None,
    )

    with pytest.raises(InvalidInput) as invalid:
        services.save_form(
            project.id,
            "premier_contact",
            {"population": "-3"},
            user_id=holder.id,
            submit=True,
            base_revision=1,
        )
    assert {"project_name", "holder_type", "population"} <= set(invalid.value.errors)


def test_forged_fields_are_never_stored(make_project):
    project = make_project()
    holder = project.holders[0]
    saved = services.save_form(
        project.id,
        "premier_contact",
        {**FIRST_CONTACT, "state": "ouverte", "owner_id": "1", "project_id": "999"},
        user_id=holder.id,
        submit=False,
        base_revision=None,
    )
    assert set(saved.data) <= {
        "project_name",
        "holder_type",
        "motivations",
        "communes",
        "epci",
        "departement",
        "waste_syndicate",
        "population",
        "authority_support",
    }
    assert "state" not in saved.data
    assert db.session.get(Project, project.id).state == "premier_contact"


def test_a_holder_cannot_fill_a_stage_not_opened_yet(make_project):
    project = make_project()
    with pytest.raises(Forbidden):
        services.save_form(
            project.id,
            "ouverture",
            {"address": "x"},
            user_id=project.holders[0].id,
            submit=False,
            base_revision=None,
        )


def test_unknown_member_in_a_visit_is_refused(make_project, coordinator):
    project = make_project()
    with pytest.raises(InvalidInput) as invalid:
        services.save_form(
            project.id,
            "visites",
            {"visits": [{"member": "4242", "date": "2026-01-10", "kind": "visite"}]},
            user_id=coordinator.id,
            submit=False,
            base_revision=None,
        )
    assert "visits.0.member" in invalid.value.errors


def test_only_coordinators_tick_the_checklist(make_project):
    project = make_project()
    with pytest.raises(Forbidden):
        services.set_checklist_item(
            project.id,
            "premier_contact",
            "welcome_interview",
            done=True,
            user_id=project.holders[0].id,
        )


def test_unknown_checklist_item_is_not_found(make_project, coordinator):
    project = make_project()
    with pytest.raises(NotFound):
        services.set_checklist_item(
            project.id, "premier_contact", "nope", done=True, user_id=coordinator.id
        )


def test_replay_of_the_audit_trail_gives_the_current_state(make_project, coordinator):
    project = make_project()
    services.fire_transition(project.id, "pause", user_id=coordinator.id)
    services.fire_transition(project.id, "resume", user_id=coordinator.id)
    services.fire_transition(project.id, "abandon", user_id=coordinator.id, reason="Fin")
    db.session.commit()

    assert services.replay(services.queries.history(project.id)) == project.state == "abandonne"


def test_a_checklist_note_beyond_its_column_is_refused_not_cut(make_project, coordinator):
    project = make_project()
    with pytest.raises(InvalidInput):
        services.set_checklist_item(
            project.id,
            "premier_contact",
            "welcome_interview",
            done=True,
            user_id=coordinator.id,
            note="x" * 501,
        )
    tick = services.set_checklist_item(
        project.id,
        "premier_contact",
        "welcome_interview",
        done=True,
        user_id=coordinator.id,
        note="x" * 500,
    )
    assert tick.note == "x" * 500


def test_the_page_reads_the_same_guard_facts_from_its_rows_as_the_guards_query(
    make_project, coordinator
):
    project = make_project()
    holder = project.holders[0]
    complete_first_contact(project, holder, coordinator)
    newer = {**FIRST_CONTACT, "project_name": "Brouillon suivant"}
    services.save_form(
        project.id, "premier_contact", newer, user_id=holder.id, submit=False, base_revision=1
    )
    services.set_checklist_item(
        project.id, "premier_contact", CHECKLIST[0], done=False, user_id=coordinator.id
    )
    db.session.commit()

    revisions = queries.form_revisions(project.id)
    ticks = queries.checklist_with_users(project.id).values()
    facts = services.facts_from(project, revisions, ticks)

    assert facts == services.facts_of(project)
    assert facts.forms["premier_contact"].draft["project_name"] == "Brouillon suivant"
    assert facts.forms["premier_contact"].data["project_name"] == "Ressourcerie test"
    assert CHECKLIST[0] not in facts.ticked("premier_contact")
