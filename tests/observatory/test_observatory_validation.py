"""The rules a yearly report must follow, each checked alone, and the derived figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accompagnement.observatory.indicators import BY_KEY, derive
from accompagnement.observatory.validation import (
    BadNumber,
    BadReport,
    check_rules,
    clean,
    parse_number,
    parse_year,
)

TODAY = date(2025, 3, 1)


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("12,5", "flow_furniture", Decimal("12.5")),
        ("12.5", "flow_furniture", Decimal("12.5")),
        ("1 234,5", "flow_furniture", Decimal("1234.5")),
        ("1\u202f234,5 t", "flow_furniture", Decimal("1234.5")),
        ("30", "flow_furniture", Decimal("30.0")),
        ("", "flow_furniture", None),
        ("   ", "headcount", None),
        ("12", "headcount", 12),
        ("12,0", "headcount", 12),
        ("1 234,56 €", "turnover", Decimal("1234.56")),
        ("45 %", "women_percent", Decimal("45.0")),
        ("3,75", "fte", Decimal("3.75")),
    ],
)
def test_numbers_are_read_as_people_type_them(text: str, key: str, expected: object) -> None:
    assert parse_number(text, BY_KEY[key]) == expected


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("-1", "flow_furniture", "Must be zero or more."),
        ("-0,5", "out_sale", "Must be zero or more."),
        ("-3", "headcount", "Must be zero or more."),
        ("douze", "flow_furniture", "Enter a number, e.g. 12.5."),
        ("12,25", "flow_furniture", "Use at most one decimal, e.g. 12.5."),
        (
            "1,234.5",
            "flow_furniture",
            "Write the number without thousands separators, e.g. 1234.5.",
        ),
        ("2,5", "headcount", "Enter a whole number, e.g. 12."),
        ("101", "women_percent", "A percentage cannot be more than 100."),
        ("NaN", "flow_furniture", "Enter a number, e.g. 12.5."),
        ("1e400", "flow_furniture", "Enter a number, e.g. 12.5."),  # no exponents, as the engine
        ("١٢٣", "headcount", "Enter a whole number, e.g. 12."),  # ASCII digits only, as the engine
        ("2000000", "flow_furniture", "Must be at most 1,000,000."),
        ("9" * 40, "headcount", "Enter a whole number, e.g. 12."),
        ("1,255", "fte", "Use at most two decimals, e.g. 12.25."),
    ],
)
def test_wrong_numbers_are_refused_with_a_clear_message(text: str, key: str, message: str) -> None:
    with pytest.raises(BadNumber) as refused:
        parse_number(text, BY_KEY[key])
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The year is missing."),
        (None, "The year is missing."),
        ("1999", "The year must be between 2000 and 2025."),
        ("2026", "The year must be between 2000 and 2025."),
        ("24", "The year must be between 2000 and 2025."),
        ("l'an dernier", "Enter the year with four digits, e.g. 2024."),
    ],
)
def test_a_missing_or_absurd_year_is_refused(text: str | None, message: str) -> None:
    with pytest.raises(BadNumber) as refused:
        parse_year(text, TODAY)
    assert str(refused.value) == message


def test_a_plausible_year_is_accepted() -> None:
    assert parse_year(" 2024 ", TODAY) == 2024
    assert parse_year("2025", TODAY) == 2025
    assert parse_year("2000", TODAY) == 2000


def test_outgoing_tonnes_above_collected_tonnes_are_refused() -> None:
    errors = check_rules(
        {"collected_dropoff": Decimal(10), "out_sale": Decimal(8), "out_disposal": Decimal("2.1")}
    )
    assert errors == {
        "outgoing": "The tonnes going out (10.1 t) are more than the tonnes collected (10 t)."
    }


def test_outgoing_tonnes_equal_to_collected_tonnes_are_fine() -> None:
    assert check_rules({"collected_dropoff": Decimal(10), "out_sale": Decimal(10)}) == {}


def test_totals_by_mode_and_by_flow_must_agree_within_a_tenth_of_a_tonne() -> None:
    assert check_rules({"collected_home": Decimal("10.0"), "flow_books": Decimal("10.1")}) == {}
    errors = check_rules({"collected_home": Decimal("10.0"), "flow_books": Decimal("10.2")})
    assert errors == {
        "flows": "The total by flow (10.2 t) differs from the total by collection mode (10 t)."
    }


def test_only_one_breakdown_of_the_tonnes_collected_is_enough() -> None:
    assert check_rules({"flow_books": Decimal(3)}) == {}
    assert check_rules({"collected_home": Decimal(3)}) == {}


def test_fte_above_headcount_is_refused() -> None:
    errors = check_rules({"headcount": 2, "fte": Decimal("2.5")})
    assert errors == {"fte": "The FTE (2.5) cannot be more than the headcount (2)."}
    assert check_rules({"headcount": 2, "fte": Decimal("2")}) == {}


def test_clean_reports_every_wrong_number_at_once() -> None:
    with pytest.raises(BadReport) as refused:
        clean({"flow_books": "-2", "headcount": "abc", "women_percent": "120"})
    assert set(refused.value.errors) == {"flow_books", "headcount", "women_percent"}


def test_clean_checks_the_rules_on_the_stored_values_it_completes() -> None:
    with pytest.raises(BadReport) as refused:
        clean({"out_sale": "12"}, base={"collected_home": Decimal(10)})
    assert set(refused.value.errors) == {"outgoing"}


def test_derived_figures_are_computed_never_typed() -> None:
    derived = derive({
        "collected_dropoff": Decimal("60"), "collected_home": Decimal("40"),
        "out_sale": Decimal("40"), "out_donation": Decimal("10"), "out_recycling": Decimal("30"),
        "turnover": Decimal("1234.50"), "sales_count": 100,
    })  # fmt: skip
    assert derived.total_collected == Decimal("100")
    assert derived.reuse_rate == Decimal("50.0")
    assert derived.recovery_rate == Decimal("80.0")
    assert derived.average_basket == Decimal("12.35")


def test_total_collected_falls_back_on_flows_and_rates_need_a_total() -> None:
    assert derive({"flow_books": Decimal("4.5")}).total_collected == Decimal("4.5")
    empty = derive({"out_sale": Decimal(3), "turnover": Decimal(10), "sales_count": 0})
    assert (empty.total_collected, empty.reuse_rate, empty.average_basket) == (None, None, None)
