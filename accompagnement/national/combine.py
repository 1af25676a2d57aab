"""The national report as the sum of the networks' reports, key by key (plain Python, no queries).

`combine(reports, pooled)` takes the reports `reports.services.build_report` wrote for each
network over one period, whole (no cut by département), and adds them up as the report rules say:

- counts and sums add (activities, visits, new members, projects by stage, workflow and
  département, movements, accompaniment time, plans and what was done, means, funding);
- stocks are given per year (observatory `by_year`, staff FTE by year) and add up across
  networks within a year, never across years; the mean FTE of the years is taken again from
  the added years;
- lists are merged: openings by date, partner organisations once each, budget lines, structures
  and funders by name (their years added);
- ratios are never added nor averaged: the observatory's reuse and recovery rates, average basket
  and share of women (of the period and of each year) come from `pooled`, the observatory section
  computed over every network's yearly reports at once (`services.pooled_observatory`). Without
  it they are unknown (None). Hours are minutes / 60 again.

Numbers are added exactly (as decimals) and written back like the reports write them: whole
numbers as int, others as float, unknown (None) when no network knows the figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

Report = Mapping[str, Any]
Number = int | float | None

RATIOS = ("reuse_rate_percent", "recovery_rate_percent", "average_basket_eur", "women_percent")
NO_TEXTS = {"name": None, "title": None, "intro": None, "footer": None}


class IncompatibleReports(ValueError):
    """The reports do not cover the same period, or one is cut to some départements."""


def total(values: Iterable[Number]) -> Number:
    """Add figures exactly; None when none is known, an int when every one is whole."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    if all(isinstance(v, int) for v in known):
        return sum(known)  # type: ignore[arg-type]
    return _written(sum((Decimal(str(v)) for v in known), Decimal(0)))


def _written(exact: Decimal) -> int | float:
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def add_maps(maps: Iterable[Mapping[str, Number]]) -> dict[str, Number]:
    """Add mappings of figures key by key (keys in the order first met)."""
    keys: dict[str, list[Number]] = {}
    for mapping in maps:
        for key, value in mapping.items():
            keys.setdefault(key, []).append(value)
    return {key: total(values) for key, values in keys.items()}


def merge_rows(
    rows: Iterable[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], Any], add: Sequence[str]
) -> list[dict[str, Any]]:
    """Merge rows having the same key: the fields in `add` added up, others from the first."""
    merged: dict[Any, dict[str, Any]] = {}
    for row in rows:
        found = merged.get(key(row))
        if found is None:
            merged[key(row)] = dict(row)
            continue
        for field in add:
            current, other = found[field], row[field]
            both_maps = isinstance(current, Mapping) and isinstance(other, Mapping)
            found[field] = add_maps([current, other]) if both_maps else total([current, other])
    return list(merged.values())


