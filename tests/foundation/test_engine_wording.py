"""Refusals and field errors read as plain French or English sentences, from the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from accompagnement.engine import FieldError, FormFacts, ProjectFacts, Refusal, Workflow, load_file
from accompagnement.messages import describe_field_error, describe_refusal

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
TWO_VISITS = {"visits": [{"member": 3}, {"member": 5}]}


@pytest.fixture(scope="module")
def creation() -> Workflow:
    """The shipped creation-ressourcerie workflow."""
    return Workflow(load_file(WORKFLOWS / "creation-ressourcerie.yaml"))


@pytest.fixture(scope="module")
def adhesion() -> Workflow:
    """The shipped adhesion-reseau workflow."""
    return Workflow(load_file(WORKFLOWS / "adhesion-reseau.yaml"))


@pytest.mark.parametrize(
    ("refusal", "french", "english"),
    [
        (
            Refusal(
                "checklist_incomplete",
                {"stage": "premier_contact", "items": ["welcome_interview", "project_sheet"]},
            ),
            "Éléments de la liste à cocher manquants (Premier contact) : "
            "Entretien d'accueil réalisé, Fiche projet remplie",
            "Missing checklist items (First contact): Welcome interview held, "
            "Project sheet filled in",
        ),
        (
            Refusal(
                "too_few_items", {"stage": "visites", "field": "visits", "count": 2, "have": 1}
            ),
            "Il faut au moins 2 éléments dans « Visites » (1 enregistré(s)).",
            "At least 2 entries are needed in “Visits” (1 recorded).",
        ),
        (
            Refusal("form_not_submitted", {"stage": "dla"}),
            "Le formulaire de l'étape « DLA (Dispositif Local d'Accompagnement) » "
            "n'a pas été soumis.",
            "The form of the stage “DLA (local support scheme)” has not been submitted.",
        ),
        (
            Refusal("role_not_allowed", {"role": "holder", "roles": ["coordinator"]}),
            "Action réservée à l'animateur·rice du réseau.",
            "Only the network coordinator can do this.",
        ),
        (Refusal("reason_required"), "Un motif est obligatoire.", "A reason is required."),
        (
            Refusal("not_from_this_stage", {"trigger": "open", "stage": "visites"}),
            "L'action « Déclarer la ressourcerie ouverte » n'est pas possible depuis l'étape "
            "« Visites de ressourceries ».",
            "The action “Declare the ressourcerie open” is not possible from the stage "
            "“Visits of ressourceries”.",
        ),
        (
            Refusal("unknown_trigger", {"trigger": "teleport"}),
            "Action inconnue : teleport.",
            "Unknown action: teleport.",
        ),
    ],
)
def test_a_refusal_reads_as_a_sentence(
    creation: Workflow, refusal: Refusal, french: str, english: str
) -> None:
    assert describe_refusal(refusal, creation, "fr") == french
    assert describe_refusal(refusal, creation, "en_GB") == english


def test_a_field_mismatch_names_the_expected_choice(adhesion: Workflow) -> None:
    refusal = Refusal("field_mismatch", {"stage": "avis_ca", "field": "avis", "value": "favorable"})
    assert describe_refusal(refusal, adhesion, "fr") == (
        "« Avis » doit valoir « Favorable » (Avis du conseil d'administration)."
    )
    assert (
        describe_refusal(refusal, adhesion, "en")
        == "“Decision” must be “In favour” (Board decision)."
    )


def test_an_unknown_code_is_shown_as_is(creation: Workflow) -> None:
    assert describe_refusal(Refusal("something_new"), creation, "fr") == "something_new"


@pytest.mark.parametrize(
    ("error", "french", "english"),
    [
        (FieldError("required"), "Ce champ est obligatoire.", "This field is required."),
        (
            FieldError("too_long", {"max": 200}),
            "200 caractères au maximum.",
            "At most 200 characters.",
        ),
        (FieldError("below_min", {"min": 0}), "La valeur minimale est 0.", "The minimum is 0."),
        (FieldError("too_few_items", {"min": 1}), "Au moins 1 élément(s).", "At least 1 item(s)."),
        (
            FieldError("not_a_date"),
            "Date attendue (JJ/MM/AAAA).",
            "A date is expected (YYYY-MM-DD or DD/MM/YYYY).",
        ),
    ],
)
def test_a_field_error_reads_as_a_sentence(error: FieldError, french: str, english: str) -> None:
    assert (describe_field_error(error, "fr"), describe_field_error(error, "en")) == (
        french,
        english,
    )


def test_without_a_language_the_current_one_is_used(creation: Workflow) -> None:
    assert describe_field_error(FieldError("required")) == "Ce champ est obligatoire."
    assert describe_refusal(Refusal("reason_required"), creation) == "Un motif est obligatoire."


def test_a_role_choice_reads_as_alternatives(creation: Workflow) -> None:
    refusal = Refusal("role_not_allowed", {"role": "partner", "roles": ["coordinator", "holder"]})
    assert describe_refusal(refusal, creation, "fr") == (
        "Action réservée à l'animateur·rice du réseau ou le porteur ou la porteuse de projet."
    )
    assert describe_refusal(refusal, creation, "en") == (
        "Only the network coordinator or the project holder can do this."
    )


def test_visits_saved_in_a_draft_are_said_to_be_submitted(creation: Workflow) -> None:
    facts = ProjectFacts("visites", forms={"visites": FormFacts(status="draft", draft=TWO_VISITS)})
    missing = creation.missing(facts, "holder")

    sentences = [describe_refusal(r, creation, "fr") for r in missing]
    assert (
        "Il faut au moins 2 éléments envoyés dans « Visites » : 2 saisi(s) dans le brouillon, "
        "à envoyer." in sentences
    )
    assert not any("0 enregistré(s)" in s for s in sentences)
    english = [describe_refusal(r, creation, "en") for r in missing]
    assert (
        "At least 2 submitted entries are needed in “Visits”: 2 entered in the draft, "
        "to be submitted." in english
    )


def test_a_form_saved_only_as_a_draft_is_said_to_be_still_to_submit(creation: Workflow) -> None:
    facts = ProjectFacts("visites", forms={"visites": FormFacts(status="draft", draft=TWO_VISITS)})

    sentences = [describe_refusal(r, creation, "fr") for r in creation.missing(facts, "holder")]

    assert (
        "Le formulaire de l'étape « Visites de ressourceries » est enregistré en brouillon : "
        "il reste à l'envoyer." in sentences
    )


def test_without_any_draft_the_form_is_said_not_submitted(creation: Workflow) -> None:
    first = creation.missing(ProjectFacts("visites"), "holder")[0]
    assert describe_refusal(first, creation, "fr") == (
        "Le formulaire de l'étape « Visites de ressourceries » n'a pas été soumis."
    )
