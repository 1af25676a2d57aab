"""Lay out a built report as titled tables, once, for the page, the PDF, the CSV and the DOCX."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from accompagnement.charts import Bar
from accompagnement.means.display import projects_funding_table, report_tables
from accompagnement.observatory.indicators import BY_KEY, FLOW, FLOWS, MODES, OUTGOING
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


# Figures of the whole period that are not indicators: how each one reads across years.
DERIVED_OVER_TIME = {"reports": FLOW, "collected_t": FLOW, "reuse_rate_percent": "rate",
                     "recovery_rate_percent": "rate", "average_basket_eur": "rate",
                     "women_percent": "stock"}  # fmt: skip


@dataclass
class Chart:
    """Bars drawn next to a section's table (the table holds the same numbers).

    `horizontal` bars suit long labels; vertical ones a few years or départements.
    """

    title: str
    bars: list[Bar]
    horizontal: bool = True


@dataclass
class Section:
    """A titled table: a header row, then rows whose first cell names the row; maybe a chart."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""
    chart: Chart | None = None


@dataclass
class Part:
    """A part of the narrative a coordinator wrote: a heading, then paragraphs of plain text."""

    key: str
    title: str
    paragraphs: list[str]


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
    notice: str = ""  # where the figures come from when they are not live (a frozen report)
    narrative: list[Part] = field(default_factory=list)  # before the figures, in every format


def paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines; line breaks inside one are kept."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    blocks = "\n".join(lines).split("\n\n")
    return [block.strip("\n") for block in blocks if block.strip()]


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


def layout(
    report: dict[str, Any], lang: str, today: date | None = None, *, national: bool = False
) -> Document:
    """Turn build_report's data into the sections of the document; `national` words it as the
    national report (the networks' reports added up) rather than as one network's."""
    network = report.get("network") or {}
    doc = Document(
        lang=lang,
        title=network.get("title") or text("title", lang, national=national),
        subtitle=network.get("name") or text("network", lang),
        period=_period(report, lang),
        footer=text("generated", lang, date=day((today or date.today()).isoformat(), lang)),
        intro=network.get("intro") or "",
        closing=network.get("footer") or "",
    )
    doc.sections = [
        _activities(report, lang, national),
        _visits(report, lang),
        *_plan(report, lang, national),
        Section("members", text("members", lang), [text("item", lang), text("count", lang)],
                [[text("new_members", lang, national=national), report["new_members"]]]),
        *_projects(report, lang),
        _departements(report, lang),
        _movements(report, lang),
        _openings(report, lang),
        _time(report, lang, national),
        _observatory(report, lang, national),
        _partners(report, lang),
        *_means(report, lang, national),
        *_projects_funding(report, lang),
    ]  # fmt: skip
    return doc


def _period(report: dict[str, Any], lang: str) -> str:
    """Name the period, and the départements when the report is cut to some."""
    period = report["period"]
    words = text("period", lang, start=day(period["from"], lang), end=day(period["to"], lang))
    cut = report.get("departements")
    if cut:
        names = ", ".join(f"{d['code']} {d['name']}" for d in cut)
        words += " · " + text("departements_cut", lang, names=names)
    return words


def _activities(report: dict[str, Any], lang: str, national: bool) -> Section:
    rows: list[list[Cell]] = [
        [activity_label(k, lang), report["activities"][k]["count"],
         report["activities"][k]["ressourceries"]]
        for k in ACTIVITY_TYPES
    ]  # fmt: skip
    headers = [text("activity_type", lang), text("count", lang), text("ressourceries", lang)]
    return Section("activities", text("activities", lang, national=national), headers, rows,
                   text("activities_note", lang))  # fmt: skip


def _visits(report: dict[str, Any], lang: str) -> Section:
    visits = report["visits"]
    rows: list[list[Cell]] = [[visitor_label(k, lang), visits["by_visitor"][k]] for k in VISITORS]
    rows.append([text("total_visits", lang), visits["total"]])
    return Section("visits", text("visits", lang), [text("visitors", lang), text("count", lang)],
                   rows)  # fmt: skip


