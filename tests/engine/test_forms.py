"""Cleaning stage forms: raw strings in, JSON-able data and errors keyed by path out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accompagnement.engine import FIELD_ERROR_CODES, FieldError, Workflow


def clean_value(workflow: Workflow, stage: str, key: str, raw: Any, submit: bool = False):
    """Clean one field and return (value or None, error or None)."""
    form = workflow.clean_form(stage, {key: raw}, submit=submit)
    return form.data.get(key), form.errors.get(key)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12 000", 12000),
        ("12\u00a0000", 12000),
        ("12\u202f000", 12000),
        ("+850", 850),
        (" 9500 ", 9500),
    ],
)
def test_integers_accept_spaces_as_thousands_separators(
    creation: Workflow, raw: str, expected: int
) -> None:
    assert clean_value(creation, "premier_contact", "population", raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("12,5", "not_an_integer"),
        ("douze", "not_an_integer"),
        ("-1", "below_min"),
        ("1e3", "not_an_integer"),
    ],
)
def test_integers_refuse_what_is_not_a_whole_number_in_range(
    creation: Workflow, raw: str, code: str
) -> None:
    value, error = clean_value(creation, "premier_contact", "population", raw)
    assert value is None and error is not None and error.code == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 280", "1280"),
        ("1280,50", "1280.5"),
        ("1280.50", "1280.5"),
        ("8,7", "8.7"),
        ("0,0", "0"),
        (",5", "0.5"),
        ("007", "7"),
    ],
)
def test_decimals_accept_french_commas_and_are_normalised(
    creation: Workflow, raw: str, expected: str
) -> None:
    assert clean_value(creation, "etude_faisabilite", "deposit_tonnes", raw) == (expected, None)


def test_money_accepts_a_euro_sign(creation: Workflow) -> None:
    assert clean_value(creation, "dla", "cost", "4 500,00 €") == ("4500", None)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("quarante", FieldError("not_a_number")),
        ("1.280,5", FieldError("not_a_number")),
        ("NaN", FieldError("not_a_number")),
        ("100,5", FieldError("above_max", {"max": 100})),
        ("-0,5", FieldError("below_min", {"min": 0})),
    ],
)
def test_decimals_refuse_non_numbers_and_out_of_range_values(
    creation: Workflow, raw: str, error: FieldError
) -> None:
    assert clean_value(creation, "etude_faisabilite", "reusable_percent", raw) == (None, error)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2024-03-05", "2024-03-05"), ("05/03/2024", "2024-03-05"), ("5/3/2024", "2024-03-05")],
)
def test_dates_accept_iso_and_french_formats(creation: Workflow, raw: str, expected: str) -> None:
    assert clean_value(creation, "dla", "phase_welcome", raw) == (expected, None)


@pytest.mark.parametrize("raw", ["31/02/2024", "2024-13-01", "demain", "05-03-2024"])
def test_impossible_dates_are_refused(creation: Workflow, raw: str) -> None:
    assert clean_value(creation, "dla", "phase_welcome", raw) == (None, FieldError("not_a_date"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("oui", True),
        ("Yes", True),
        ("on", True),
        ("1", True),
        ("non", False),
        ("", False),
        ("0", False),
    ],
)
def test_booleans_read_english_and_french_words(
    creation: Workflow, raw: str, expected: bool
) -> None:
    assert clean_value(creation, "ouverture", "network_member", raw) == (expected, None)


def test_an_unreadable_boolean_is_an_invalid_choice(creation: Workflow) -> None:
    _, error = clean_value(creation, "ouverture", "network_member", "peut-être")
    assert error is not None and error.code == "invalid_choice"


def test_choices_are_checked_against_their_keys(creation: Workflow) -> None:
    assert clean_value(creation, "premier_contact", "authority_support", "oui") == ("oui", None)
    assert clean_value(creation, "premier_contact", "authority_support", "peut-être") == (
        None,
        FieldError("invalid_choice", {"value": "peut-être"}),
    )


def test_multi_choices_keep_definition_order_and_accept_a_comma_list(creation: Workflow) -> None:
    key = "themes"
    assert clean_value(creation, "dla", key, ["rh", "finances", "rh"]) == (["finances", "rh"], None)
    assert clean_value(creation, "dla", key, "strategie, rh") == (["strategie", "rh"], None)
    assert clean_value(creation, "dla", key, ["rh", "cuisine"]) == (
        None,
        FieldError("invalid_choice", {"value": "cuisine"}),
    )


@pytest.mark.parametrize(
    ("raw", "expected"), [("87085", "87085"), ("2a004", "2A004"), (" 23096 ", "23096")]
)
def test_communes_are_insee_codes(creation: Workflow, raw: str, expected: str) -> None:
    form = creation.clean_form("premier_contact", {"communes": [{"insee": raw}]}, submit=False)
    assert form.data["communes"] == [{"insee": expected}] and form.ok


@pytest.mark.parametrize("raw", ["8708", "870851", "2C004", "Limoges", "٨٧٠٨٥"])
def test_anything_else_is_not_a_commune(creation: Workflow, raw: str) -> None:
    form = creation.clean_form("premier_contact", {"communes": [{"insee": raw}]}, submit=False)
    assert form.errors == {"communes.0.insee": FieldError("invalid_commune")}


@pytest.mark.parametrize(
    ("raw", "valid"), [("12", True), ("0", False), ("-3", False), ("x", False)]
)
def test_members_are_positive_ids(creation: Workflow, raw: str, valid: bool) -> None:
    form = creation.clean_form("visites", {"visits": [{"member": raw}]}, submit=False)
    if valid:
        assert form.data == {"visits": [{"member": 12}]}
    else:
        assert form.errors == {"visits.0.member": FieldError("invalid_member")}


def test_text_is_trimmed_and_limited(creation: Workflow) -> None:
    assert clean_value(creation, "premier_contact", "project_name", "  Recyclerie  ") == (
        "Recyclerie",
        None,
    )
    assert clean_value(creation, "premier_contact", "project_name", "x" * 201) == (
        None,
        FieldError("too_long", {"max": 200}),
    )
    assert clean_value(creation, "ouverture", "address", "x" * 300)[1] is None


def test_long_text_keeps_its_lines(creation: Workflow) -> None:
    value, _ = clean_value(creation, "premier_contact", "motivations", "Créer\r\ndes emplois\n")
    assert value == "Créer\ndes emplois"


def test_unknown_keys_are_dropped(creation: Workflow) -> None:
    raw = {
        "project_name": "Ressourcerie",
        "is_admin": "yes",
        "communes": [{"insee": "87085", "x": 1}],
    }
    form = creation.clean_form("premier_contact", raw, submit=False)
    assert form.data == {"project_name": "Ressourcerie", "communes": [{"insee": "87085"}]}


def test_required_fields_are_only_enforced_on_submit(creation: Workflow) -> None:
    draft = creation.clean_form("premier_contact", {"motivations": "Réemploi"}, submit=False)
    assert draft.ok and draft.data == {"motivations": "Réemploi"}
    final = creation.clean_form("premier_contact", {"motivations": "Réemploi"}, submit=True)
    assert final.errors == {
        "project_name": FieldError("required"),
        "holder_type": FieldError("required"),
    }


def test_group_errors_are_keyed_by_field_row_and_sub_field(creation: Workflow) -> None:
    raw = {
        "visits": [
            {"member": "4", "date": "12/05/2023", "kind": "visite"},
            {"member": "7", "date": "31/04/2023", "kind": "stage", "days": "3"},
            {"member": "", "date": "", "kind": "", "lessons": "  "},
        ]
    }
    form = creation.clean_form("visites", raw, submit=True)
    assert form.errors == {
        "visits.1.date": FieldError("not_a_date"),
        "visits.1.kind": FieldError("invalid_choice", {"value": "stage"}),
    }


def test_blank_rows_are_dropped_and_groups_count_their_items(creation: Workflow) -> None:
    blank = {"member": "", "date": " ", "kind": ""}
    draft = creation.clean_form("visites", {"visits": [blank]}, submit=False)
    assert draft.ok and draft.data == {}
    final = creation.clean_form("visites", {"visits": [blank]}, submit=True)
    assert final.errors == {"visits": FieldError("too_few_items", {"min": 1})}
    full = [{"member": "1", "date": "2024-01-01", "kind": "visite"}] * 51
    too_many = creation.clean_form("visites", {"visits": full}, submit=False)
    assert too_many.errors == {"visits": FieldError("too_many_items", {"max": 50})}


def test_a_cleaned_group_is_json(creation: Workflow) -> None:
    raw = {"funding_lines": [{"funder": "ADEME", "amount": "25 000", "status": "accorde"}]}
    form = creation.clean_form("etude_faisabilite", raw, submit=True)
    assert form.data == {
        "funding_lines": [{"funder": "ADEME", "amount": "25000", "status": "accorde"}]
    }
    assert json.loads(json.dumps(form.data)) == form.data


def test_a_stage_without_a_form_cleans_to_nothing(creation: Workflow) -> None:
    form = creation.clean_form("ouverte", {"anything": "x"}, submit=True)
    assert (form.data, form.errors) == ({}, {})


RAW_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "1 280,5", "05/03/2024", "2A004", "oui", "rh", "-0", ",", "."]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=10) | st.sampled_from(["insee", "member", "date"]), children
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, database=None)
@given(
    stage=st.sampled_from(["premier_contact", "visites", "dla", "etude_faisabilite", "ouverture"]),
    values=st.lists(RAW_VALUES, min_size=1, max_size=30),
    submit=st.booleans(),
)
def test_clean_form_never_raises_and_always_returns_json(
    creation: Workflow, stage: str, values: list[Any], submit: bool
) -> None:
    form_fields = creation.stage(stage).form
    assert form_fields is not None
    keys = [f.key for f in form_fields.fields]
    raw = {keys[i % len(keys)]: value for i, value in enumerate(values)}
    form = creation.clean_form(stage, raw, submit=submit)
    assert json.loads(json.dumps(form.data)) == form.data
    assert set(form.data) <= set(keys)
    assert all(isinstance(e, FieldError) for e in form.errors.values())
    # every error is a code the catalogue words (tests/foundation/test_translations.py)
    assert all(e.code in FIELD_ERROR_CODES for e in form.errors.values())
