"""The command line: accounts, demo data, workflows and projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.projects import services
from accompagnement.projects.models import Project

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences


def test_users_create_reads_the_password_from_standard_input(runner, territory):
    result = runner.invoke(
        args=["users", "create", "anne@example.org", "--role", "coordinator", "--name", "Anne"],
        input="un mot de passe solide\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.email == "anne@example.org")).one()
    assert user.role == "coordinator"
    assert user.password_hash.startswith("$argon2id$")


def test_users_create_explains_bad_input_without_a_traceback(runner, territory):
    result = runner.invoke(
        args=["users", "create", "not-an-email", "--role", "holder", "--name", "X"],
        input="court\n",
    )
    assert result.exit_code == 1
    assert "Invalid e-mail address" in result.output
    assert "Traceback" not in result.output


def test_users_create_refuses_an_unknown_role(runner):
    result = runner.invoke(
        args=["users", "create", "a@example.org", "--role", "boss", "--name", "A"], input="x\n"
    )
    assert result.exit_code == 2
    assert "boss" in result.output


def test_demo_load_is_idempotent_and_spreads_projects_over_stages(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    projects = db.session.scalars(select(Project)).all()
    users = db.session.scalars(select(User)).all()

    second = runner.invoke(args=["demo", "load"], env=ENGLISH)

    assert second.exit_code == 0
    assert "nothing added" in second.output
    assert len(db.session.scalars(select(Project)).all()) == len(projects) >= 15
    assert len(db.session.scalars(select(User)).all()) == len(users)
    states = {p.state for p in projects if p.workflow_name == "creation-ressourcerie"}
    assert states >= {
        "premier_contact",
        "visites",
        "dla",
        "etude_faisabilite",
        "ouverture",
        "ouverte",
        "en_pause",
        "abandonne",
    }
    for project in projects:
        assert services.replay(services.queries.history(project.id)) == project.state


def test_demo_load_if_empty_leaves_a_used_database_alone(runner, make_user):
    make_user("coordinator")
    result = runner.invoke(env=ENGLISH, args=["demo", "load", "--if-empty"])
    assert "not loaded" in result.output
    assert db.session.scalars(select(Project)).all() == []


def test_workflows_check_lists_the_shipped_workflows(runner):
    result = runner.invoke(args=["workflows", "check"])
    assert result.exit_code == 0, result.output
    assert "creation-ressourcerie v1 : 8 étapes" in result.output  # the shell speaks French
    assert "adhesion-reseau v1" in result.output


def test_workflows_check_names_the_file_and_path_of_a_problem(runner, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    source = Path("workflows/adhesion-reseau.yaml").read_text(encoding="utf-8")
    bad.write_text(source.replace("type: long_text", "type: txt", 1), encoding="utf-8")

    result = runner.invoke(args=["workflows", "check", str(bad)])

    assert result.exit_code == 1
    assert "bad.yaml" in result.output
    assert ".type" in result.output and "txt" in result.output


def test_workflows_show_prints_a_mermaid_diagram(runner):
    result = runner.invoke(args=["workflows", "show", "creation-ressourcerie"])
    assert result.exit_code == 0
    assert result.output.startswith("stateDiagram-v2")
    assert "etude_faisabilite" in result.output


def test_workflows_show_names_the_known_ones_for_a_typo(runner):
    result = runner.invoke(args=["workflows", "show", "creation"])
    assert result.exit_code == 1
    assert "creation-ressourcerie" in result.output


def test_projects_fire_prints_refusals_and_exits_1(runner, make_project, coordinator):
    project = make_project()
    result = runner.invoke(
        args=["projects", "fire", str(project.id), "advance", "--as", coordinator.email],
        env={"LANG": "en_US.UTF-8"},
    )
    assert result.exit_code == 1
    assert "Refused" in result.output
    assert "Welcome interview held" in result.output


@pytest.mark.parametrize("shell_locale", ["C.UTF-8", "fr_FR.UTF-8"])
def test_projects_fire_speaks_french_unless_the_shell_asks_for_english(
    runner, make_project, coordinator, shell_locale
):
    project = make_project()
    result = runner.invoke(
        args=["projects", "fire", str(project.id), "advance", "--as", coordinator.email],
        env={"LANG": shell_locale},
    )
    assert result.exit_code == 1
    assert f"Refusé : advance sur le projet {project.id}" in result.output
    assert "Entretien d'accueil réalisé" in result.output
    assert "Refused" not in result.output and "Welcome interview" not in result.output


def test_projects_fire_moves_the_project(runner, make_project, coordinator):
    project = make_project()
    result = runner.invoke(
        args=[
            "projects",
            "fire",
            str(project.id),
            "abandon",
            "--as",
            coordinator.email,
            "--reason",
            "Déménagement",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "premier_contact -> abandonne" in result.output
    db.session.expire_all()
    assert db.session.get(Project, project.id).state == "abandonne"


def test_projects_fire_with_unknown_person_or_project(runner, make_project, coordinator):
    project = make_project()
    assert (
        runner.invoke(
            args=["projects", "fire", str(project.id), "pause", "--as", "nobody@example.org"]
        ).exit_code
        == 1
    )
    missing = runner.invoke(args=["projects", "fire", "9999", "pause", "--as", coordinator.email])
    assert missing.exit_code == 1
    assert "No such project" in missing.output


def test_projects_list_shows_each_project_with_its_stage(runner, make_project):
    """The whole list speaks the shell's language: the stage and the count (issue 9)."""
    make_project("Ressourcerie de Bellac")
    french = runner.invoke(args=["projects", "list"])
    english = runner.invoke(args=["projects", "list"], env=ENGLISH)
    assert "Ressourcerie de Bellac" in french.output
    assert "Premier contact" in french.output
    assert "1 projet(s)" in french.output
    assert "Ressourcerie de Bellac" in english.output
    assert "First contact" in english.output
    assert "1 project(s)" in english.output
