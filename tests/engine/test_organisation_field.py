"""The `organisation` field type: a funder, one of the network's organisations or free text."""

from __future__ import annotations

import copy
from typing import Any

from engine_helpers import MINIMAL, WORKFLOWS, problems_of, to_yaml

from accompagnement.engine import FieldError, Workflow, load_definition, load_file


def _with_organisation(**extra: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    field = {"key": "funder", "type": "organisation", "label": {"fr": "Financeur"}, **extra}
    data["stages"][0]["form"]["fields"].append(field)
    return data


def test_an_organisation_field_keeps_any_name_trimmed_within_its_length() -> None:
    workflow = Workflow(load_definition(to_yaml(_with_organisation(max_length=20))))
    assert workflow.clean_form("a", {"funder": "  ADEME "}, submit=False).data == {
        "funder": "ADEME"
    }
    free = workflow.clean_form("a", {"funder": "Fondation locale"}, submit=False)
    assert free.data == {"funder": "Fondation locale"}
    refused = workflow.clean_form("a", {"funder": "F" * 21}, submit=False)
    assert refused.errors == {"funder": FieldError("too_long", {"max": 20})}


def test_choices_written_for_an_organisation_field_are_refused_with_their_line() -> None:
    source = to_yaml(_with_organisation(choices=[{"key": "ademe", "label": "ADEME"}]))
    problems = problems_of(source)
    assert [(p.origin, p.path, p.code, p.params) for p in problems] == [
        (
            "workflows/x.yaml",
            "stages[0].form.fields[3].choices",
            "runtime_choices",
            {"type": "organisation"},
        )
    ]
    # the organisation field is the last one written, so its choices are the last ones
    expected_line = max(
        n for n, text in enumerate(source.splitlines(), 1) if text.strip() == "choices:"
    )
    assert problems[0].line == expected_line


def test_version_2_of_the_creation_pathway_structures_the_funding_plan() -> None:
    old = load_file(WORKFLOWS / "creation-ressourcerie.yaml")
    new = load_file(WORKFLOWS / "creation-ressourcerie-v2.yaml")
    assert (old.version, new.version) == (1, 2)
    group = new.stage("etude_faisabilite").field("funding_lines")
    assert [f.key for f in group.fields] == [
        "funder", "kind", "amount", "status", "requested_on", "decided_on"
    ]  # fmt: skip
    assert group.subfield("funder").type == "organisation"
    assert [c.key for c in group.subfield("kind").choices] == [
        "subvention", "pret", "garantie", "fonds_propres", "autre"
    ]  # fmt: skip
    assert [c.key for c in group.subfield("status").choices] == [
        "demande", "accorde", "refuse", "verse"
    ]  # fmt: skip
    # A line written on version 1 (free-text funder, no kind, no dates) is valid on version 2.
    line = {"funder": "Fondation du coin", "amount": "25 000", "status": "accorde"}
    cleaned = Workflow(new).clean_form("etude_faisabilite", {"funding_lines": [line]}, submit=False)
    assert cleaned.errors == {} and cleaned.data["funding_lines"][0]["funder"] == (
        "Fondation du coin"
    )