def _plan(report: dict[str, Any], lang: str, national: bool) -> list[Section]:
    """The yearly plan next to what was done each year (not in a report cut by département)."""
    plan = report.get("plan")
    if plan is None:
        return []
    years = plan["years"]
    headers = [text("activity_type", lang), text("planned_a_year", lang)]
    headers += [text("done_in", lang, year=_year_span(y, lang)) for y in years]
    rows: list[list[Cell]] = [
        [activity_label(key, lang), per_year, *[y["done"][key] for y in years]]
        for key, per_year in plan["per_year"].items()
    ]
    note = text("plan_note" if rows else "no_plan", lang, national=national)
    bars = []  # the table's numbers: the plan of a year, then what was done each year
    for key, per_year in plan["per_year"].items():
        name = activity_label(key, lang)
        bars.append(Bar(text("planned_bar", lang, name=name), per_year, alt=True))
        bars += [Bar(text("done_bar", lang, name=name, year=y["year"]), y["done"][key])
                 for y in years]  # fmt: skip
    chart = Chart(text("plan", lang), bars) if bars else None
    return [Section("plan", text("plan", lang), headers, rows, note, chart)]


def _year_span(year: dict[str, Any], lang: str) -> str:
    """Name a year of the period; a year covered in part says which part."""
    whole = year["from"].endswith("-01-01") and year["to"].endswith("-12-31")
    if whole:
        return str(year["year"])
    return text("part_of_year", lang, year=year["year"], start=day(year["from"], lang),
                end=day(year["to"], lang))  # fmt: skip


def _projects(report: dict[str, Any], lang: str) -> list[Section]:
    """One table per workflow: its projects by stage at the period's end."""
    sections = []
    headers = [text("stage_at", lang, date=day(report["period"]["to"], lang)),
               text("projects_count", lang), text("accompanied", lang)]  # fmt: skip
    for name, workflow in report["projects"]["by_workflow"].items():
        stages = workflow["stages"]
        rows: list[list[Cell]] = [[s["label"], s["count"], s["accompanied"]] for s in stages]
        title = text("projects_of", lang, workflow=workflow["label"])
        chart = Chart(
            title, [Bar(s["label"], s["count"], number(s["count"], lang)) for s in stages]
        )
        sections.append(Section(f"projects-{name}", title, headers, rows, chart=chart))
    return sections


def _departements(report: dict[str, Any], lang: str) -> Section:
    """The projects of each département."""
    rows: list[list[Cell]] = [
        [f"{d['code']} {d['name'] or ''}".strip() if d["code"] else text("no_commune", lang),
         d["count"], d["accompanied"]]
        for d in report["projects"]["by_departement"]
    ]  # fmt: skip
    headers = [text("departement", lang), text("projects_count", lang), text("accompanied", lang)]
    bars = [Bar(str(row[0]), float(row[1] or 0), number(row[1], lang)) for row in rows]
    chart = Chart(text("projects_by_departement", lang), bars, horizontal=False) if rows else None
    return Section("departements", text("projects_by_departement", lang), headers, rows,
                   "" if rows else text("no_project", lang), chart)  # fmt: skip


def _movements(report: dict[str, Any], lang: str) -> Section:
    projects = report["projects"]
    rows: list[list[Cell]] = [
        [text("accompanied_total", lang), projects["accompanied"]],
        [text("transitions", lang), projects["transitions"]],
        [text("opened", lang), projects["opened"]],
    ]
    return Section("movements", text("movements", lang), [text("item", lang), text("count", lang)],
                   rows)  # fmt: skip


