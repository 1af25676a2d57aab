"""The differences between two versions read as sentences, in French and in English."""

from __future__ import annotations

from accompagnement.engine import LABEL_CHANGE_CODES, STRUCTURAL_CHANGE_CODES, Change, Label
from accompagnement.workflows.changes import CHANGE_MESSAGES, describe_change

STUDY = Label(fr="Étude de faisabilité", en="Feasibility study")
LOCAL = Label(fr="Recherche de local", en="Looking for premises")
DLA = Label(fr="DLA")
SURFACE = Label(fr="Surface", en="Floor area")
OPENING = Label(fr="Passer à l'ouverture", en="Move on to the opening")


def test_every_change_code_has_a_sentence(app) -> None:
    assert set(CHANGE_MESSAGES) == LABEL_CHANGE_CODES | STRUCTURAL_CHANGE_CODES


def test_the_issue_example_in_french(app) -> None:
    added = Change("stage_added", {"stage": LOCAL, "after": DLA})
    required = Change("field_required", {"stage": LOCAL, "field": SURFACE})
    guard = Change("guard_added", {"transition": OPENING, "guard": "checklist_complete",
                                   "stage": STUDY})  # fmt: skip
    assert describe_change(added, "fr") == "étape « Recherche de local » ajoutée après « DLA »"
    assert describe_change(required, "fr") == (
        "champ « Surface » (Recherche de local) désormais obligatoire"
    )
    assert describe_change(guard, "fr") == (
        "la transition « Passer à l'ouverture » demande la liste à cocher de "
        "« Étude de faisabilité »"
    )


def test_the_same_changes_in_english(app) -> None:
    guard = Change("guard_added", {"transition": OPENING, "guard": "min_items", "stage": STUDY,
                                   "field": SURFACE, "count": 2})  # fmt: skip
    first = Change("stage_added", {"stage": LOCAL, "after": None})
    assert describe_change(guard, "en") == (
        "transition “Move on to the opening” needs at least 2 entries in “Floor area” "
        "(Feasibility study)"
    )
    assert describe_change(first, "en") == "stage “Looking for premises” added first"


def test_a_field_of_a_group_is_named_with_its_group(app) -> None:
    change = Change("field_removed", {"stage": STUDY, "group": Label(fr="Plan de financement"),
                                      "field": Label(fr="Nature")})  # fmt: skip
    assert describe_change(change, "fr") == (
        "champ « Plan de financement › Nature » retiré de « Étude de faisabilité »"
    )


def test_roles_and_special_stages_are_worded(app) -> None:
    roles = Change("transition_roles_changed", {"transition": OPENING, "old": ["coordinator"],
                                               "new": ["coordinator", "holder"]})  # fmt: skip
    added = Change("transition_added", {"transition": OPENING, "sources": ["*"],
                                        "dest": "@return"})  # fmt: skip
    assert "the network coordinator or the project holder" in describe_change(roles, "en")
    assert describe_change(added, "en") == (
        "transition “Move on to the opening” added, from “every stage” to "
        "“the stage it was paused at”"
    )
