"""What is still missing counts the entries of a saved draft and marks them as drafted.

How these refusals read: tests/foundation/test_engine_wording.py.
"""

from __future__ import annotations

from accompagnement.engine import FormFacts, ProjectFacts, Refusal, Workflow

TWO_VISITS = {"visits": [{"member": 3}, {"member": 5}]}


def test_visits_saved_in_a_draft_are_counted_and_said_to_be_submitted(creation: Workflow) -> None:
    facts = ProjectFacts("visites", forms={"visites": FormFacts(status="draft", draft=TWO_VISITS)})

    missing = creation.missing(facts, "holder")

    assert (
        Refusal(
            "too_few_items",
            {"stage": "visites", "field": "visits", "count": 2, "have": 0, "drafted": 2},
        )
        in missing
    )
    # its wording, "2 entered in the draft, to be submitted": test_engine_wording.py


def test_a_form_saved_only_as_a_draft_is_said_to_be_still_to_submit(creation: Workflow) -> None:
    facts = ProjectFacts("visites", forms={"visites": FormFacts(status="draft", draft=TWO_VISITS)})

    missing = creation.missing(facts, "holder")

    assert Refusal("form_not_submitted", {"stage": "visites", "drafted": True}) in missing


def test_a_draft_with_no_more_entries_than_submitted_changes_nothing(creation: Workflow) -> None:
    one = {"visits": [{"member": 3}]}
    facts = ProjectFacts(
        "visites", forms={"visites": FormFacts(status="submitted", data=one, draft=one)}
    )

    assert creation.missing(facts, "holder") == [
        Refusal("too_few_items", {"stage": "visites", "field": "visits", "count": 2, "have": 1})
    ]


def test_without_any_draft_the_refusal_is_unchanged(creation: Workflow) -> None:
    missing = creation.missing(ProjectFacts("visites"), "holder")
    assert Refusal("form_not_submitted", {"stage": "visites"}) in missing
    assert missing[0] == Refusal("form_not_submitted", {"stage": "visites"})
