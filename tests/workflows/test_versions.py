"""A project keeps the workflow version it started on; `workflows migrate` moves it on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from accompagnement import create_app
from accompagnement.errors import InvalidInput, WorkflowFilesInvalid
from accompagnement.extensions import db
from accompagnement.projects import services
from accompagnement.projects.models import Project
from tests.fixtures.projects import assert_stage_entries_replay_the_records

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences

SHIPPED = Path("workflows/creation-ressourcerie-v2.yaml")  # the newest shipped version


def version_three(directory: Path, *, rename_dla: bool) -> None:
    """Write a version 3 of the default pathway into `directory` (and nothing else)."""
    text = SHIPPED.read_text(encoding="utf-8").replace("version: 2", "version: 3", 1)
    if rename_dla:
        text = text.replace("dla", "dispositif_dla")
    (directory / "creation-ressourcerie.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def app_v2(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """A second app on the same database whose workflows/ only has version 3."""
    version_three(tmp_path, rename_dla=True)
    new_app = create_app({**app.config, "WORKFLOWS_DIR": str(tmp_path)})
    yield new_app
    with new_app.app_context():
        db.engine.dispose()


def in_dla(project: Project) -> None:
    project.state = "dla"  # placed directly: this test is about versions, not the pathway
    db.session.commit()


def release() -> None:
    """End this app's transaction: SQLite has one writer, and the other app is about to write."""
    db.session.commit()
    db.session.close()


def test_projects_keep_running_on_their_version_when_the_file_changes(
    make_project, coordinator, app_v2
):
    old_id, coordinator_id = make_project("Ancien projet").id, coordinator.id
    release()

    with app_v2.app_context():
        project = db.session.get(Project, old_id)
        workflow = services.workflow_of(project)
        assert (workflow.version, workflow.stage("dla").key) == (2, "dla")
        new = services.create_project(
            "Nouveau projet", workflow_name="creation-ressourcerie", user_id=coordinator_id
        )
        db.session.commit()
        assert new.workflow_version == 3


def test_migrate_moves_projects_whose_stage_exists_and_names_the_others(
    make_project, coordinator, app_v2
):
    movable_id = make_project("Au premier contact").id
    stuck = make_project("Au DLA")
    in_dla(stuck)
    stuck_id = stuck.id
    release()
    runner = app_v2.test_cli_runner()

    with app_v2.app_context():  # the command runs in the app it is given, not the pushed one
        dry = runner.invoke(
            env=ENGLISH,
            args=["workflows", "migrate", "creation-ressourcerie", "--to", "3", "--dry-run"],
        )
    assert f"would move: project {movable_id}" in dry.output
    assert f"refused: project {stuck_id}: stage 'dla'" in dry.output
    assert db.session.get(Project, movable_id).workflow_version == 2
    release()

    with app_v2.app_context():
        done = runner.invoke(
            env=ENGLISH, args=["workflows", "migrate", "creation-ressourcerie", "--to", "3"]
        )

    assert done.exit_code == 1  # someone has to look at the refused project
    assert db.session.get(Project, movable_id).workflow_version == 3
    assert db.session.get(Project, stuck_id).workflow_version == 2
    history = services.queries.history(movable_id)
    assert history[-1].trigger == "migrate"
    assert services.replay(history) == "premier_contact"
    assert_stage_entries_replay_the_records()  # the stay in the stage goes on


def test_an_edited_file_without_a_new_version_is_refused(app, make_project, coordinator, tmp_path):
    coordinator_id = coordinator.id
    make_project()
    release()
    edited = SHIPPED.read_text(encoding="utf-8").replace("usual_days: 90", "usual_days: 95", 1)
    (tmp_path / "creation-ressourcerie.yaml").write_text(edited, encoding="utf-8")
    other = create_app({**app.config, "WORKFLOWS_DIR": str(tmp_path)})
    with other.app_context():
        with pytest.raises(InvalidInput, match="new version number"):
            services.create_project(
                "X", workflow_name="creation-ressourcerie", user_id=coordinator_id
            )
        db.session.rollback()
        db.engine.dispose()


def test_the_app_refuses_to_start_on_an_invalid_definition(app, tmp_path):
    (tmp_path / "broken.yaml").write_text("name: broken\nversion: 1\n", encoding="utf-8")
    with pytest.raises(WorkflowFilesInvalid, match="broken.yaml"):
        create_app({**app.config, "WORKFLOWS_DIR": str(tmp_path)})
