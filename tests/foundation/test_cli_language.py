"""Every sentence a command prints goes through the catalogue (issue 9): one translation system.

The scan reads the command modules: a call that prints or raises for a person (click.echo,
secho, confirm, prompt, ClickException, BadParameter, UsageError) must not be given an English
literal; its sentence comes from `_()` or `ngettext()`. Then real commands run in a French and
an English shell and print whole sentences in that language.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from accompagnement import clierrors

PACKAGE = Path(__file__).resolve().parents[2] / "accompagnement"
COMMAND_MODULES = [
    "activities/cli.py",
    "auth/cli.py",
    "clierrors.py",
    "demo/cli.py",
    "errors.py",
    "importing/commands.py",
    "network/cli.py",
    "ops/cli.py",
    "privacy/cli.py",
    "projects/cli.py",
    "reminders/cli.py",
    "reports/cli.py",
    "territory/cli.py",
]
PERSON_FACING = {"echo", "secho", "confirm", "prompt", "ClickException", "BadParameter"}
PERSON_FACING |= {"UsageError"}
WORD = re.compile(r"[^\W\d_]{2,}")
# Literals a person does not read as a sentence (machine output), with the reason:
# {(module, start of the literal): reason}. Empty today: the machine output (report JSON/CSV,
# `network plan`'s TYPE=COUNT line, `projects list`'s columns) carries no words of its own.
ALLOWED: dict[tuple[str, str], str] = {}


def _literals(node: ast.AST) -> list[str]:
    """Return the literal text in an argument, not looking inside calls (`_()`, `join()`...)."""
    if isinstance(node, ast.Call):
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    found: list[str] = []
    for child in ast.iter_child_nodes(node):
        found += _literals(child)
    return found


def _untranslated(module: str) -> list[str]:
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name not in PERSON_FACING:
            continue
        for text in _literals(node.args[0]):
            allowed = any(m == module and text.startswith(t) for m, t in ALLOWED)
            if WORD.search(text) and not allowed:
                problems.append(f"{module}:{node.lineno}: {text!r}")
    return problems


def test_the_command_modules_print_no_sentence_outside_the_catalogue():
    problems = [problem for module in COMMAND_MODULES for problem in _untranslated(module)]
    assert problems == [], "wrap these in _() or ngettext():\n" + "\n".join(problems)


def test_the_scan_sees_a_literal_sentence(tmp_path, monkeypatch):
    module = tmp_path / "cli.py"
    module.write_text(
        "import click\n"
        "click.echo(f'{n} projects moved')\n"
        "click.echo(_('Done.'))\n"
        "raise click.ClickException('no ' + name)\n"
        "click.echo(f'{a}={b}')\n"
    )
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path)
    assert _untranslated("cli.py") == ["cli.py:2: ' projects moved'", "cli.py:4: 'no '"]


FRENCH = {"LANG": "fr_FR.UTF-8"}
ENGLISH = {"LANG": "en_US.UTF-8"}


@pytest.mark.parametrize(
    ("environment", "sentence"),
    [
        (FRENCH, "La base contient déjà des données : démo non chargée."),
        (ENGLISH, "Database already has data: demo not loaded."),
    ],
)
def test_demo_load_speaks_the_shell_language(runner, make_user, environment, sentence):
    make_user("coordinator")
    result = runner.invoke(args=["demo", "load", "--if-empty"], env=environment)
    assert result.exit_code == 0, result.output
    assert result.output == sentence + "\n"


@pytest.mark.parametrize(
    ("environment", "sentence"),
    [
        (FRENCH, "Erreur : aucun compte actif n'utilise nobody@example.org"),
        (ENGLISH, "Error: no active account uses nobody@example.org"),
    ],
)
def test_users_link_refuses_in_the_shell_language(runner, territory, environment, sentence):
    result = runner.invoke(args=["users", "link", "nobody@example.org"], env=environment)
    assert result.exit_code == 1
    assert result.output == sentence + "\n"


@pytest.mark.parametrize(
    ("environment", "lines"),
    [
        (FRENCH, ["Projet {id} : premier_contact -> en_pause ({name})", "1 projet(s)"]),
        (ENGLISH, ["Project {id}: premier_contact -> en_pause ({name})", "1 project(s)"]),
    ],
)
def test_projects_fire_and_list_speak_the_shell_language(
    runner, make_project, coordinator, environment, lines
):
    project = make_project("Ressourcerie de Bellac")
    fired = runner.invoke(
        args=["projects", "fire", str(project.id), "pause", "--as", coordinator.email],
        env=environment,
    )
    listed = runner.invoke(args=["projects", "list"], env=environment)
    assert fired.exit_code == 0, fired.output
    assert fired.output == lines[0].format(id=project.id, name=project.name) + "\n"
    assert listed.output.endswith(lines[1] + "\n")


def test_a_busy_database_is_reported_in_french(app):
    with app.app_context(), force_locale("fr"):
        assert clierrors._busy(saved=False).startswith("la base de données est occupée")
    with app.app_context(), force_locale("en"):
        assert clierrors._busy(saved=True).startswith("the database is busy")
