"""The problems of a workflow definition read as English or French sentences, from the catalogue.

The engine gives codes and parameters (tests/engine/test_definition_problems.py); here every
broken case of that file is worded through `accompagnement.messages.describe_problem`.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accompagnement.engine import DefinitionProblem, load_files
from accompagnement.messages import describe_problem

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from definition_cases import MEANING_CASES, STRUCTURE_CASES, YAML_CASES  # noqa: E402
from engine_helpers import MINIMAL, WORKFLOWS, problems_of, to_yaml  # noqa: E402

Data = dict[str, Any]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in STRUCTURE_CASES + MEANING_CASES],
)
def test_a_definition_problem_reads_in_english(
    change: Callable[[Data], None], path: str, message: str
) -> None:
    data = copy.deepcopy(MINIMAL)
    change(data)
    sentences = [describe_problem(p, "en") for p in problems_of(data) if p.path == path]
    assert any(message in sentence for sentence in sentences), sentences


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [pytest.param(text, path, message, id=id_) for id_, text, path, message, _ in YAML_CASES],
)
def test_a_malformed_yaml_text_reads_in_english(text: str, path: str, message: str) -> None:
    sentences = [describe_problem(p, "en") for p in problems_of(text) if p.path == path]
    assert any(message in sentence for sentence in sentences), sentences


def test_a_problem_reads_origin_path_message_and_line() -> None:
    data = copy.deepcopy(MINIMAL)
    data["stages"][0]["form"]["fields"][0]["type"] = "txt"
    problem = problems_of(data, origin="workflows/x.yaml")[0]
    english = describe_problem(problem, "en")
    assert english.startswith(
        "workflows/x.yaml: stages[0].form.fields[0].type: unknown field type 'txt'; "
        "expected one of: text, long_text, integer, decimal, money, date, boolean, choice"
    )
    assert english.endswith(f"(line {problem.line})")
    french = describe_problem(problem, "fr")
    assert french.startswith(
        "workflows/x.yaml: stages[0].form.fields[0].type: type de champ inconnu(e) : 'txt' ; "
        "attendu l'une des valeurs : text, long_text, integer"
    )
    assert french.endswith(f"(ligne {problem.line})")


@pytest.mark.parametrize(
    ("problem", "french", "english"),
    [
        (
            DefinitionProblem(
                "x.yaml", "initial", "unknown_stage", {"stage": "zz", "known": ["a"]}
            ),
            "x.yaml: initial: étape « zz » inconnue ; attendu l'une de : a",
            "x.yaml: initial: unknown stage 'zz'; expected one of: a",
        ),
        (
            DefinitionProblem("x.yaml", "stages[2]", "hold_without_exit", {"stage": "pause"}),
            "x.yaml: stages[2]: l'étape de suspension « pause » n'a aucune transition de sortie "
            "(par exemple une reprise vers « @return »)",
            "x.yaml: stages[2]: hold stage 'pause' has no outgoing transition "
            "(e.g. resume to '@return')",
        ),
        (
            DefinitionProblem("x.yaml", "", "invalid_yaml", {"reason": "oops"}, 3),
            "x.yaml: YAML invalide : oops (ligne 3)",
            "x.yaml: invalid YAML: oops (line 3)",
        ),
        (
            DefinitionProblem(
                "x.yaml",
                "transitions[0].guards[0].min_items.field",
                "not_a_field",
                {"field": "zz", "stage": "a", "wanted": "group", "candidates": []},
            ),
            "x.yaml: transitions[0].guards[0].min_items.field: « zz » n'est pas un champ de "
            "l'étape « a » ; champ groupe attendu : aucun",
            "x.yaml: transitions[0].guards[0].min_items.field: 'zz' is not a field in stage 'a'; "
            "expected a group field: none",
        ),
        (
            DefinitionProblem("x.yaml", "default", "expected_boolean", {"value": True}),
            "x.yaml: default: true ou false attendu, trouvé : true (YAML lit yes/no/on/off comme "
            "des booléens : mettez la valeur entre guillemets)",
            "x.yaml: default: expected true or false, got true (YAML reads yes/no/on/off as "
            "booleans: put the value in quotes)",
        ),
    ],
)
def test_a_problem_reads_as_a_sentence(
    problem: DefinitionProblem, french: str, english: str
) -> None:
    assert (describe_problem(problem, "fr"), describe_problem(problem, "en")) == (french, english)


def test_an_unknown_problem_code_is_shown_as_is() -> None:
    assert describe_problem(DefinitionProblem("x.yaml", "a", "something_new")) == (
        "x.yaml: a: something_new"
    )


def test_problems_of_several_files_read_in_english(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(to_yaml({**MINIMAL, "initial": "zz"}), encoding="utf-8")
    good = WORKFLOWS / "creation-ressourcerie.yaml"
    _, problems = load_files([good, bad, tmp_path / "missing.yaml"])
    sentences = [describe_problem(p, "en") for p in problems]
    assert any(s.startswith(f"{bad}: initial: unknown stage 'zz'") for s in sentences)
    assert any("missing.yaml: cannot read the file" in s for s in sentences)


def test_a_second_default_and_a_second_version_read_in_english(tmp_path: Path) -> None:
    for name in ("alpha", "beta"):
        data = copy.deepcopy(MINIMAL) | {"name": name, "default": True}
        (tmp_path / f"{name}.yaml").write_text(to_yaml(data), encoding="utf-8")
    (tmp_path / "copy.yaml").write_text(to_yaml(MINIMAL | {"name": "alpha"}), encoding="utf-8")
    _, problems = load_files(sorted(tmp_path.glob("*.yaml")))
    assert [describe_problem(p, "en") for p in problems] == [
        f"{tmp_path / 'copy.yaml'}: version: alpha version 1 is already defined in "
        f"{tmp_path / 'alpha.yaml'}",
        f"{tmp_path / 'beta.yaml'}: default: only one workflow may be the default; "
        f"alpha already is ({tmp_path / 'alpha.yaml'})",
    ]


def test_choices_of_a_departement_field_read_in_english() -> None:
    data = copy.deepcopy(MINIMAL)
    data["stages"][0]["form"]["fields"].append(
        {
            "key": "dep",
            "type": "departement",
            "label": "Dép.",
            "choices": [{"key": "19", "label": "C"}],
        }
    )
    (problem,) = problems_of(data)
    assert describe_problem(problem, "en").startswith(
        "workflows/x.yaml: stages[0].form.fields[3].choices: "
        "'choices' does not apply to departement fields: the application gives them"
    )
