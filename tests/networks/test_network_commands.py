"""`flask network create|list`, and `--network` on the commands that act on a network's data."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskCliRunner
from sqlalchemy import select

from accompagnement.auth.models import NetworkMembership, User
from accompagnement.extensions import db
from accompagnement.network.models import Network
from accompagnement.projects.models import Project
from accompagnement.tenancy import network_scope, unscoped


def create_second(runner: FlaskCliRunner) -> Any:
    result = runner.invoke(
        args=["network", "create", "--name", "Réseau Auvergne", "--short-name", "auvergne",
              "--departements", "03,63"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return db.session.scalars(select(Network).where(Network.short_name == "auvergne")).one()


def test_network_create_adds_a_network_with_its_departements(runner, territory) -> None:
    network = create_second(runner)
    assert network.name == "Réseau Auvergne"
    with network_scope(network.id):  # its départements are its own
        assert network.departement_codes == ["03", "63"]


def test_network_create_refuses_a_short_name_in_use(runner, territory) -> None:
    create_second(runner)
    result = runner.invoke(
        args=["network", "create", "--name", "Autre", "--short-name", "auvergne",
              "--departements", "15"]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "A network already has this short name." in result.output


def test_network_list_shows_every_network(runner, territory) -> None:
    create_second(runner)
    result = runner.invoke(args=["network", "list"])
    assert result.exit_code == 0
    assert "auvergne\tRéseau Auvergne\t03, 63" in result.output
    assert "test\t" in result.output


def test_with_one_network_the_option_may_be_left_out(runner, territory) -> None:
    result = runner.invoke(args=["network", "show"])
    assert result.exit_code == 0, result.output


def test_with_several_networks_a_command_asks_which_one(runner, territory) -> None:
    create_second(runner)
    result = runner.invoke(args=["network", "show"])
    assert result.exit_code == 1
    assert "several networks: say which one with --network SHORT_NAME" in result.output


def test_an_unknown_network_is_a_clear_error(runner, territory) -> None:
    result = runner.invoke(args=["network", "show", "--network", "nowhere"])
    assert result.exit_code == 1
    assert "no network has the short name nowhere" in result.output


def test_the_option_chooses_the_network_the_command_works_in(runner, territory) -> None:
    create_second(runner)
    result = runner.invoke(args=["network", "show", "--network", "auvergne"])
    assert result.exit_code == 0, result.output
    assert "Réseau Auvergne (auvergne)" in result.output


def test_users_create_gives_an_existing_person_a_role_in_another_network(
    runner, territory, make_user
) -> None:
    holder = make_user("holder", email="camille@example.org")
    second = create_second(runner)
    result = runner.invoke(
        args=["users", "create", "camille@example.org", "--role", "partner", "--name", "Camille",
              "--network", "auvergne"],
        input="",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with unscoped():
        roles = dict(
            db.session.execute(
                select(NetworkMembership.network_id, NetworkMembership.role).where(
                    NetworkMembership.user_id == holder.id
                )
            ).all()
        )
    assert roles[second.id] == "partner"
    assert sorted(roles.values()) == ["holder", "partner"]


def test_users_create_makes_a_national_account(runner, territory) -> None:
    result = runner.invoke(
        args=["users", "create", "nat@example.org", "--role", "national", "--name", "Nathalie"],
        input="a long enough passphrase 2026\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.email == "nat@example.org")).one()
    assert user.instance_role == "national"
    assert user.role == "national"
    assert user.memberships == []


def test_a_command_sees_only_its_networks_projects(runner, territory, make_project) -> None:
    project = make_project("Ressourcerie du réseau test")
    second = create_second(runner)
    with network_scope(second.id):
        assert db.session.scalars(select(Project.id)).all() == []
    result = runner.invoke(args=["projects", "list", "--network", "auvergne"])
    assert result.exit_code == 0, result.output
    assert project.name not in result.output
