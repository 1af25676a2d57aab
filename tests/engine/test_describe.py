"""Refusals and field errors read as plain French or English sentences."""

from __future__ import annotations

import pytest

from accompagnement.engine import FieldError, Refusal, Workflow


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
    assert refusal.describe(creation, "fr") == french
    assert refusal.describe(creation, "en_GB") == english


def test_a_field_mismatch_names_the_expected_choice(adhesion: Workflow) -> None:
    refusal = Refusal("field_mismatch", {"stage": "avis_ca", "field": "avis", "value": "favorable"})
    assert refusal.describe(adhesion, "fr") == (
        "« Avis » doit valoir « Favorable » (Avis du conseil d'administration)."
    )
    assert refusal.describe(adhesion, "en") == "“Decision” must be “In favour” (Board decision)."


def test_an_unknown_code_is_shown_as_is(creation: Workflow) -> None:
    assert Refusal("something_new").describe(creation, "fr") == "something_new"


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
    assert (error.describe("fr"), error.describe("en")) == (french, english)
