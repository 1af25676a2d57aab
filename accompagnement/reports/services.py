"""The steering committee report for any period, computed from the data (no hand counting).

`build_report(start, end)` returns plain JSON-ready data. Its shape::

    {
      "period": {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"},
      "activities": {TYPE: {"count": int, "ressourceries": int}},   # the nine types, zeros too
      "visits": {"total": int,
                 "by_visitor": {"collectivite": int, "porteur_projet": int, "autre": int}},
      "new_members": int,                      # members whose joined_on is in the period
      "projects": {"by_stage": {stage: int},   # replayed from the transition records at the end
                   "transitions": int,         # stage changes during the period (not creations)
                   "opened": int},             # projects that reached `ouverte` in the period
      "observatory": {                          # reports of the calendar years the period covers
        "years": [int], "reports": int,
        "collected_t": float,                  # total collected (by mode, else by flow)
        "totals": {indicator: number},         # every observatory indicator added up (see
                                               # observatory/indicators.py), except women_percent
        "reuse_rate_percent": float | null, "recovery_rate_percent": float | null,
        "average_basket_eur": float | null, "women_percent": float | null
      },
      "partners": [organisation],              # active partner organisations of the network
      "network": {"name": str | null,          # the network's name and report texts
                  "title": str | null, "intro": str | null, "footer": str | null},
      "means": {"years": [int],                # the coordination's means (means/stats.py)
                "staff": {"by_year": {year: fte}, "by_structure": [...], "average_fte": n},
                "budget": {"lines": [{label, kind, by_year, total}],
                           "by_year": {year: {staff, other, total}}, "total": {...}},
                "funding": {"by_funder": [{funder, by_year, total}], "by_year", "total"}},
      "projects_funding": {                    # funding the projects obtained (granted or paid)
        "lines": [{funder, kind, amount}],     # in the period (projects/fundingrows.py)
        "by_kind": {kind: amount}, "total": amount}
    }

Activities are the done ones dated in the period (planned ones excluded). Visits count the
activity log's visits and the visits recorded in projects' forms, each once. Dates are the
network's local days (Europe/Paris): the period runs from the start of `start` to the end of
`end`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from accompagnement.activities import queries as activity_queries
from accompagnement.activities.visits import visit_summary
from accompagnement.errors import InvalidInput
from accompagnement.means import queries as means_queries
from accompagnement.network import queries as network_queries
from accompagnement.observatory import queries as observatory_queries
from accompagnement.observatory.indicators import BY_KEY, KEYS
from accompagnement.observatory.stats import Totals, aggregate, by_stage, stage_table
from accompagnement.projects import fundingrows
from accompagnement.reports import queries
from accompagnement.reports.labels import ACTIVITY_TYPES, VISITORS


def build_report(start: date, end: date) -> dict[str, Any]:
    """Compute every figure of the steering committee report for the period start..end."""
    if start > end:
        message = _("The end date must be on or after the start date.")
        raise InvalidInput(message, {"to": message})
    since, until = queries.bounds(start, end)
    transitions, opened = queries.movements(since, until)
    stages = stage_table(queries.states_at(until), "fr")
    visits = visit_summary(start, end)
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "activities": _activities(activity_queries.activity_counts(start, end, visits)),
        "visits": _visits(visits),
        "new_members": queries.new_members(start, end),
        "projects": {"by_stage": by_stage(stages), "transitions": transitions, "opened": opened},
        "observatory": observatory_totals(start, end),
        "partners": [o.name for o in network_queries.organisations(active_only=True)],
        "network": network_queries.report_texts(),
        "means": means_queries.period_means(start, end),
        "projects_funding": fundingrows.obtained_summary(start, end),
    }


def _activities(counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Keep the nine report types, in order, with zeros for those without activity."""
    return {
        key: {
            "count": int(counts.get(key, {}).get("count", 0)),
            "ressourceries": int(counts.get(key, {}).get("ressourceries", 0)),
        }
        for key in ACTIVITY_TYPES
    }


def _visits(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Keep the report's visitor kinds, in order (the summary already counts each visit once)."""
    by_visitor = {key: int(summary["by_visitor"].get(key, 0)) for key in VISITORS}
    return {"total": int(summary["total"]), "by_visitor": by_visitor}


def observatory_totals(start: date, end: date) -> dict[str, Any]:
    """Add up the observatory reports of every calendar year the period touches."""
    years = list(range(start.year, end.year + 1))
    reports = observatory_queries.reports_of_years(years)
    totals = aggregate(r.values() for r in reports)
    return {
        "years": years,
        "reports": totals.reports,
        "collected_t": _json_number(totals.total_collected),
        "totals": _figures(totals),
        "reuse_rate_percent": _json_number(totals.reuse_rate),
        "recovery_rate_percent": _json_number(totals.recovery_rate),
        "average_basket_eur": _json_number(totals.average_basket),
        "women_percent": _json_number(totals.women_percent),
    }


def _figures(totals: Totals) -> dict[str, Any]:
    return {key: _json_number(totals.sums[key]) for key in KEYS if BY_KEY[key].kind != "percent"}


def _json_number(value: Decimal | int | None) -> float | int | None:
    """Write a figure for JSON: whole numbers as int, decimals as float, unknown as null."""
    if value is None or isinstance(value, int):
        return value
    return float(value)
