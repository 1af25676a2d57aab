"""`flask network setup|organisation|plan|show`: idempotent, clear errors, exit codes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from accompagnement.extensions import db
from accompagnement.network import queries
from accompagnement.network.models import Network, Organisation

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences

UNSET = ("Réseau des ressourceries du test", "test", [])  # the test's network, not set up


def _settings() -> tuple[str, str, list[str]]:
    network = queries.current_network()
    assert network is not None
    db.session.refresh(network)
    return (network.name, network.short_name, network.departement_codes)


def _no_network_at_all() -> None:
    """Remove the network the tests work in: an instance where no network exists yet."""
    db.session.execute(delete(Network))
    db.session.commit()
    assert db.session.scalar(select(func.count(Network.id))) == 0


SETUP = ["network", "setup", "--name", "Réseau du Limousin", "--short-name", "limousin"]


def test_setup_twice_gives_one_network(runner: Any, territory: None) -> None:
    first = runner.invoke(args=[*SETUP, "--departements", "19,23,87"])
    second = runner.invoke(args=[*SETUP, "--departements", "19, 23 ,87"])
    assert (first.exit_code, second.exit_code) == (0, 0), first.output
    assert "départements 19, 23, 87" in second.output
    assert db.session.scalar(select(func.count(Network.id))) == 1


def test_setup_with_a_default_workflow(runner: Any, territory: None) -> None:
    result = runner.invoke(
        args=[*SETUP, "--departements", "87", "--default-workflow", "adhesion-reseau"]
    )
    assert result.exit_code == 0, result.output
    assert queries.default_pathway() == "adhesion-reseau"


def test_unknown_departements_and_workflows_exit_1_saying_which(
    runner: Any, territory: None
) -> None:
    result = runner.invoke(args=[*SETUP, "--departements", "19,99", "--default-workflow", "nope"])
    assert result.exit_code == 1
    assert "Département inconnu : 99." in result.output
    assert "Parcours inconnu : nope." in result.output
    assert "Traceback" not in result.output
    assert _settings() == UNSET


def test_missing_or_empty_options_are_usage_errors(runner: Any, territory: None) -> None:
    assert runner.invoke(args=["network", "setup", "--name", "R"]).exit_code == 2
    assert runner.invoke(args=[*SETUP, "--departements", " , "]).exit_code == 2


def test_organisations_and_plan_from_the_command_line(runner: Any, territory: None) -> None:
    runner.invoke(env=ENGLISH, args=[*SETUP, "--departements", "19,23,87"])
    added = runner.invoke(
        env=ENGLISH,
        args=["network", "organisation", "SYDED 87", "--kind", "syndicate", "--departement", "87"],
    )
    assert added.exit_code == 0, added.output
    runner.invoke(env=ENGLISH, args=["network", "organisation", "SYDED 87", "--kind", "syndicate"])
    assert db.session.scalar(select(func.count(Organisation.id))) == 1
    plan = runner.invoke(
        env=ENGLISH, args=["network", "plan", "reunion_coordination=2", "journee_technique=2"]
    )
    assert plan.exit_code == 0 and "journee_technique=2" in plan.output
    shown = runner.invoke(env=ENGLISH, args=["network", "show"])
    assert "organisation: SYDED 87 [syndicate]" in shown.output
    assert "plan: reunion_coordination=2" in shown.output


def test_bad_organisations_and_plans_are_refused(runner: Any, territory: None) -> None:
    _no_network_at_all()
    no_network = runner.invoke(args=["network", "plan", "journee_technique=2"])
    assert no_network.exit_code == 1 and "network setup" in no_network.output
    runner.invoke(args=[*SETUP, "--departements", "19"])
    assert runner.invoke(args=["network", "plan", "journee_technique"]).exit_code == 2
    assert runner.invoke(args=["network", "plan", "journee_technique=x"]).exit_code == 2
    unknown = runner.invoke(args=["network", "plan", "apero=1"])
    assert unknown.exit_code == 1 and "Type d'activité inconnu : apero." in unknown.output
    too_many = runner.invoke(args=["network", "plan", "journee_technique=40"])
    assert too_many.exit_code == 1
    bad_kind = runner.invoke(args=["network", "organisation", "X", "--kind", "bank"])
    assert bad_kind.exit_code == 2
    bad_dep = runner.invoke(args=["network", "organisation", "X", "--departement", "99"])
    assert bad_dep.exit_code == 1 and "Département inconnu : 99." in bad_dep.output
