"""Figures of the report that run year by year: the observatory (flows and stocks) and the
network's yearly plan next to what was done.

Flows (tonnes, sales, hours, actions) add up over the period; stocks (headcount, FTE,
volunteers, contracts) are values for a year: they are given per year and never added up.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from accompagnement.activities.visits import visits_by_year
from accompagnement.network import queries as network_queries
from accompagnement.network.models import ActivityType
from accompagnement.observatory import queries as observatory_queries
from accompagnement.observatory.indicators import BY_KEY, FLOW_KEYS, KEYS
from accompagnement.observatory.stats import Totals, aggregate
from accompagnement.reports import queries

VISIT = ActivityType.VISITE.value


def json_number(value: Decimal | int | None) -> float | int | None:
    """Write a figure for JSON: whole numbers as int, decimals as float, unknown as null."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


def years_of(start: date, end: date) -> list[int]:
    """Return the calendar years the period touches."""
    return list(range(start.year, end.year + 1))


def observatory(start: date, end: date, departements: Collection[str] | None) -> dict[str, Any]:
    """Return the observatory figures of the period's years: per year, and flows added up."""
    years = years_of(start, end)
    scope = frozenset(departements) if departements is not None else None
    rows: dict[int, list[Mapping[str, Any]]] = {year: [] for year in years}
    for report in observatory_queries.reports_of_years(years, scope):
        rows[report.year].append(report.values())
    whole = aggregate(values for year in years for values in rows[year])
    return {
        "years": years,
        "reports": whole.reports,
        "collected_t": json_number(whole.total_collected),
        "totals": {key: json_number(whole.sums[key]) for key in FLOW_KEYS},
        **_rates(whole),
        # A share of the staff is a stock: given for a one-year period only (else per year).
        "women_percent": json_number(whole.women_percent) if len(years) == 1 else None,
        "over_time": {key: BY_KEY[key].over_time for key in KEYS},
        "by_year": {str(year): _year(rows[year]) for year in years},
    }


def _rates(totals: Totals) -> dict[str, Any]:
    return {
        "reuse_rate_percent": json_number(totals.reuse_rate),
        "recovery_rate_percent": json_number(totals.recovery_rate),
        "average_basket_eur": json_number(totals.average_basket),
    }


def _year(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Return one year's figures; unknown (null) everywhere when no member reported."""
    totals = aggregate(rows)
    known = bool(rows)
    return {
        "reports": totals.reports,
        "collected_t": json_number(totals.total_collected) if known else None,
        "figures": {
            key: json_number(totals.sums[key]) if known else None
            for key in KEYS
            if BY_KEY[key].kind != "percent"
        },
        **_rates(totals),
        "women_percent": json_number(totals.women_percent),
    }


def plan_vs_done(start: date, end: date, order: Sequence[str]) -> dict[str, Any]:
    """Return the network's yearly plan and, for each year of the period, what was done.

    A year the period covers in part counts what was done in that part (its `from` and `to`).
    """
    plan = network_queries.yearly_plan()
    planned = [key for key in order if plan.get(key)]
    done = queries.activities_by_year(start, end)
    visits = visits_by_year(start, end) if VISIT in planned else {}
    years = []
    for year in years_of(start, end):
        counts = {
            key: visits.get(year, 0) if key == VISIT else done.get((year, key), 0)
            for key in planned
        }
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        years.append({"year": year, "from": first.isoformat(), "to": last.isoformat(),
                      "done": counts})  # fmt: skip
    return {"per_year": {key: plan[key] for key in planned}, "years": years}
