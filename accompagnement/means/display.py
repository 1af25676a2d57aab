"""The means as the report's tables (title, headers, rows, note), worded in a language.

The report (reports/document.py) turns each table into a section of every format. FTE is a
stock: the period column gives the mean of the years that have staff time, never their sum.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from accompagnement.means.models import COST_KIND_LABELS

Table = tuple[str, str, list[str], list[list[Any]], str]

WORDS = {
    "staff": _l("Staff time of the coordination (FTE)"),
    "structure": _l("Structure"),
    "mean": _l("Period (mean of the years)"),
    "staff_note": _l(
        "Full-time equivalents given by each structure, per year; over several years the mean "
        "of the years, since staff time never adds up across years."
    ),
    "budget": _l("Budget of the coordination (€)"),
    "line": _l("Budget line"),
    "kind": _l("Kind"),
    "total": _l("Total"),
    "period_total": _l("Period"),
    "total_budget": _l("Total budget"),
    "funding": _l("Funding received by the coordination (€)"),
    "funder": _l("Funder"),
    "no_means": _l("No means recorded for these years."),
    "projects_funding": _l("Funding obtained by the projects (€)"),
    "amount": _l("Amount (€)"),
    "projects_funding_note": _l(
        "Lines of the projects' funding plans granted or paid, decided during the period (a line "
        "without a decision date counts on the day its plan was submitted)."
    ),
    "no_projects_funding": _l("No funding obtained by the projects during the period."),
}
# The national report's titles: the networks' coordinations added up.
NATIONAL_WORDS = {
    "staff": _l("Staff time of the networks' coordinations (FTE)"),
    "budget": _l("Budget of the networks' coordinations (€)"),
    "funding": _l("Funding received by the networks' coordinations (€)"),
}
# The kinds of funding of the projects' funding plans (stored keys of workflows/*.yaml).
FUNDING_KIND_LABELS = {
    "subvention": _l("Grant"),
    "pret": _l("Loan"),
    "garantie": _l("Guarantee"),
    "fonds_propres": _l("Own funds"),
    "autre": _l("Other funding"),
    "unspecified": _l("Not specified"),
}


def _word(key: str, lang: str, *, national: bool = False) -> str:
    with force_locale(lang):
        return str(NATIONAL_WORDS.get(key, WORDS[key]) if national else WORDS[key])


def _kind(key: str, lang: str) -> str:
    with force_locale(lang):
        return str(COST_KIND_LABELS.get(key, key))


def _cells(by_year: dict[str, Any], years: list[str]) -> list[Any]:
    return [by_year.get(y) for y in years]


def report_tables(means: dict[str, Any], lang: str, *, national: bool = False) -> list[Table]:
    """Return the tables of staff time, budget and funding of the report's years (titled as
    the national report's when `national`)."""
    return [
        staff_table(means, lang, national=national),
        budget_table(means, lang, national=national),
        funding_table(means, lang, national=national),
    ]


def staff_table(means: dict[str, Any], lang: str, *, national: bool = False) -> Table:
    """FTE by structure and year; the total row ends with the mean over the period."""
    years = [str(y) for y in means["years"]]
    staff = means["staff"]
    counted = sum(1 for v in staff["by_year"].values() if v is not None) or 1
    rows = [
        [s["structure"], *_cells(s["by_year"], years),
         round(sum(v or 0 for v in s["by_year"].values()) / counted, 2)]
        for s in staff["by_structure"]
    ]  # fmt: skip
    if rows:
        rows.append([_word("total", lang), *_cells(staff["by_year"], years), staff["average_fte"]])
    headers = [_word("structure", lang), *years, _word("mean", lang)]
    note = _word("staff_note", lang) if rows else _word("no_means", lang)
    return _one_year("means_staff", _word("staff", lang, national=national), headers, rows, note)


def _one_year(*table: Any) -> Table:
    """Leave out the period column of a one-year period: it would repeat the year's."""
    key, title, headers, rows, note = table
    if len(headers) > 2 and headers[-2].isdecimal() and not headers[-3].isdecimal():
        return key, title, headers[:-1], [row[:-1] for row in rows], note
    return key, title, headers, rows, note


def budget_table(means: dict[str, Any], lang: str, *, national: bool = False) -> Table:
    """Budget lines by year with their total; then staff costs, other costs and the budget."""
    years = [str(y) for y in means["years"]]
    budget = means["budget"]
    rows = [
        [line["label"], _kind(line["kind"], lang), *_cells(line["by_year"], years), line["total"]]
        for line in budget["lines"]
    ]
    if rows:
        for key, label in (("staff", _kind("staff", lang)), ("other", _kind("other", lang)),
                           ("total", _word("total_budget", lang))):  # fmt: skip
            per_year = [budget["by_year"][y][key] for y in years]
            rows.append([label, "", *per_year, budget["total"][key]])
    headers = [_word("line", lang), _word("kind", lang), *years, _word("period_total", lang)]
    note = "" if rows else _word("no_means", lang)
    return _one_year("means_budget", _word("budget", lang, national=national), headers, rows, note)


def funding_table(means: dict[str, Any], lang: str, *, national: bool = False) -> Table:
    """Funding by funder and year, with the totals."""
    years = [str(y) for y in means["years"]]
    funding = means["funding"]
    rows = [[f["funder"], *_cells(f["by_year"], years), f["total"]] for f in funding["by_funder"]]
    if rows:
        rows.append([_word("total", lang), *_cells(funding["by_year"], years), funding["total"]])
    headers = [_word("funder", lang), *years, _word("period_total", lang)]
    note = "" if rows else _word("no_means", lang)
    return _one_year(
        "means_funding", _word("funding", lang, national=national), headers, rows, note
    )


def _funding_kind(key: str, lang: str) -> str:
    """Name a kind of funding as the pathway's newest funding plan does."""
    with force_locale(lang):
        return str(FUNDING_KIND_LABELS.get(key, key))


def projects_funding_table(funding: dict[str, Any], lang: str) -> Table:
    """Funding obtained by the projects: one row per funder and kind, then per kind, then total."""
    rows: list[list[Any]] = [
        [line["funder"], _funding_kind(line["kind"], lang), line["amount"]]
        for line in funding["lines"]
    ]
    if rows:
        rows += [[_word("total", lang), _funding_kind(kind, lang), amount]
                 for kind, amount in funding["by_kind"].items()]  # fmt: skip
        rows.append([_word("total", lang), "", funding["total"]])
    headers = [_word("funder", lang), _word("kind", lang), _word("amount", lang)]
    note = _word("projects_funding_note", lang) if rows else _word("no_projects_funding", lang)
    return "projects_funding", _word("projects_funding", lang), headers, rows, note
