"""Read queries of the national pages: the networks, each one's aggregate figures, and the same
figures over every network at once.

Only aggregates are read, through the partners' pipeline queries (counts, funnel, median days:
no holder, form, comment or document) and the report's observatory figures (members' yearly
reports added up). A network's figures are computed inside `network_scope(id)`; the national
ones under `unscoped()`, over every project and report pooled: the national median time in a
stage is the median of every network's projects, the national rates those of every report,
never an average of the networks' medians or rates.

A network costs a constant number of queries (4), whatever its number of projects; the list
shows `NETWORKS_PER_PAGE` networks a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from accompagnement.extensions import db
from accompagnement.network.models import Network
from accompagnement.pagination import Page, clamp
from accompagnement.partners.queries import pipeline
from accompagnement.reports import figures as report_figures
from accompagnement.tenancy import network_scope, unscoped

NETWORKS_PER_PAGE = 10


@dataclass(frozen=True)
class StageFigures:
    """One stage of a workflow: projects in it now, projects that ever reached it (None for a
    side state, outside the funnel), median days spent in it and over how many projects."""

    key: str
    label: Any  # an engine Label, or the key of a stage the workflow no longer has
    projects: int
    reached: int | None
    median_days: float | None
    measured: int


@dataclass(frozen=True)
class Figures:
    """The aggregate figures of one network, or of every network."""

    stages: list[StageFigures]
    observatory: dict[str, Any]  # reports.figures.observatory of one year

    @property
    def projects(self) -> int:
        """Count the projects of the workflow, whatever their stage."""
        return sum(stage.projects for stage in self.stages)


@dataclass(frozen=True)
class NetworkFigures:
    """A network of the instance with its figures (its name only: no person, no address)."""

    id: int
    name: str
    short_name: str
    figures: Figures


def figures_in_scope(workflow: str, year: int) -> Figures:
    """Gather the figures of the projects and reports the current scope reaches (4 queries)."""
    board = pipeline(workflow)
    reached = {stage.stage: stage.count for stage in board.funnel}
    times = {time.stage: time for _label, time in board.times}
    stages = [
        StageFigures(
            key=stage.stage,
            label=stage.label,
            projects=stage.count,
            reached=reached.get(stage.stage),
            median_days=times[stage.stage].median_days if stage.stage in times else None,
            measured=times[stage.stage].projects if stage.stage in times else 0,
        )
        for stage in board.by_stage
    ]
    observatory = report_figures.observatory(date(year, 1, 1), date(year, 12, 31), None)
    return Figures(stages, observatory)


def national_figures(workflow: str, year: int) -> Figures:
    """Gather the figures over every network's projects and reports pooled."""
    with unscoped():
        return figures_in_scope(workflow, year)


def network_page(number: int, per_page: int = NETWORKS_PER_PAGE) -> tuple[Page, list[Any]]:
    """Return one page of the networks by name: rows of (id, name, short_name), 2 queries."""
    total = db.session.scalar(select(func.count(Network.id))) or 0
    page = clamp(number, total, per_page)
    networks = db.session.execute(
        select(Network.id, Network.name, Network.short_name)
        .order_by(func.lower(Network.name), Network.id)
        .offset(page.offset)
        .limit(page.per_page)
    ).all()
    return page, list(networks)


def networks_page(workflow: str, year: int, number: int) -> tuple[Page, list[NetworkFigures]]:
    """Return one page of the networks, by name, each with its own figures."""
    page, networks = network_page(number)
    rows = []
    for network_id, name, short_name in networks:
        with network_scope(network_id):
            rows.append(
                NetworkFigures(network_id, name, short_name, figures_in_scope(workflow, year))
            )
    return page, rows


def network_ids() -> list[int]:
    """Return the id of every network, in creation order."""
    return list(db.session.scalars(select(Network.id).order_by(Network.id)))
