"""The resources of the open data package: each one's Table Schema and its rows for a year.

Public figures only: the observatory's totals (never one member's figures), projects counted by
stage and département (never a project or a person), and the member directory's public fields
(never a contact). The figures come from the observatory's aggregation (`observatory.stats`)
and the report's project groups (`reports.queries`): no second way of counting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accompagnement.network.models import Network
from accompagnement.observatory import queries as observatory_queries
from accompagnement.observatory.indicators import BY_KEY, INDICATORS
from accompagnement.observatory.stats import Totals, stage_table
from accompagnement.opendata import queries
from accompagnement.reports import queries as report_queries

Row = Sequence[Any]


@dataclass(frozen=True)
class Field:
    """A column of a resource: its name, Table Schema type and what it holds."""

    name: str
    type: str
    description: Any  # a lazy translated string
    required: bool = False


@dataclass(frozen=True)
class Resource:
    """A table of the package: name (its file is NAME.csv), schema, and its rows for a year."""

    name: str
    title: Any
    description: Any
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Network, int, str], Iterator[Row]]
    missing_values: tuple[str, ...] = ("",)  # cells that mean "unknown"

    def schema(self) -> dict[str, Any]:
        """Return the Table Schema, worded in the current locale."""
        return {
            "fields": [_field(f, f.name in self.primary_key) for f in self.fields],
            "primaryKey": list(self.primary_key),
            "missingValues": list(self.missing_values),
        }


def _field(field: Field, key: bool) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": field.name,
        "type": field.type,
        "description": str(field.description),
    }
    if key or field.required:
        described["constraints"] = {"required": True}
    return described


YEAR = Field("year", "year", _l("Calendar year the figures describe."), required=True)


def observatory_rows(network: Network, year: int, lang: str) -> Iterator[Row]:
    """Yield the network's observatory totals for the year: one row per indicator."""
    totals = observatory_queries.totals_by_year([year]).get(year, Totals())
    known = totals.reports > 0
    for indicator in INDICATORS:
        if indicator.kind == "percent":
            continue  # a share does not add up: the weighted share is a derived row below
        value = totals.sums[indicator.key] if known else None
        yield (year, indicator.key, indicator.group, str(indicator.label), indicator.unit,
               indicator.over_time, value)  # fmt: skip
    yield from _derived(year, totals)


def _derived(year: int, totals: Totals) -> Iterator[Row]:
    known = totals.reports > 0
    women = BY_KEY["women_percent"]
    derived: tuple[tuple[str, str, str, Any, Decimal | int | None], ...] = (
        ("reports", "", "count", _("Reports received"), totals.reports),
        ("total_collected", "collected", "t", _("Total collected"),
         totals.total_collected if known else None),
        ("reuse_rate", "outgoing", "%", _("Reuse rate"), totals.reuse_rate),
        ("recovery_rate", "outgoing", "%", _("Recovery rate"), totals.recovery_rate),
        ("average_basket", "sales", "€", _("Average basket"), totals.average_basket),
        (women.key, women.group, women.unit, str(women.label), totals.women_percent),
    )  # fmt: skip
    for key, group, unit, label, value in derived:
        yield (year, key, group, label, "" if unit == "count" else unit, "derived", value)


OBSERVATORY = Resource(
    name="observatory",
    title=_l("Observatory of the member ressourceries"),
    description=_l(
        "Totals of the yearly reports of the network's members: tonnes collected and going out, "
        "sales, jobs, volunteers, awareness. Figures of one member are never published."
    ),
    fields=(
        YEAR,
        Field("indicator", "string", _l("Stable key of the indicator.")),
        Field(
            "group", "string", _l("Group of indicators (collection mode, flow, destination...).")
        ),
        Field("label", "string", _l("Name of the indicator.")),
        Field("unit", "string", _l("Unit: t (tonnes), € (euros), % (percent), empty for a count.")),
        Field(
            "over_time",
            "string",
            _l("flow: adds up over years; stock: a value for the year; derived: computed."),
        ),
        Field("value", "number", _l("Total of the members' reports; empty when unknown.")),
    ),
    primary_key=("year", "indicator"),
    rows=observatory_rows,
)


def pipeline_rows(network: Network, year: int, lang: str) -> Iterator[Row]:
    """Yield the projects in each stage at the end of the year, per département."""
    since, until = report_queries.bounds(date(year, 1, 1), date(year, 12, 31))
    counts: dict[str | None, dict[tuple[str, str], int]] = {}
    for group in report_queries.project_groups(since, until):
        per_stage = counts.setdefault(group.departement, {})
        key = (group.workflow, group.at_end)
        per_stage[key] = per_stage.get(key, 0) + group.count
    codes = sorted({*network.departement_codes, *(c for c in counts if c is not None)})
    names = report_queries.departement_names(codes)
    for code in [*codes, *([None] if None in counts else [])]:
        for row in stage_table(counts.get(code, {}), lang):
            yield (year, row.workflow, row.workflow_label, row.key, row.label, code or "",
                   names.get(code or "", ""), row.count)  # fmt: skip


PIPELINE = Resource(
    name="pipeline",
    title=_l("Projects by stage and département"),
    description=_l(
        "Ressourcerie creation projects the network accompanies, counted by stage of their "
        "pathway on 31 December of the year (today for the current year), per département."
    ),
    fields=(
        YEAR,
        Field("workflow", "string", _l("Stable key of the pathway (workflow).")),
        Field("workflow_label", "string", _l("Name of the pathway.")),
        Field("stage", "string", _l("Stable key of the stage.")),
        Field("stage_label", "string", _l("Name of the stage.")),
        Field(
            "departement",
            "string",
            _l(
                "INSEE code of the département of the project's commune; empty for projects "
                "without a commune yet (an empty text, not a missing value)."
            ),
        ),
        Field("departement_name", "string", _l("Name of the département.")),
        Field("projects", "integer", _l("Number of projects."), required=True),
    ),
    primary_key=("year", "workflow", "stage", "departement"),
    rows=pipeline_rows,
    missing_values=(),  # every count is known; "" is the département of no commune
)


def member_rows(network: Network, year: int, lang: str) -> Iterator[Row]:
    """Yield the public fields of the members of the network during the year."""
    for member in queries.directory_of_year(year):
        commune = member.commune
        yield (year, member.name, member.kind, commune.name if commune else "",
               member.commune_insee or "", member.departement_code or "",
               " ".join(member.functions), member.website or "")  # fmt: skip


MEMBERS = Resource(
    name="members",
    title=_l("Member ressourceries"),
    description=_l(
        "The structures that were members of the network during the year: name, commune, the "
        "functions of the charter they run, website. No contact person is published."
    ),
    fields=(
        YEAR,
        Field("name", "string", _l("Name of the structure.")),
        Field("kind", "string", _l("ressourcerie (general) or recyclerie (specialised).")),
        Field("commune", "string", _l("Name of the commune.")),
        Field("insee", "string", _l("INSEE code of the commune (official geography).")),
        Field("departement", "string", _l("INSEE code of the département.")),
        Field(
            "functions",
            "string",
            _l(
                "Functions of the charter it runs, separated by spaces: collecte, valorisation, "
                "vente, sensibilisation."
            ),
        ),
        Field("website", "string", _l("Website.")),
    ),
    primary_key=("year", "name"),
    rows=member_rows,
)

RESOURCES: tuple[Resource, ...] = (OBSERVATORY, PIPELINE, MEMBERS)
BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES}
