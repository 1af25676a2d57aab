"""The steering committee report for any period, computed from the data (no hand counting).

`build_report(start, end, departements=None, lang="fr")` returns plain JSON-ready data. With
`departements` (codes), every figure is cut to those départements: projects by their commune,
activities and visits by the members involved or visited, the observatory and new members by
the member's département; nothing of another département is read. Its shape::

    {
      "period": {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"},
      "departements": null | [{"code": str, "name": str}],   # the cut; null: the whole network
      "activities": {TYPE: {"count": int, "ressourceries": int}},   # the nine types, zeros too
      "visits": {"total": int,
                 "by_visitor": {"collectivite": int, "porteur_projet": int, "autre": int}},
      "new_members": int,                      # members whose joined_on is in the period
      "projects": {
        "by_stage": {stage: int},              # at the end, all workflows added up by stage key
                                               # (kept as it was; prefer by_workflow)
        "by_workflow": {workflow: {"label": str,          # in `lang`
                                   "stages": [{"key": str, "label": str,
                                               "count": int,          # at the period's end
                                               "accompanied": int}]}},  # of which accompanied
        "accompanied": int,                    # projects accompanied during the period
        "by_departement": [{"code": str | null, "name": str | null,  # null: no commune
                            "count": int, "accompanied": int}],
        "transitions": int,                    # stage changes during the period (not creations)
        "opened": int},                        # projects that reached `ouverte` in the period
      "openings": [{"project": str, "member": str | null,   # the member it became, if recorded
                    "departement": str | null, "opened_on": "YYYY-MM-DD",
                    "fte_at_opening": number | null,        # from the opening stage form
                    "first_years": [{"year": int, "fte": number | null,
                                     "headcount": int | null, "collected_t": number | null}]}],
      "accompaniment_time": null,              # not recorded by the product yet
      "plan": null | {                         # null in a report cut by département
        "per_year": {TYPE: int},               # the network's yearly plan (types above zero)
        "years": [{"year": int, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD",  # the part covered
                   "done": {TYPE: int}}]},
      "observatory": {                          # reports of the calendar years the period covers
        "years": [int], "reports": int,
        "collected_t": float,                  # a flow: total collected over the years
        "totals": {indicator: number},         # the flows only, added up over the years
        "reuse_rate_percent": float | null, "recovery_rate_percent": float | null,
        "average_basket_eur": float | null,    # over the years' reports
        "women_percent": float | null,         # a stock: for a one-year period only
        "over_time": {indicator: "flow" | "stock"},
        "by_year": {"YYYY": {"reports": int, "collected_t": number | null,
                             "figures": {indicator: number | null},  # flows and stocks
                             "reuse_rate_percent": ..., "recovery_rate_percent": ...,
                             "average_basket_eur": ..., "women_percent": ...}}
      },
      "partners": [organisation],              # active partner organisations of the network
                                               # (in a cut: those of no or of these départements)
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

Stocks (headcount, FTE, volunteers, contracts, projects in a stage) are never added up across
years. Activities are the done ones dated in the period (planned ones excluded); in a cut by
département, an activity counts when a member of those départements took part (one without
members belongs to none). Visits count the activity log's visits and the visits recorded in
projects' forms, each once. Dates are the network's local days (Europe/Paris): the period runs
from the start of `start` to the end of `end`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from accompagnement.activities import queries as activity_queries
from accompagnement.activities.visits import visit_summary
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.means import queries as means_queries
from accompagnement.meetings import queries as meetings_queries
from accompagnement.meetings.queries import stage_name
from accompagnement.network import queries as network_queries
from accompagnement.projects import fundingrows
from accompagnement.reports import figures, pathway, queries
from accompagnement.reports.labels import ACTIVITY_TYPES, VISITORS


def build_report(
    start: date, end: date, departements: Collection[str] | None = None, lang: str = "fr"
) -> dict[str, Any]:
    """Compute every figure of the steering committee report for the period start..end."""
    if start > end:
        message = _("The end date must be on or after the start date.")
        raise InvalidInput(message, {"to": message})
    cut = sorted(set(departements)) if departements is not None else None
    since, until = queries.bounds(start, end)
    visits = visit_summary(start, end, cut)
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "departements": _departements(cut),
        "activities": _activities(activity_queries.activity_counts(start, end, visits, cut)),
        "visits": _visits(visits),
        "new_members": queries.new_members(start, end, cut),
        "projects": _projects(since, until, cut, lang),
        "openings": pathway.openings(since, until, cut),
        "accompaniment_time": _time(start, end, cut, lang),
        "plan": figures.plan_vs_done(start, end, ACTIVITY_TYPES) if cut is None else None,
        "observatory": figures.observatory(start, end, cut),
        "partners": _partners(cut),
        "network": network_queries.report_texts(),
        "means": means_queries.period_means(start, end),
        "projects_funding": fundingrows.obtained_summary(start, end, cut),
    }


def _time(start: date, end: date, cut: list[str] | None, lang: str) -> dict[str, Any]:
    """The coordination's time with projects in the period, from its recorded exchanges."""
    spent = meetings_queries.time_spent(start, end, departements=cut)
    return {
        "minutes": spent.total,
        "hours": round(spent.total / 60, 1),
        "exchanges": spent.exchanges,
        "projects": spent.projects,
        "by_stage": [
            {"workflow": workflow, "stage": stage, "label": stage_name(workflow, stage, lang),
             "minutes": minutes}
            for workflow, stage, minutes in spent.by_stage
        ],
        "by_kind": dict(spent.by_kind),
    }  # fmt: skip


def departements_to_report(scope: Collection[str] | None, asked: str | None) -> list[str] | None:
    """Return the départements a reader's report covers: the one asked, else all they may see.

    `scope` is what the reader may see (None: the whole network). A département outside it is
    refused as unknown (NotFound), so a limited partner learns nothing of the others; a code
    that is no département of the network is refused as invalid input.
    """
    code = (asked or "").strip()
    if not code:
        return sorted(scope) if scope is not None else None
    if scope is not None and code not in scope:
        raise NotFound(_("This département is not in your reports."))
    if code not in {d.code for d in network_queries.departements()}:
        message = _("Choose a département of the network.")
        raise InvalidInput(message, {"departement": message})
    return [code]


def _departements(cut: list[str] | None) -> list[dict[str, str]] | None:
    if cut is None:
        return None
    names = queries.departement_names(cut)
    return [{"code": code, "name": names.get(code, code)} for code in cut]


def _projects(since: datetime, until: datetime, cut: list[str] | None, lang: str) -> dict[str, Any]:
    """Return the projects at the period's end and what moved during it."""
    groups = queries.project_groups(since, until, cut)
    codes = {g.departement for g in groups if g.departement}
    transitions, opened = queries.movements(since, until, cut)
    return {
        **pathway.projects(groups, queries.departement_names(codes), lang),
        "transitions": transitions,
        "opened": opened,
    }


def _partners(cut: list[str] | None) -> list[str]:
    """Name the active partner organisations; in a cut, those of no other département."""
    organisations = network_queries.organisations(active_only=True)
    return [
        o.name
        for o in organisations
        if cut is None or o.departement_code is None or o.departement_code in cut
    ]


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