def _openings(report: dict[str, Any], lang: str) -> Section:
    """The ressourceries that opened, with their jobs and tonnes of their first years."""
    headers = [text("opening", lang), text("departement", lang), text("opened_on", lang),
               text("fte_at_opening", lang), text("first_years_fte", lang),
               text("first_years_tonnes", lang)]  # fmt: skip
    rows: list[list[Cell]] = []
    for item in report["openings"]:
        years = item["first_years"]
        rows.append([
            item["member"] or item["project"], item["departement"] or "—",
            day(item["opened_on"], lang), item["fte_at_opening"],
            _by_year(years, "fte", lang), _by_year(years, "collected_t", lang),
        ])  # fmt: skip
    note = text("openings_note", lang) if rows else text("no_opening", lang)
    return Section("openings", text("openings", lang), headers, rows, note)


def _time(report: dict[str, Any], lang: str, national: bool) -> Section:
    """The coordination's time with the projects, per stage (from the recorded exchanges)."""
    spent = report["accompaniment_time"]
    headers = [text("stage", lang), text("hours", lang)]
    rows: list[list[Cell]] = [[item["label"], round(item["minutes"] / 60, 1)]
                              for item in spent["by_stage"]]  # fmt: skip
    rows.append([text("total", lang), spent["hours"]])
    note = text("time_note", lang, national=national, exchanges=spent["exchanges"],
                projects=spent["projects"])  # fmt: skip
    return Section("time", text("accompaniment_time", lang), headers, rows, note)


def _by_year(years: list[dict[str, Any]], key: str, lang: str) -> str:
    """Write one figure of each year, e.g. "2024: 3.5 · 2025: 4"."""
    parts = [text("year_value", lang, year=y["year"], value=number(y[key], lang)) for y in years]
    return " · ".join(parts) or "—"


def _observatory(report: dict[str, Any], lang: str, national: bool) -> Section:
    """One column per year; for flows (and rates over the years) a total column too."""
    obs = report["observatory"]
    years = obs["years"]
    several = len(years) > 1
    span = str(years[0]) if not several else f"{years[0]}–{years[-1]}"
    headers = [text("indicator", lang), *[str(y) for y in years]]
    if several:
        headers.append(text("period_total", lang))
    rows: list[list[Cell]] = []
    for key in OBSERVATORY_ROWS:
        row: list[Cell] = [observatory_label(key, lang)]
        row += [_year_value(obs["by_year"][str(y)], key) for y in years]
        if several:
            row.append(_period_value(obs, key))
        rows.append(row)
    bars = [Bar(str(y), float(obs["by_year"][str(y)]["collected_t"] or 0),
                number(obs["by_year"][str(y)]["collected_t"], lang)) for y in years]  # fmt: skip
    chart = Chart(observatory_label("collected_t", lang), bars, horizontal=False)
    title = text("observatory", lang, national=national, years=span)
    return Section("observatory", title, headers, rows,
                   text("observatory_note", lang), chart)  # fmt: skip


def _year_value(year: dict[str, Any], key: str) -> Cell:
    if key in year["figures"]:
        return year["figures"][key]
    return year.get(key)


def _period_value(obs: dict[str, Any], key: str) -> Cell:
    """Return the figure of the whole period: flows added up, rates over it, stocks none."""
    over_time = DERIVED_OVER_TIME.get(key) or BY_KEY[key].over_time
    if over_time == FLOW:
        return obs["totals"].get(key, obs.get(key))
    if over_time == "rate":
        return obs.get(key)
    return None


def _partners(report: dict[str, Any], lang: str) -> Section:
    rows: list[list[Cell]] = [[name] for name in report["partners"]]
    note = "" if rows else text("no_partner", lang)
    return Section("partners", text("partners", lang), [text("organisation", lang)], rows, note)


def _means(report: dict[str, Any], lang: str, national: bool) -> list[Section]:
    """The coordination's means: staff time, budget and funding (worded by means/display.py)."""
    if "means" not in report:  # a report frozen before means were recorded
        return []
    return [Section(*table) for table in report_tables(report["means"], lang, national=national)]


def _projects_funding(report: dict[str, Any], lang: str) -> list[Section]:
    """Funding obtained by the projects in the period, by funder and kind (means/display.py)."""
    if "projects_funding" not in report:  # a report frozen before funding plans were rows
        return []
    return [Section(*projects_funding_table(report["projects_funding"], lang))]
