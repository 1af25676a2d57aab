"""`flask workflows import FILE` and `export NAME --version N`: YAML to the database and back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from accompagnement import create_app
from accompagnement.engine import compare, load_definition, load_file
from accompagnement.extensions import db
from accompagnement.workflows.models import WorkflowSnapshot

ENGLISH = {"LANG": "en_US.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
SHIPPED = sorted(Path("workflows").glob("*.yaml"))


@pytest.fixture
def bare_app(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """An app on the same database with no workflow file: whatever it knows came from the DB."""
    (tmp_path / "none").mkdir()
    other = create_app({**app.config, "WORKFLOWS_DIR": str(tmp_path / "none")})
    yield other
    with other.app_context():
        db.engine.dispose()


def run(app: Flask, *args: str):
    db.session.commit()
    db.session.close()
    with app.app_context():
        return app.test_cli_runner().invoke(env=ENGLISH, args=["workflows", *args])


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_shipped_workflow_goes_to_the_database_and_back_unchanged(
    bare_app: Flask, path: Path, tmp_path: Path
) -> None:
    imported = run(bare_app, "import", str(path))
    assert imported.exit_code == 0, imported.output
    original = load_file(path)
    out = tmp_path / "out.yaml"
    exported = run(
        bare_app, "export", original.name, "--version", str(original.version), "--output", str(out)
    )
    assert exported.exit_code == 0, exported.output
    back = load_definition(out.read_text(encoding="utf-8"))
    assert back.model_dump() == original.model_dump()  # the same definition
    assert compare(original, back) == []
    assert out.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_export_prints_the_text_without_output(app: Flask) -> None:
    printed = run(app, "export", "adhesion-reseau")
    assert printed.exit_code == 0
    assert printed.output == Path("workflows/adhesion-reseau.yaml").read_text(encoding="utf-8")


def test_an_unknown_version_is_told_on_export(app: Flask) -> None:
    refused = run(app, "export", "creation-ressourcerie", "--version", "9")
    assert refused.exit_code == 1
    assert "unknown workflow creation-ressourcerie v9" in refused.output


def test_a_bad_file_gets_the_messages_of_check(app: Flask, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nversion: 1\n", encoding="utf-8")
    imported = run(app, "import", str(broken))
    checked = run(app, "check", str(broken))
    assert imported.exit_code == 1 and "Traceback" not in imported.output
    assert imported.output == checked.output
    assert f"{broken}: " in imported.output
    assert db.session.get(WorkflowSnapshot, ("broken", 1)) is None


def test_a_known_version_with_another_text_is_refused_on_import(app: Flask, tmp_path: Path) -> None:
    text = Path("workflows/adhesion-reseau.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text.replace("label:", "label:", 1) + "\n# edited\n", encoding="utf-8")
    imported = run(app, "import", str(edited))
    assert imported.exit_code == 1
    assert "already published with another content" in imported.output


def test_sync_records_the_files_once(app: Flask) -> None:
    first = run(app, "sync")
    again = run(app, "sync")
    assert first.exit_code == 0 and "creation-ressourcerie v2: recorded" in first.output
    assert "creation-ressourcerie v2: already recorded" in again.output


def test_sync_refuses_a_file_edited_beyond_its_labels(app: Flask, tmp_path: Path) -> None:
    assert run(app, "sync").exit_code == 0
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        (tmp_path / path.name).write_text(text.replace("usual_days: 90", "usual_days: 95"))
    edited = create_app({**app.config, "WORKFLOWS_DIR": str(tmp_path)})
    refused = run(edited, "sync")
    assert refused.exit_code == 1
    assert "give the edited file a new version number" in refused.output
    with edited.app_context():
        db.engine.dispose()
