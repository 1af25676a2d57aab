"""Turn the dashboard figures into accessible charts, in the current language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from accompagnement.charts import Bar, bar_chart, funnel_chart, share_percent
from accompagnement.i18n import label
from accompagnement.partners.queries import Dashboard


def departement_name(code: str, name: str) -> str:
    """Return "87 Haute-Vienne", or a plain word for projects without a commune."""
    return f"{code} {name}".strip() if code else _("No commune")


def _listing(pairs: list[tuple[str, str]]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in pairs) or _("No project.")


def stage_chart(board: Dashboard) -> Markup:
    """Chart the number of projects currently in each stage."""
    bars = [Bar(label(s.label), s.count) for s in board.by_stage]
    return bar_chart(
        bars,
        chart_id="chart-stages",
        title=_("Projects by current stage"),
        description=_listing([(b.label, b.shown) for b in bars]),
    )


def departement_chart(board: Dashboard) -> Markup:
    """Chart the number of projects in each département."""
    bars = [Bar(departement_name(code, name), n) for code, name, n in board.by_departement]
    return bar_chart(
        bars,
        chart_id="chart-departements",
        title=_("Projects by département"),
        description=_listing([(b.label, b.shown) for b in bars]),
        horizontal=False,
    )


def funnel(board: Dashboard) -> Markup:
    """Chart how many projects reached each stage of the pathway."""
    bars = [Bar(label(s.label), s.count) for s in board.funnel]
    return funnel_chart(
        bars,
        chart_id="chart-funnel",
        title=_("Projects that reached each stage"),
        description=_listing([(b.label, b.shown) for b in bars]),
    )


def days_text(days: float) -> str:
    """Write a number of days, rounded to a whole day."""
    n = round(days)
    return ngettext("%(num)s day", "%(num)s days", n)


def times_chart(board: Dashboard) -> Markup:
    """Chart the median time spent in each stage."""
    bars = [
        Bar(label(stage_label), t.median_days, days_text(t.median_days), alt=True)
        for stage_label, t in board.times
    ]
    return bar_chart(
        bars,
        chart_id="chart-times",
        title=_("Median time spent in each stage"),
        description=_listing([(b.label, b.shown) for b in bars]),
    )


def charts(board: Dashboard) -> dict[str, Markup]:
    """Return every chart of the dashboard, keyed by name."""
    return {
        "stages": stage_chart(board),
        "departements": departement_chart(board),
        "funnel": funnel(board),
        "times": times_chart(board),
    }


def _percent(value: int, first: int) -> str:
    return f"{share_percent(value, first)} %"


def tables(board: Dashboard) -> dict[str, list[list[object]]]:
    """Return the rows of the table paired with each chart (same numbers, full labels)."""
    first = board.funnel[0].count if board.funnel else 0
    return {
        "stages": [[label(s.label), s.count] for s in board.by_stage],
        "departements": [
            [departement_name(code, name), n] for code, name, n in board.by_departement
        ],
        "funnel": [[label(s.label), s.count, _percent(s.count, first)] for s in board.funnel],
        "times": [
            [label(stage_label), days_text(t.median_days), t.projects, t.ongoing]
            for stage_label, t in board.times
        ],
    }
