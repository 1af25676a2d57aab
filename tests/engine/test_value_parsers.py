"""The one reading of typed numbers, dates and yes/no words (engine.values), as properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from accompagnement.engine.values import (
    Unreadable,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
)

THOUSANDS = st.sampled_from(["", " ", "\u00a0", "\u202f"])
WHOLE = st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1)


def grouped(number: int, separator: str) -> str:
    """Write a whole number with a thousands separator: 1234567 -> "1 234 567"."""
    return f"{number:,}".replace(",", separator)


@given(WHOLE, THOUSANDS)
def test_a_whole_number_reads_back_whatever_the_thousands_separator(number, separator):
    assert parse_integer(grouped(number, separator)) == number


@given(WHOLE, st.integers(min_value=0, max_value=99), THOUSANDS, st.sampled_from([",", "."]))
def test_a_decimal_reads_back_with_a_comma_or_a_point(whole, cents, separator, point):
    text = f"{grouped(whole, separator)}{point}{cents:02d}"
    sign = -1 if text.startswith("-") else 1
    assert parse_decimal(text) == Decimal(whole) + sign * Decimal(cents) / 100


@given(st.dates(min_value=date(1000, 1, 1)), st.booleans())
def test_a_date_reads_back_in_french_or_iso_order(day, french):
    text = day.strftime("%d/%m/%Y") if french else day.isoformat()
    assert parse_date(text) == day


@given(st.text(max_size=40))
@example("1e3")
@example("NaN")
@example("١٢٣")  # Arabic-Indic digits
@example("1,234.5")
@example("12..5")
def test_any_text_is_a_number_or_refused_with_a_code(text):
    for parse in (parse_integer, parse_decimal, parse_date, parse_boolean):
        try:
            parse(text)
        except Unreadable as refused:
            assert refused.error.code in {
                "not_an_integer",
                "not_a_number",
                "too_large",
                "not_a_date",
                "invalid_choice",
            }


@given(st.text(alphabet=st.characters(categories=["L", "P", "S"]), min_size=1, max_size=20))
def test_text_with_no_digit_is_never_a_number(text):
    if any(ch.isdigit() for ch in text):
        return
    with pytest.raises(Unreadable):
        parse_integer(text)
    with pytest.raises(Unreadable):
        parse_decimal(text)


@pytest.mark.parametrize(
    "text", ["1e3", "NaN", "Infinity", "١٢٣", "1,234.5", "1.2.3", "+", "", "9" * 16, "0x10"]
)
def test_what_is_not_a_plain_decimal_is_refused(text):
    with pytest.raises(Unreadable):
        parse_decimal(text)


@pytest.mark.parametrize(
    "text", ["31/02/2013", "2013/05/04", "04-05-2013", "4/5/13", "٠٤/٠٥/٢٠١٣", "2013-05-04T10:00"]
)
def test_what_is_not_a_calendar_day_in_a_known_order_is_refused(text):
    with pytest.raises(Unreadable) as refused:
        parse_date(text)
    assert refused.value.error.code == "not_a_date"


def test_a_unit_may_follow_a_decimal():
    assert parse_decimal("12,5 t", "t") == Decimal("12.5")
    assert parse_decimal("1 280 €", "€") == Decimal("1280")
    with pytest.raises(Unreadable):
        parse_decimal("12,5 kg", "t")


@pytest.mark.parametrize(
    ("text", "value"),
    [("oui", True), ("Non", False), ("yes", True), ("0", False), ("ON", True), ("", False)],
)
def test_yes_and_no_are_read_in_french_and_english(text, value):
    assert parse_boolean(text) is value
