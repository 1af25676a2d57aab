"""Lay out a built report as titled tables, once, for the HTML page, the PDF and the CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from accompagnement.means.display import projects_funding_table, report_tables
from accompagnement.observatory.indicators import FLOWS, MODES, OUTGOING
from accompagnement.observatory.stats import all_stage_labels
from accompagnement.reports.labels import (
    ACTIVITY_TYPES,
    VISITORS,
    activity_label,
    observatory_label,
    text,
    visitor_label,
)

Cell = str | int | float | Decimal | None

OBSERVATORY_ROWS = (
    "reports", "collected_t", *MODES, *FLOWS, *OUTGOING, "reuse_rate_percent",
    "recovery_rate_percent", "turnover", "sales_count", "average_basket_eur", "headcount", "fte",
    "women_percent", "contracts_permanent", "contracts_fixed_term", "contracts_subsidised",
    "contracts_integration", "volunteers", "volunteer_hours", "awareness_actions",
    "people_reached",
)  # fmt: skip


@dataclass
class Section:
    """A titled table: a header row, then rows whose first cell names the row."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""


@dataclass
class Document:
    """The whole report in one language."""

    lang: str
    title: str
    subtitle: str
    period: str
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
    intro: str = ""
    closing: str = ""  # the network's own footer text


def day(value: str | date, lang: str) -> str:
    """Write a date in full in the report's language."""
    return format_date(date.fromisoformat(str(value)), "long", locale=lang)


def number(value: Cell, lang: str) -> str:
    """Write a figure with the report language's separators; a dash when unknown."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return format_decimal(value, locale=lang)


def layout(report: dict[str, Any], lang: str, today: date | None = None) -> Document:
    """Turn build_report's data into the sections of the document."""
    period = report["period"]
    network = report.get("network") or {}
    doc = Document(
        lang=lang,
        title=network.get("title") or text("title", lang),
        subtitle=network.get("name") or text("network", lang),
        period=text("period", lang, start=day(period["from"], lang), end=day(period["to"], lang)),
        footer=text("generated", lang, date=day((today or date.today()).isoformat(), lang)),
        intro=network.get("intro") or "",
        closing=network.get("footer") or "",
    )
    doc.sections = [
        _activities(report, lang),
        _visits(report, lang),
        Section("members", text("members", lang), [text("item", lang), text("count", lang)],
                [[text("new_members", lang), report["new_members"]]]),
        _projects(report, lang),
        _movements(report, lang),
        _observatory(report, lang),
        _partners(report, lang),
        *_means(report, lang),
        *_projects_funding(report, lang),
    ]  # fmt: skip
    return doc


def _activities(report: dict[str, Any], lang: str) -> Section:
    rows: list[list[Cell]] = [
        [activity_label(k, lang), report["activities"][k]["count"],
         report["activities"][k]["ressourceries"]]
        for k in ACTIVITY_TYPES
    ]  # fmt: skip
    headers = [text("activity_type", lang), text("count", lang), text("ressourceries", lang)]
    return Section("activities", text("activities", lang), headers, rows,
                   text("activities_note", lang))  # fmt: skip


def _visits(report: dict[str, Any], lang: str) -> Section:
    visits = report["visits"]
    rows: list[list[Cell]] = [[visitor_label(k, lang), visits["by_visitor"][k]] for k in VISITORS]
    rows.append([text("total_visits", lang), visits["total"]])
    return Section("visits", text("visits", lang), [text("visitors", lang), text("count", lang)],
                   rows)  # fmt: skip


def _projects(report: dict[str, Any], lang: str) -> Section:
    labels = all_stage_labels(lang)
    rows: list[list[Cell]] = [
        [labels.get(key, key), count] for key, count in report["projects"]["by_stage"].items()
    ]
    headers = [text("stage_at", lang, date=day(report["period"]["to"], lang)),
               text("projects_count", lang)]  # fmt: skip
    return Section("projects", text("projects", lang), headers, rows)


def _movements(report: dict[str, Any], lang: str) -> Section:
    projects = report["projects"]
    rows: list[list[Cell]] = [
        [text("transitions", lang), projects["transitions"]],
        [text("opened", lang), projects["opened"]],
    ]
    return Section("movements", text("movements", lang), [text("item", lang), text("count", lang)],
                   rows)  # fmt: skip


def _observatory(report: dict[str, Any], lang: str) -> Section:
    obs = report["observatory"]
    values = {**obs["totals"], **obs}
    years = obs["years"]
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    rows: list[list[Cell]] = [[observatory_label(k, lang), values.get(k)] for k in OBSERVATORY_ROWS]
    return Section("observatory", text("observatory", lang, years=span),
                   [text("indicator", lang), text("value", lang)], rows,
                   text("observatory_note", lang))  # fmt: skip


def _partners(report: dict[str, Any], lang: str) -> Section:
    rows: list[list[Cell]] = [[name] for name in report["partners"]]
    note = "" if rows else text("no_partner", lang)
    return Section("partners", text("partners", lang), [text("organisation", lang)], rows, note)


def _means(report: dict[str, Any], lang: str) -> list[Section]:
    """The coordination's means: staff time, budget and funding (worded by means/display.py)."""
    if "means" not in report:  # a report frozen before means were recorded
        return []
    return [Section(*table) for table in report_tables(report["means"], lang)]


def _projects_funding(report: dict[str, Any], lang: str) -> list[Section]:
    """Funding obtained by the projects in the period, by funder and kind (means/display.py)."""
    if "projects_funding" not in report:  # a report frozen before funding plans were rows
        return []
    return [Section(*projects_funding_table(report["projects_funding"], lang))]
