"""Networks' own files: `workflows/<short name>/*.yaml`, checked with the shared ones, recorded
with their network by the sync (skipped while the network does not exist), names unique."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from accompagnement import create_app
from accompagnement.engine import DefinitionError, load_tree
from accompagnement.errors import WorkflowFilesInvalid
from accompagnement.extensions import db
from accompagnement.messages import describe_problem
from accompagnement.network.models import Network
from accompagnement.tenancy import current_network_id
from accompagnement.workflows import services
from accompagnement.workflows.models import WorkflowSnapshot
from accompagnement.workflows.versions import NO_NETWORK, NameTaken, publish, sync_files

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "workflows"
VARIANT = SHIPPED / "auvergne" / "recyclerie-rurale-auvergne.yaml"
ENGLISH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"}


def variant(name: str) -> str:
    return VARIANT.read_text(encoding="utf-8").replace(
        "name: recyclerie-rurale-auvergne", f"name: {name}", 1
    )


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A workflows directory: the shipped shared files, and `files` by relative path."""
    directory = tmp_path / "workflows"
    directory.mkdir()
    for path in SHIPPED.glob("*.yaml"):
        (directory / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for relative, text in files.items():
        (directory / relative).parent.mkdir(exist_ok=True)
        (directory / relative).write_text(text, encoding="utf-8")
    return directory


def test_the_shipped_directory_holds_the_auvergne_variant() -> None:
    files = load_tree(SHIPPED)
    assert {d.name for d in files.shared} == {"creation-ressourcerie", "adhesion-reseau"}
    assert [d.name for d in files.networks["auvergne"]] == ["recyclerie-rurale-auvergne"]


def test_a_network_file_named_as_a_shared_one_is_refused(tmp_path: Path) -> None:
    text = variant("adhesion-reseau")
    directory = tree(tmp_path, {"b/adhesion.yaml": text})
    with pytest.raises(DefinitionError) as refused:
        load_tree(directory)
    [problem] = refused.value.problems
    assert problem.code == "name_taken"
    assert problem.origin.endswith("b/adhesion.yaml")
    assert "adhesion-reseau.yaml" in describe_problem(problem, "en")
    assert "a network's workflow needs a name of its own" in describe_problem(problem, "en")


def test_two_networks_cannot_use_one_name(tmp_path: Path) -> None:
    directory = tree(tmp_path, {"b/v.yaml": variant("variante"), "c/v.yaml": variant("variante")})
    with pytest.raises(DefinitionError) as refused:
        load_tree(directory)
    assert [(p.code, Path(p.origin).parent.name) for p in refused.value.problems] == [
        ("name_taken", "c")
    ]


def test_a_network_default_beside_the_shared_default_is_refused(tmp_path: Path) -> None:
    text = variant("variante").replace(
        "initial: premier_contact", "default: true\ninitial: premier_contact"
    )
    with pytest.raises(DefinitionError) as refused:
        load_tree(tree(tmp_path, {"b/v.yaml": text}))
    assert [p.code for p in refused.value.problems] == ["second_default"]


def test_the_app_refuses_to_start_on_a_bad_network_file(app: Flask, tmp_path: Path) -> None:
    directory = tree(tmp_path, {"b/adhesion.yaml": variant("adhesion-reseau")})
    with pytest.raises(WorkflowFilesInvalid):
        create_app({**app.config, "WORKFLOWS_DIR": str(directory)})


@pytest.fixture
def files_app(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """An app on the same database whose workflows directory has a file for network `test` (the
    test's) and one for network `b` (missing until a test makes it)."""
    directory = tree(
        tmp_path, {"test/a.yaml": variant("variante-test"), "b/b.yaml": variant("variante-b")}
    )
    other = create_app({**app.config, "WORKFLOWS_DIR": str(directory)})
    yield other
    with other.app_context():
        db.engine.dispose()


def test_the_sync_records_a_networks_files_with_it_and_skips_an_unknown_network(
    files_app: Flask,
) -> None:
    network_id = current_network_id()
    with files_app.app_context():
        done = {(d.name, short): what for d, what, short in sync_files()}
        db.session.commit()
        assert done[("variante-test", "test")] == "recorded"
        assert done[("variante-b", "b")] == NO_NETWORK
        assert done[("creation-ressourcerie", None)] == "recorded"
        row = db.session.get(WorkflowSnapshot, ("variante-test", 1))
        assert row is not None and row.network_id == network_id
        assert db.session.get(WorkflowSnapshot, ("variante-b", 1)) is None
        assert "variante-test" in services.available(network_id).names()
        assert "variante-test" not in services.available(None).names()
        again = {d.name: what for d, what, _short in sync_files()}
        assert again["variante-test"] == "kept"


def test_the_sync_command_says_which_directory_it_skipped(files_app: Flask) -> None:
    runner: FlaskCliRunner = files_app.test_cli_runner(env=ENGLISH)
    with files_app.app_context():
        db.session.add(Network(name="Réseau C", short_name="c"))  # two networks: no --network
        db.session.commit()
        result = runner.invoke(args=["workflows", "sync"])
    assert result.exit_code == 0, result.output
    assert "variante-test v1 (test): recorded" in result.output
    assert "variante-b v1: skipped, no network has the short name b yet" in result.output


def test_the_sync_records_b_once_it_exists(files_app: Flask) -> None:
    with files_app.app_context():
        network = Network(name="Réseau B", short_name="b")
        db.session.add(network)
        db.session.commit()
        done = {d.name: what for d, what, _short in sync_files()}
        db.session.commit()
        assert done["variante-b"] == "recorded"
        assert db.session.get(WorkflowSnapshot, ("variante-b", 1)).network_id == network.id


def test_the_sync_refuses_a_network_file_named_as_a_published_pathway(
    files_app: Flask, app: Flask
) -> None:
    publish(variant("variante-test"), user_id=None)  # published as a shared pathway meanwhile
    db.session.commit()
    with files_app.app_context():
        with pytest.raises(NameTaken):
            sync_files()
        db.session.rollback()
        result = files_app.test_cli_runner(env=ENGLISH).invoke(args=["workflows", "sync"])
    assert result.exit_code == 1
    assert "variante-test is already used" in result.output


def test_the_check_command_lists_the_networks_files(files_app: Flask) -> None:
    with files_app.app_context():
        result = files_app.test_cli_runner(env=ENGLISH).invoke(args=["workflows", "check"])
    assert result.exit_code == 0, result.output
    assert "variante-test v1" in result.output and "test/a.yaml" in result.output
    assert "variante-b v1" in result.output


def test_the_list_command_shows_the_networks_pathways(files_app: Flask) -> None:
    runner = files_app.test_cli_runner(env=ENGLISH)
    with files_app.app_context():
        assert runner.invoke(args=["workflows", "sync"]).exit_code == 0
        result = runner.invoke(args=["workflows", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(
        line.startswith("variante-test v1\t") and "this network's own" in line for line in lines
    )
    assert any(line.startswith("creation-ressourcerie v2\t") and "shared" in line for line in lines)
    assert not any(line.startswith("variante-b") for line in lines)