def combine(reports: Sequence[Report], pooled: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Add the networks' reports of one period into the national report (shape of build_report)."""
    _check(reports)
    return {
        "period": dict(reports[0]["period"]),
        "departements": None,
        "activities": _activities(reports),
        "visits": {
            "total": total(r["visits"]["total"] for r in reports),
            "by_visitor": add_maps(r["visits"]["by_visitor"] for r in reports),
        },
        "new_members": total(r["new_members"] for r in reports),
        "projects": _projects([r["projects"] for r in reports]),
        "openings": sorted(
            (o for r in reports for o in r["openings"]),
            key=lambda o: (o["opened_on"], o["project"].casefold()),
        ),
        "accompaniment_time": _time([r["accompaniment_time"] for r in reports]),
        "plan": _plan([r["plan"] for r in reports if r.get("plan") is not None]),
        "observatory": _observatory([r["observatory"] for r in reports], pooled),
        "partners": sorted({p for r in reports for p in r["partners"]}, key=str.casefold),
        "network": dict(NO_TEXTS),
        "means": _means([r["means"] for r in reports]),
        "projects_funding": _projects_funding([r["projects_funding"] for r in reports]),
    }


def _check(reports: Sequence[Report]) -> None:
    if not reports:
        raise IncompatibleReports("no report to combine")
    periods = {(r["period"]["from"], r["period"]["to"]) for r in reports}
    if len(periods) > 1:
        raise IncompatibleReports(f"reports of different periods: {sorted(periods)}")
    if any(r.get("departements") is not None for r in reports):
        raise IncompatibleReports("a report cut to some départements is not a network's whole")


def _activities(reports: Sequence[Report]) -> dict[str, dict[str, Number]]:
    """Add each type's activities and ressourceries (a member belongs to one network)."""
    types: dict[str, list[Mapping[str, Number]]] = {}
    for report in reports:
        for key, counts in report["activities"].items():
            types.setdefault(key, []).append(counts)
    return {key: add_maps(counts) for key, counts in types.items()}


def _projects(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "by_stage": add_maps(p["by_stage"] for p in parts),
        "by_workflow": _by_workflow([p["by_workflow"] for p in parts]),
        "accompanied": total(p["accompanied"] for p in parts),
        "by_departement": sorted(
            merge_rows(
                (d for p in parts for d in p["by_departement"]),
                key=lambda d: d["code"],
                add=("count", "accompanied"),
            ),
            key=lambda d: (d["code"] is None, d["code"] or ""),
        ),
        "transitions": total(p["transitions"] for p in parts),
        "opened": total(p["opened"] for p in parts),
    }


def _by_workflow(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Add the projects of each workflow's stages (stages in the order first met)."""
    stages: dict[str, list[Mapping[str, Any]]] = {}
    labels: dict[str, Any] = {}
    for part in parts:
        for name, entry in part.items():
            labels.setdefault(name, entry["label"])
            stages.setdefault(name, []).extend(entry["stages"])
    return {
        name: {
            "label": labels[name],
            "stages": merge_rows(rows, key=lambda s: s["key"], add=("count", "accompanied")),
        }
        for name, rows in stages.items()
    }


def _time(parts: Sequence[Mapping[str, Any] | None]) -> dict[str, Any] | None:
    """Add the coordination's time with projects; hours from the added minutes."""
    known = [p for p in parts if p is not None]
    if not known:
        return None
    minutes = total(p["minutes"] for p in known) or 0
    by_stage = merge_rows(
        (s for p in known for s in p["by_stage"]),
        key=lambda s: (s["workflow"], s["stage"]),
        add=("minutes",),
    )
    return {
        "minutes": minutes,
        "hours": round(minutes / 60, 1),
        "exchanges": total(p["exchanges"] for p in known),
        "projects": total(p["projects"] for p in known),
        "by_stage": sorted(by_stage, key=lambda s: -(s["minutes"] or 0)),
        "by_kind": add_maps(p["by_kind"] for p in known),
    }


def _plan(plans: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Add the networks' yearly plans, and what each network did against its own plan."""
    if not plans:
        return None
    years = merge_rows(
        (y for p in plans for y in p["years"]), key=lambda y: y["year"], add=("done",)
    )
    return {
        "per_year": add_maps(p["per_year"] for p in plans),
        "years": sorted(years, key=lambda y: y["year"]),
    }


def _observatory(parts: Sequence[Mapping[str, Any]], pooled: Mapping[str, Any] | None) -> dict:
    """Add the flows of the period and each year's figures; ratios from the pooled reports."""
    first = parts[0]
    pooled_years = (pooled or {}).get("by_year", {})
    return {
        "years": list(first["years"]),
        "reports": total(p["reports"] for p in parts),
        "collected_t": total(p["collected_t"] for p in parts),
        "totals": add_maps(p["totals"] for p in parts),
        **_ratios(pooled),
        "over_time": dict(first["over_time"]),
        "by_year": {
            year: _year([p["by_year"][year] for p in parts], pooled_years.get(year))
            for year in first["by_year"]
        },
    }


def _year(parts: Sequence[Mapping[str, Any]], pooled: Mapping[str, Any] | None) -> dict[str, Any]:
    """Add one year's figures across networks: flows and stocks alike (one year, one date)."""
    return {
        "reports": total(p["reports"] for p in parts),
        "collected_t": total(p["collected_t"] for p in parts),
        "figures": add_maps(p["figures"] for p in parts),
        **_ratios(pooled),
    }


def _ratios(pooled: Mapping[str, Any] | None) -> dict[str, Number]:
    return {key: (pooled or {}).get(key) for key in RATIOS}


def _means(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    first = parts[0]
    staff = add_maps(p["staff"]["by_year"] for p in parts)
    known = [Decimal(str(v)) for v in staff.values() if v is not None]
    mean = round(sum(known, Decimal(0)) / len(known), 2) if known else None
    lines = merge_rows(
        (line for p in parts for line in p["budget"]["lines"]),
        key=lambda line: line["label"],
        add=("by_year", "total"),
    )
    return {
        "years": list(first["years"]),
        "staff": {
            "by_year": staff,
            "by_structure": _by_name(
                [p["staff"]["by_structure"] for p in parts], "structure", ("by_year",)
            ),
            "average_fte": _written(mean) if mean is not None else None,
        },
        "budget": {
            "lines": sorted(
                sorted(lines, key=lambda line: line["label"].casefold()),
                key=lambda line: line["kind"] != "staff",
            ),
            "by_year": _add_years([p["budget"]["by_year"] for p in parts]),
            "total": add_maps(p["budget"]["total"] for p in parts),
        },
        "funding": {
            "by_funder": _by_name(
                [p["funding"]["by_funder"] for p in parts], "funder", ("by_year", "total")
            ),
            "by_year": add_maps(p["funding"]["by_year"] for p in parts),
            "total": total(p["funding"]["total"] for p in parts),
        },
    }


def _by_name(
    parts: Sequence[Sequence[Mapping[str, Any]]], name: str, add: Sequence[str]
) -> list[dict[str, Any]]:
    rows = merge_rows((row for part in parts for row in part), key=lambda r: r[name], add=add)
    return sorted(rows, key=lambda r: r[name].casefold())


def _add_years(parts: Sequence[Mapping[str, Mapping[str, Number]]]) -> dict[str, Any]:
    years: dict[str, list[Mapping[str, Number]]] = {}
    for part in parts:
        for year, figures in part.items():
            years.setdefault(year, []).append(figures)
    return {year: add_maps(figures) for year, figures in years.items()}


def _projects_funding(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    lines = merge_rows(
        (line for p in parts for line in p["lines"]),
        key=lambda line: (line["funder"], line["kind"]),
        add=("amount",),
    )
    by_kind = add_maps(p["by_kind"] for p in parts)
    return {
        "lines": sorted(lines, key=lambda line: (line["funder"].casefold(), line["kind"])),
        "by_kind": dict(sorted(by_kind.items())),
        "total": total(p["total"] for p in parts),
    }
