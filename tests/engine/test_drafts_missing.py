"""What is still missing counts the entries of a saved draft and says they are to be submitted."""

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
    sentences = [r.describe(creation, "fr") for r in missing]
    assert (
        "Il faut au moins 2 éléments envoyés dans « Visites » : 2 saisi(s) dans le brouillon, "
        "à envoyer." in sentences
    )
    assert not any("0 enregistré(s)" in s for s in sentences)
    english = [r.describe(creation, "en") for r in missing]
    assert (
        "At least 2 submitted entries are needed in “Visits”: 2 entered in the draft, "
        "to be submitted." in english
    )


def test_a_form_saved_only_as_a_draft_is_said_to_be_still_to_submit(creation: Workflow) -> None:
    facts = ProjectFacts("visites", forms={"visites": FormFacts(status="draft", draft=TWO_VISITS)})

    sentences = [r.describe(creation, "fr") for r in creation.missing(facts, "holder")]

    assert (
        "Le formulaire de l'étape « Visites de ressourceries » est enregistré en brouillon : "
        "il reste à l'envoyer." in sentences
    )


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
    assert creation.missing(ProjectFacts("visites"), "holder")[0].describe(creation, "fr") == (
        "Le formulaire de l'étape « Visites de ressourceries » n'a pas été soumis."
    )
