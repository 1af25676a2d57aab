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
}


def _word(key: str, lang: str) -> str:
    with force_locale(lang):
        return str(WORDS[key])


def _kind(key: str, lang: str) -> str:
    with force_locale(lang):
        return str(COST_KIND_LABELS.get(key, key))


def _cells(by_year: dict[str, Any], years: list[str]) -> list[Any]:
    return [by_year.get(y) for y in years]


def report_tables(means: dict[str, Any], lang: str) -> list[Table]:
    """Return the tables of staff time, budget and funding of the report's years."""
    return [staff_table(means, lang), budget_table(means, lang), funding_table(means, lang)]


def staff_table(means: dict[str, Any], lang: str) -> Table:
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
    return "means_staff", _word("staff", lang), headers, rows, note


def budget_table(means: dict[str, Any], lang: str) -> Table:
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
    return "means_budget", _word("budget", lang), headers, rows, note


def funding_table(means: dict[str, Any], lang: str) -> Table:
    """Funding by funder and year, with the totals."""
    years = [str(y) for y in means["years"]]
    funding = means["funding"]
    rows = [[f["funder"], *_cells(f["by_year"], years), f["total"]] for f in funding["by_funder"]]
    if rows:
        rows.append([_word("total", lang), *_cells(funding["by_year"], years), funding["total"]])
    headers = [_word("funder", lang), *years, _word("period_total", lang)]
    note = "" if rows else _word("no_means", lang)
    return "means_funding", _word("funding", lang), headers, rows, note
