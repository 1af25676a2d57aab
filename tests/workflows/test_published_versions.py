"""Published versions live in the database: publishing, refusals, relabelling, the files' sync,
and every worker seeing a version published by another without a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, g

from accompagnement import create_app
from accompagnement.engine import DefinitionError, load_definition
from accompagnement.extensions import db
from accompagnement.messages import describe_problem
from accompagnement.workflows import services
from accompagnement.workflows.models import WorkflowSnapshot
from accompagnement.workflows.versions import (
    StructuralChange,
    VersionExists,
    export_text,
    publish,
    publish_labels,
    sync_files,
)

SHIPPED = Path("workflows/creation-ressourcerie-v2.yaml")
NAME = "creation-ressourcerie"


def version_three(**replace: str) -> str:
    text = SHIPPED.read_text(encoding="utf-8").replace("version: 2", "version: 3", 1)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def next_request() -> None:
    """Forget this request's registry check, as the next request of a worker does."""
    g.pop(services.CHECKED, None)


def test_a_published_version_is_stored_and_becomes_the_newest(app: Flask, coordinator) -> None:
    workflow = publish(version_three(), user_id=coordinator.id)
    db.session.commit()
    row = db.session.get(WorkflowSnapshot, (NAME, 3))
    assert (row.published_by_id, row.network_id, row.label_revision) == (coordinator.id, None, 0)
    assert row.sha256 == services.digest(version_three())
    assert workflow.version == 3
    next_request()
    assert services.latest_workflow(NAME).version == 3


def test_publishing_the_same_text_twice_changes_nothing(app: Flask) -> None:
    publish(version_three(), user_id=None)
    publish(version_three(), user_id=None)
    db.session.commit()
    assert services.snapshot_versions().count((NAME, 3)) == 1


def test_a_version_published_with_another_text_is_refused(app: Flask) -> None:
    publish(version_three(), user_id=None)
    with pytest.raises(VersionExists, match="déjà publiée"):
        publish(version_three(**{"usual_days: 90": "usual_days: 95"}), user_id=None)


def test_a_shipped_version_cannot_be_published_again_with_another_text(app: Flask) -> None:
    edited = SHIPPED.read_text(encoding="utf-8").replace("usual_days: 90", "usual_days: 95", 1)
    with pytest.raises(VersionExists):
        publish(edited, user_id=None)


def test_an_invalid_text_gets_the_problems_of_a_file(app: Flask, tmp_path: Path) -> None:
    broken = version_three(**{"initial: premier_contact": "initial: nowhere"})
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DefinitionError) as from_file:
        load_definition(broken, str(path))
    with pytest.raises(DefinitionError) as published:
        publish(broken, user_id=None, origin=str(path))
    assert [describe_problem(p, "en") for p in published.value.problems] == [
        describe_problem(p, "en") for p in from_file.value.problems
    ]
    assert db.session.get(WorkflowSnapshot, (NAME, 3)) is None


def test_a_second_default_pathway_is_refused(app: Flask) -> None:
    other = version_three().replace(f"name: {NAME}", "name: autre-parcours", 1)
    with pytest.raises(DefinitionError) as refused:
        publish(other, user_id=None)
    assert [p.code for p in refused.value.problems] == ["second_default"]


def test_label_only_changes_are_published_in_place(app: Flask) -> None:
    relabelled = SHIPPED.read_text(encoding="utf-8").replace(
        "label: {fr: Passer au DLA,", "label: {fr: Aller au DLA,", 1
    )
    workflow = publish_labels(NAME, 2, relabelled, user_id=None)
    db.session.commit()
    assert [t.label.fr for t in workflow.definition.transitions if t.trigger == "advance"][1] == (
        "Aller au DLA"
    )
    assert db.session.get(WorkflowSnapshot, (NAME, 2)).label_revision == 1
    assert export_text(NAME, 2) == relabelled


def test_structural_changes_are_refused_in_place_and_listed(app: Flask) -> None:
    edited = SHIPPED.read_text(encoding="utf-8").replace("usual_days: 90", "usual_days: 95", 1)
    with pytest.raises(StructuralChange) as refused:
        publish_labels(NAME, 2, edited, user_id=None)
    assert [c.code for c in refused.value.changes] == ["stage_usual_days_changed"]
    assert db.session.get(WorkflowSnapshot, (NAME, 2)) is None


def test_the_files_are_recorded_once_by_the_sync(app: Flask) -> None:
    first = {(d.name, d.version): done for d, done, network in sync_files() if network is None}
    db.session.commit()
    again = {(d.name, d.version): done for d, done, network in sync_files() if network is None}
    assert set(first.values()) == {"recorded"} and set(again.values()) == {"kept"}
    assert (NAME, 1) in first and (NAME, 2) in first


@pytest.fixture
def other_worker(app: Flask) -> Iterator[Flask]:
    """A second app on the same database, as another gunicorn worker or machine."""
    other = create_app(dict(app.config))
    yield other
    with other.app_context():
        db.engine.dispose()


def test_another_worker_sees_a_published_version_and_a_relabelling(
    app: Flask, other_worker: Flask
) -> None:
    with other_worker.app_context():
        assert services.latest_workflow(NAME).version == 2
    publish(version_three(), user_id=None)
    db.session.commit()
    db.session.close()
    with other_worker.app_context():
        assert services.latest_workflow(NAME).version == 3
        db.session.close()
    relabelled = version_three(**{"label: {fr: Passer au DLA,": "label: {fr: Aller au DLA,"})
    publish_labels(NAME, 3, relabelled, user_id=None)
    db.session.commit()
    db.session.close()
    with other_worker.app_context():
        labels = [t.label.fr for t in services.get_workflow(NAME, 3).definition.transitions]
        assert "Aller au DLA" in labels
        db.session.close()
