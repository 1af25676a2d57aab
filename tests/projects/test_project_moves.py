"""Moving projects to a new version: where each lands, stages mapped, a paused project's return
stage mapped, form data and ticks following by key, one transaction, the history written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.projects import moves, services
from accompagnement.projects.models import ChecklistTick, FormSubmission, Project
from accompagnement.workflows.versions import publish
from tests.fixtures.projects import assert_stage_entries_replay_the_records, first_contact

NAME = "creation-ressourcerie"
SHIPPED = Path("workflows/creation-ressourcerie-v2.yaml")


def publish_version_three() -> None:
    """Version 3: «premier_contact» becomes «accueil»; one field and one item get new keys."""
    text = SHIPPED.read_text(encoding="utf-8").replace("version: 2", "version: 3", 1)
    text = text.replace("premier_contact", "accueil")
    text = text.replace("key: motivations", "key: motivation")
    text = text.replace("key: training_offered", "key: training_proposed")
    publish(text, user_id=None)
    db.session.commit()


@pytest.fixture
def three_projects(make_project, coordinator):
    """At the first contact with a form and two ticks; paused from there; in visits."""
    welcomed = make_project("Accueilli")
    services.save_form(
        welcomed.id,
        "premier_contact",
        first_contact(),
        user_id=coordinator.id,
        submit=False,
        base_revision=0,
    )
    for item in ("welcome_interview", "training_offered"):
        services.set_checklist_item(
            welcomed.id, "premier_contact", item, done=True, user_id=coordinator.id
        )
    paused = make_project("En pause")
    services.fire_transition(paused.id, "pause", user_id=coordinator.id)
    visiting = make_project("En visites")
    services.save_form(
        visiting.id,
        "premier_contact",
        first_contact(action="submit"),
        user_id=coordinator.id,
        submit=True,
        base_revision=0,
    )
    for item in ("welcome_interview", "project_sheet", "charter_presented", "training_offered"):
        services.set_checklist_item(
            visiting.id, "premier_contact", item, done=True, user_id=coordinator.id
        )
    services.fire_transition(visiting.id, "advance", user_id=coordinator.id)
    db.session.commit()
    publish_version_three()
    return welcomed.id, paused.id, visiting.id


def state_of(project_id: int) -> tuple[int, str, str | None]:
    db.session.expire_all()
    project = db.session.get(Project, project_id)
    return project.workflow_version, project.state, project.return_state


def test_without_a_mapping_the_projects_of_a_vanished_stage_stay(three_projects) -> None:
    welcomed, paused, visiting = three_projects
    plan = moves.plan(NAME, 3)
    assert {x.project_id for x in plan.movable} == {visiting}
    assert {x.project_id for x in plan.refused} == {welcomed, paused}
    assert plan.unmapped == ["premier_contact"]


def test_a_mapped_stage_takes_its_projects_and_the_paused_ones_return_there(
    three_projects, coordinator
) -> None:
    welcomed, paused, visiting = three_projects
    mapping = {"premier_contact": "accueil"}
    preview = moves.plan(NAME, 3, mapping)
    assert {(x.project_id, x.lands, x.return_lands) for x in preview.landings} == {
        (welcomed, "accueil", None),
        (paused, "en_pause", "accueil"),
        (visiting, "visites", None),
    }
    assert state_of(welcomed) == (2, "premier_contact", None)  # nothing moved by a preview

    moves.move(NAME, 3, mapping, user_id=coordinator.id)
    db.session.commit()

    assert state_of(welcomed) == (3, "accueil", None)
    assert state_of(paused) == (3, "en_pause", "accueil")
    assert state_of(visiting) == (3, "visites", None)
    history = services.queries.history(welcomed)
    assert (history[-1].trigger, history[-1].from_state, history[-1].to_state) == (
        "migrate",
        "premier_contact",
        "accueil",
    )
    assert history[-1].user_id == coordinator.id
    assert services.replay(history) == "accueil"
    assert_stage_entries_replay_the_records()


def test_form_data_and_ticks_follow_by_key(three_projects, coordinator) -> None:
    welcomed, _, _ = three_projects
    moves.move(NAME, 3, {"premier_contact": "accueil"}, user_id=coordinator.id)
    db.session.commit()
    form = db.session.scalars(
        select(FormSubmission).where(
            FormSubmission.project_id == welcomed, FormSubmission.stage == "accueil"
        )
    ).one()
    assert form.data["project_name"] == "Ressourcerie des Monts"
    assert "motivations" not in form.data and "motivation" not in form.data
    ticked = db.session.scalars(
        select(ChecklistTick.item).where(
            ChecklistTick.project_id == welcomed, ChecklistTick.stage == "accueil"
        )
    ).all()
    assert ticked == ["welcome_interview"]
    # The guards of the new version read them: the tick counts in the new stage.
    facts = services.facts_of(db.session.get(Project, welcomed))
    assert facts.ticked("accueil") == {"welcome_interview"}


def test_a_mapping_to_a_stage_the_target_lacks_is_refused(three_projects) -> None:
    with pytest.raises(moves.InvalidInput, match="nowhere"):
        moves.plan(NAME, 3, {"premier_contact": "nowhere"})


def test_a_failure_during_the_move_leaves_every_project_where_it_was(
    three_projects, coordinator, monkeypatch
) -> None:
    welcomed, paused, visiting = three_projects
    calls = []

    def fail_on_the_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return original(*args, **kwargs)

    original = moves._move_one
    monkeypatch.setattr(moves, "_move_one", fail_on_the_second)
    with pytest.raises(RuntimeError):
        moves.move(NAME, 3, {"premier_contact": "accueil"}, user_id=coordinator.id)
    db.session.rollback()
    assert [state_of(i)[0] for i in (welcomed, paused, visiting)] == [2, 2, 2]
    assert services.queries.history(welcomed)[-1].trigger != "migrate"


def test_the_command_maps_stages_with_map(three_projects, app) -> None:
    welcomed, paused, _ = three_projects
    db.session.close()
    result = app.test_cli_runner().invoke(
        env={"LANG": "en_US.UTF-8", "LC_ALL": None, "LC_MESSAGES": None},
        args=["workflows", "migrate", NAME, "--to", "3", "--map", "premier_contact=accueil"],
    )
    assert result.exit_code == 0, result.output
    assert f"moved: project {welcomed} (premier_contact -> accueil) v2 -> v3" in result.output
    assert state_of(paused) == (3, "en_pause", "accueil")


def test_the_command_refuses_a_malformed_map(three_projects, app) -> None:
    db.session.close()
    result = app.test_cli_runner().invoke(
        env={"LANG": "en_US.UTF-8", "LC_ALL": None, "LC_MESSAGES": None},
        args=["workflows", "migrate", NAME, "--to", "3", "--map", "premier_contact"],
    )
    assert result.exit_code == 2
    assert "expected OLD=NEW" in result.output
