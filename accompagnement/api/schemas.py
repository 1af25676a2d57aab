"""The pydantic models of the API: what a request may send and what a response holds.

They are the OpenAPI document's schemas (JSON Schema 2020-12, as OpenAPI 3.1 takes it), the
validation of requests, and (API_VALIDATE_RESPONSES) of responses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_LIMIT = 100
MAX_PAGE = 10**6
Code = Field(default=None, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")


class Strict(BaseModel):
    """A request model: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class ProjectFilters(Strict):
    """The filters and page of the project list (query string)."""

    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)
    workflow: str | None = Code
    stage: str | None = Code
    departement: str | None = Field(default=None, max_length=3, pattern=r"^[0-9AB]{2,3}$")
    changed_since: dt.date | None = Field(default=None, description="stage entered on or after")
    changed_until: dt.date | None = Field(default=None, description="stage entered on or before")


class ProjectPath(BaseModel):
    project_id: int = Field(ge=1, le=2**31 - 1)


class Project(BaseModel):
    """A project as every role of the API sees it: no person, no form, no note."""

    id: int
    name: str
    workflow: str
    workflow_version: int
    stage: str
    stage_label: str
    stage_since: dt.datetime
    days_in_stage: int
    late: bool
    commune: str | None
    departement: str | None


class Pagination(BaseModel):
    page: int
    limit: int
    total: int
    pages: int


class ProjectPage(BaseModel):
    items: list[Project]
    pagination: Pagination


class Move(BaseModel):
    """A transition of the project's history (who and why are left out)."""

    trigger: str
    from_stage: str | None
    to_stage: str
    at: dt.datetime


class ProjectDetail(Project):
    history: list[Move]


class ProjectIn(Strict):
    """A new project, with the fields of the new project form (checked by the same rules)."""

    name: str = Field(min_length=1, max_length=200)
    workflow: str | None = Code  # the network's default pathway when left out
    commune: str | None = Field(default=None, max_length=5, pattern=r"^[0-9AB]{5}$")
    holder_ids: list[int] = Field(default_factory=list, max_length=50)


class PipelineFilters(Strict):
    workflow: str | None = Code
    departement: str | None = Field(default=None, max_length=3, pattern=r"^[0-9AB]{2,3}$")


class StageCount(BaseModel):
    stage: str
    label: str
    count: int


class DepartementCount(BaseModel):
    departement: str
    name: str
    count: int


class Pipeline(BaseModel):
    workflow: str
    total: int
    stages: list[StageCount]
    departements: list[DepartementCount]


class TransitionIn(Strict):
    trigger: str = Field(min_length=1, max_length=80)
    reason: str | None = Field(default=None, max_length=2000)
    expected_stage: str | None = Code


class FormPath(BaseModel):
    project_id: int = Field(ge=1, le=2**31 - 1)
    stage: str = Field(max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")


class FormIn(Strict):
    """A stage form's values by field key (a list field: a list of objects), and what to do."""

    values: dict[str, Any] = Field(default_factory=dict, max_length=200)
    submit: bool = False
    base_revision: int | None = Field(default=None, ge=0, le=2**31 - 1)


class FormSaved(BaseModel):
    stage: str
    revision: int
    status: str


class ChecklistPath(BaseModel):
    project_id: int = Field(ge=1, le=2**31 - 1)
    stage: str = Field(max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    item: str = Field(max_length=80, pattern=r"^[A-Za-z0-9_.-]+$")


class TickIn(Strict):
    done: bool
    note: str | None = Field(default=None, max_length=500)


class Tick(BaseModel):
    stage: str
    item: str
    done: bool


class PageQuery(Strict):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class PeriodQuery(Strict):
    """The period of a report (the last full year when neither is given), as on the web."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str | None = Field(default=None, alias="from", max_length=10)
    to: str | None = Field(default=None, max_length=10)
    lang: Literal["fr", "en"] | None = None


class ReportQuery(PeriodQuery):
    """The period of a network's report, and the département it may be cut to."""

    departement: str | None = Field(default=None, max_length=3, pattern=r"^[0-9AB]{2,3}$")


class Report(BaseModel):
    """The yearly report, the same dictionary as /reports/report.json."""

    model_config = ConfigDict(extra="allow")


class Activity(BaseModel):
    id: int
    date: dt.date
    end_date: dt.date | None
    type: str
    title: str
    status: str
    member_ids: list[int]


class ActivityPage(BaseModel):
    items: list[Activity]
    pagination: Pagination


class ActivityIn(Strict):
    date: dt.date
    type: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    member_ids: list[int] = Field(default_factory=list, max_length=200)
    end_date: dt.date | None = None
    visitor: str | None = Field(default=None, max_length=40)
    partner: str | None = Field(default=None, max_length=200)
    participants: int | None = Field(default=None, ge=0, le=100000)
    notes: str | None = Field(default=None, max_length=5000)
    status: Literal["planned", "done"] | None = None


class Member(BaseModel):
    """A member ressourcerie's public fields (contact details are left out)."""

    id: int
    name: str
    commune: str | None
    departement: str | None
    status: str


class MemberPage(BaseModel):
    items: list[Member]
    pagination: Pagination


class MemberIn(Strict):
    """A new member, with the fields of the member form (checked by the same rules)."""

    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(default="ressourcerie", max_length=20)
    commune: str = Field(default="", max_length=200)
    insee: str = Field(default="", max_length=5)
    departement: str = Field(default="", max_length=3)
    joined_on: dt.date | None = None
    functions: list[str] | None = Field(default=None, max_length=10)
    contact_name: str = Field(default="", max_length=120)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=30)
    website: str = Field(default="", max_length=255)


class ObservatoryReport(BaseModel):
    id: int
    member_id: int
    member: str
    year: int
    revision: int
    figures: dict[str, int | float | None]


class ObservatoryPage(BaseModel):
    items: list[ObservatoryReport]
    pagination: Pagination


class ObservatoryFilters(Strict):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    year: int | None = Field(default=None, ge=1990, le=2100)


class ObservatoryIn(Strict):
    """A member's whole report of a year; `base_revision` is the one read (0 for a new one)."""

    member_id: int = Field(ge=1, le=2**31 - 1)
    year: int = Field(ge=1990, le=2100)
    figures: dict[str, str | int | float | None] = Field(max_length=100)
    base_revision: int = Field(default=0, ge=0, le=2**31 - 1)


class NetworkListQuery(Strict):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class Network(BaseModel):
    """A network of the instance: its names only."""

    id: int
    name: str
    short_name: str


class NetworkPage(BaseModel):
    items: list[Network]
    pagination: Pagination


class NationalFilters(Strict):
    """The workflow, observatory year and page of networks of the national figures."""

    workflow: str | None = Code
    year: int | None = Field(default=None, ge=1990, le=2100, description="the last full year")
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class StageFigures(BaseModel):
    """A stage: projects in it now, projects that ever reached it (null for a side state),
    the median days spent in it and over how many projects it was measured."""

    stage: str
    label: str
    count: int
    reached: int | None
    median_days: float | None
    measured: int


class Figures(BaseModel):
    """Aggregates only: projects by stage, and the observatory figures of the year."""

    total: int
    stages: list[StageFigures]
    observatory: dict[str, Any]


class NetworkFigures(Network):
    figures: Figures


class NationalPipeline(BaseModel):
    """The figures of every network pooled (`national`), and a page of networks, each its own."""

    workflow: str
    year: int
    national: Figures
    networks: list[NetworkFigures]
    pagination: Pagination
