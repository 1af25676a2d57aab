"""The means of a report's years, in plain Python from the grouped rows (no queries).

FTE is a stock: it is given per year, and over several years as the mean of the years that
have staff time (1 FTE each year is 1 FTE over the period, never 3). Euros are flows: they add
up over the years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accompagnement.means.models import CostKind

ZERO = Decimal(0)


@dataclass
class MeansFigures:
    """The means of some years, summed by the database: by (year, name) in each table."""

    staff: list[tuple[int, str, Decimal]]
    budget: list[tuple[int, str, str, Decimal]]
    funding: list[tuple[int, str, Decimal]]


def json_number(value: Decimal | None) -> int | float | None:
    """Write a figure for JSON: whole numbers as int, others as float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _per_year(values: dict[int, Decimal], years: list[int]) -> dict[str, int | float | None]:
    return {str(y): json_number(values[y]) if y in values else None for y in years}


def _by_name(rows: Iterable[tuple[int, str, Decimal]]) -> dict[str, dict[int, Decimal]]:
    table: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for year, name, value in rows:
        table[name][year] = table[name].get(year, ZERO) + value
    return dict(sorted(table.items(), key=lambda item: item[0].casefold()))


def _year_sums(rows: Iterable[tuple[int, str, Decimal]]) -> dict[int, Decimal]:
    sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for year, _name, value in rows:
        sums[year] += value
    return dict(sums)


def staff(figures: MeansFigures, years: list[int]) -> dict[str, Any]:
    """FTE by structure and by year, and the mean FTE of the years that have some."""
    per_year = _year_sums(figures.staff)
    mean = sum(per_year.values(), ZERO) / len(per_year) if per_year else None
    return {
        "by_year": _per_year(per_year, years),
        "by_structure": [
            {"structure": name, "by_year": _per_year(values, years)}
            for name, values in _by_name(figures.staff).items()
        ],
        "average_fte": json_number(round(mean, 2) if mean is not None else None),
    }


def budget(figures: MeansFigures, years: list[int]) -> dict[str, Any]:
    """Budget lines by year with their totals, and the staff / other costs of each year."""
    kinds = {label: kind for _y, label, kind, _a in figures.budget}
    lines = _by_name((y, label, amount) for y, label, _k, amount in figures.budget)
    by_kind = {
        kind: _year_sums((y, lb, a) for y, lb, k, a in figures.budget if k == kind)
        for kind in (CostKind.STAFF.value, CostKind.OTHER.value)
    }
    totals = _year_sums((y, lb, a) for y, lb, _k, a in figures.budget)
    return {
        "lines": [
            {"label": label, "kind": kinds[label], "by_year": _per_year(values, years),
             "total": json_number(sum(values.values(), ZERO))}
            for label, values in sorted(lines.items(), key=lambda i: (kinds[i[0]] != "staff",))
        ],
        "by_year": {
            str(y): {kind: json_number(sums.get(y, ZERO)) for kind, sums in by_kind.items()}
            | {"total": json_number(totals.get(y, ZERO))}
            for y in years
        },
        "total": {kind: json_number(sum(sums.values(), ZERO)) for kind, sums in by_kind.items()}
        | {"total": json_number(sum(totals.values(), ZERO))},
    }  # fmt: skip


def funding(figures: MeansFigures, years: list[int]) -> dict[str, Any]:
    """Funding received by funder and by year, with the totals."""
    per_year = _year_sums(figures.funding)
    return {
        "by_funder": [
            {"funder": name, "by_year": _per_year(values, years),
             "total": json_number(sum(values.values(), ZERO))}
            for name, values in _by_name(figures.funding).items()
        ],
        "by_year": {str(y): json_number(per_year.get(y, ZERO)) for y in years},
        "total": json_number(sum(per_year.values(), ZERO)),
    }  # fmt: skip


def summarise(figures: MeansFigures, years: list[int]) -> dict[str, Any]:
    """Return the means of the report's years, JSON-ready."""
    return {
        "years": years,
        "staff": staff(figures, years),
        "budget": budget(figures, years),
        "funding": funding(figures, years),
    }


def budget_totals(lines: Iterable[Any]) -> dict[str, Decimal]:
    """Return the staff, other and total costs of loaded budget lines (one year's page)."""
    totals = {CostKind.STAFF.value: ZERO, CostKind.OTHER.value: ZERO}
    for line in lines:
        totals[line.kind] += line.amount
    return totals | {"total": sum(totals.values(), ZERO)}
