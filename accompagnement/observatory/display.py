"""Charts and table rows of the regional view, built from totals (no queries here)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from accompagnement.charts import Bar, bar_chart
from accompagnement.observatory.indicators import BY_KEY, FLOWS, OUTGOING
from accompagnement.observatory.stats import Totals


def number(value: Any) -> str:
    """Write a figure in the current language; a dash when unknown."""
    return "—" if value is None else format_decimal(value)


def rate(value: Decimal | None) -> str:
    """Write a percentage in the current language; a dash when unknown."""
    return "—" if value is None else f"{format_decimal(value)} %"


def year_table(by_year: Mapping[int, Totals]) -> tuple[list[str], list[list[str]]]:
    """Return headers and rows comparing the years."""
    headers = [
        _("Year"), _("Reports"), _("Tonnes collected"), _("Reuse rate"), _("Recovery rate"),
        _("Sales turnover (€)"), _("FTE"), _("Volunteers"),
    ]  # fmt: skip
    rows = [
        [
            str(year),
            number(t.reports),
            number(t.total_collected),
            rate(t.reuse_rate),
            rate(t.recovery_rate),
            number(t.sums["turnover"]),
            number(t.sums["fte"]),
            number(t.sums["volunteers"]),
        ]  # fmt: skip
        for year, t in sorted(by_year.items())
    ]
    return headers, rows


def years_chart(by_year: Mapping[int, Totals]) -> Markup:
    """Return the chart of tonnes collected per year."""
    bars = [
        Bar(str(year), float(t.total_collected), number(t.total_collected))
        for year, t in sorted(by_year.items())
    ]
    summary = ", ".join(f"{b.label}: {b.shown} t" for b in bars)
    return bar_chart(
        bars,
        chart_id="collected-by-year",
        title=_("Tonnes collected per year"),
        description=summary,
        horizontal=False,
    )


def breakdown(totals: Totals, keys: tuple[str, ...]) -> list[list[str]]:
    """Return (label, tonnes, share of the total) rows of one group of indicators."""
    whole = sum((totals.sums[k] for k in keys), Decimal(0))
    return [
        [
            str(BY_KEY[k].label),
            number(totals.sums[k]),
            rate((100 * totals.sums[k] / whole).quantize(Decimal("0.1")) if whole else None),
        ]
        for k in keys
    ]


def breakdown_chart(totals: Totals, keys: tuple[str, ...], chart_id: str, title: str) -> Markup:
    """Return a horizontal bar chart of one group of tonnages."""
    bars = [Bar(str(BY_KEY[k].label), float(totals.sums[k]), number(totals.sums[k])) for k in keys]
    summary = ", ".join(f"{b.label}: {b.shown} t" for b in bars)
    return bar_chart(bars, chart_id=chart_id, title=title, description=summary)


def year_charts(totals: Totals | None) -> dict[str, Any]:
    """Return the charts and rows of one year's breakdowns by flow and by destination."""
    if totals is None:
        return {}
    return {
        "flows_svg": breakdown_chart(totals, FLOWS, "by-flow", _("Tonnes collected by flow")),
        "flows_rows": breakdown(totals, FLOWS),
        "out_svg": breakdown_chart(
            totals, OUTGOING, "by-destination", _("Tonnes going out by destination")
        ),
        "out_rows": breakdown(totals, OUTGOING),
    }


def key_figures(totals: Totals) -> list[tuple[str, str]]:
    """Return (label, value) of the headline figures of one year."""
    s = totals.sums
    return [
        (_("Tonnes collected"), f"{number(totals.total_collected)} t"),
        (_("Reuse rate"), rate(totals.reuse_rate)),
        (_("Recovery rate"), rate(totals.recovery_rate)),
        (_("Sales turnover"), f"{number(s['turnover'])} €"),
        (_("Number of sales"), number(s["sales_count"])),
        (
            _("Average basket"),
            "—" if totals.average_basket is None else f"{number(totals.average_basket)} €",
        ),
        (_("Headcount"), number(s["headcount"])),
        (_("FTE"), number(s["fte"])),
        (_("Women"), rate(totals.women_percent)),
        (_("Permanent contracts"), number(s["contracts_permanent"])),
        (_("Fixed-term contracts"), number(s["contracts_fixed_term"])),
        (_("Subsidised contracts"), number(s["contracts_subsidised"])),
        (_("Work-integration contracts"), number(s["contracts_integration"])),
        (_("Volunteers"), number(s["volunteers"])),
        (_("Volunteer hours"), number(s["volunteer_hours"])),
        (_("Awareness actions"), number(s["awareness_actions"])),
        (_("People reached"), number(s["people_reached"])),
    ]
