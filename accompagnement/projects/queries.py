"""Read queries behind the project pages and commands; visibility rules live here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from accompagnement import pagination
from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.engine import Workflow
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.pagination import Page
from accompagnement.projects import stagesql
from accompagnement.projects.board import CardProject, Holder, Place, status_of
from accompagnement.projects.models import (
    ChecklistTick,
    Comment,
    Document,
    FormStatus,
    FormSubmission,
    Project,
    TransitionRecord,
    project_holders,
)


def visible_projects(user: User) -> Select[Project]:
    """Return a select of the projects this user may see (holders: only their own)."""
    return _visible_to(select(Project), user.role, user.id)


def _visible_to(query: Select[Any], role: str, user_id: Any) -> Select[Any]:
    # `user_id` is the user's id, or a parameter standing for it in a statement built once.
    if role == Role.HOLDER:
        return query.join(project_holders).where(project_holders.c.user_id == user_id)
    if role not in (Role.COORDINATOR, Role.PARTNER):
        return query.where(Project.id.is_(None))
    return query


# The project page's statements are built once, with the project as a parameter: building a
# statement with its loader options cost more than running it (about 1 ms against 0.8 ms).
PROJECT_ID: BindParameter[int] = bindparam("project_id")
STAGE: BindParameter[str] = bindparam("stage")
USER_ID: BindParameter[int] = bindparam("user_id")


# What the project pages show with the project: its holders and its commune (joined: one row).
WITH_PEOPLE = (selectinload(Project.holders), joinedload(Project.commune))


def get_visible_project(
    user: User, project_id: int, *options: ExecutableOption, lock: bool = False
) -> Project:
    """Load a project the user may see, or raise NotFound (never reveal other projects).

    The one way to load a project for a person: pages and services alike. `options` load what
    the caller needs with it (`WITH_PEOPLE`); `lock` takes the row for a read-modify-write.
    """
    query = _visible_project_query(user.role, options, lock)
    params = {"project_id": project_id, "user_id": user.id}
    project = db.session.scalars(query, params).one_or_none()
    if project is None:
        raise NotFound("No such project")
    return project


@cache
def _visible_project_query(
    role: str, options: tuple[ExecutableOption, ...], lock: bool
) -> Select[Project]:
    # Built once per role and options, with the user and the project as parameters.
    query = select(Project).where(Project.id == PROJECT_ID).options(*options)
    query = _visible_to(query, role, USER_ID)
    return query.with_for_update(of=Project) if lock else query


def list_projects(workflow_name: str | None = None) -> Sequence[Project]:
    """Return every project with its holders and commune, in one round of queries."""
    query = (
        select(Project)
        .options(selectinload(Project.holders), selectinload(Project.commune))
        .order_by(Project.workflow_name, Project.name)
    )
    if workflow_name:
        query = query.where(Project.workflow_name == workflow_name)
    return db.session.scalars(query).all()


def form_history(project_id: int, stage: str) -> Sequence[FormSubmission]:
    """Return every saved revision of a stage form, newest first."""
    return db.session.scalars(
        select(FormSubmission)
        .where(FormSubmission.project_id == project_id, FormSubmission.stage == stage)
        .order_by(FormSubmission.revision.desc())
    ).all()


def latest_forms(project_id: int) -> dict[str, FormSubmission]:
    """Return the newest revision of each stage form of a project."""
    rows = db.session.scalars(
        select(FormSubmission)
        .where(FormSubmission.project_id == project_id)
        .order_by(FormSubmission.revision)
    )
    return {row.stage: row for row in rows}


def latest_submitted(project_id: int) -> dict[str, FormSubmission]:
    """Return the newest submitted revision of each stage form of a project."""
    rows = db.session.scalars(
        select(FormSubmission)
        .where(FormSubmission.project_id == project_id, FormSubmission.status == "submitted")
        .order_by(FormSubmission.revision)
    )
    return {row.stage: row for row in rows}


FormKey = tuple[int, str]


class FormState(NamedTuple):
    """What the guards read of one saved revision of a stage form."""

    status: str
    data: dict[str, Any]


@dataclass
class GuardRows:
    """What the guards read of some projects, keyed by project id."""

    latest: dict[FormKey, FormState] = field(default_factory=dict)
    submitted: dict[FormKey, FormState] = field(default_factory=dict)
    ticked: list[tuple[int, str, str]] = field(default_factory=list)


def guard_rows(project_ids: Iterable[int]) -> GuardRows:
    """Return the newest and newest submitted revision of each form, and the ticks, in one query.

    Only those (at most two) revisions of each (project, stage) form leave the database, as
    plain rows: the guards never look at older ones, and loading every revision as ORM objects
    was most of the cost of firing a transition.
    """
    ids = sorted(set(project_ids))
    found = GuardRows()
    if not ids:
        return found
    for row in db.session.execute(_guard_rows_query(), {"ids": ids}):
        key = (row.project_id, row.stage)
        if row.item is not None:
            found.ticked.append((row.project_id, row.stage, row.item))
            continue
        if row.newest == 1:
            found.latest[key] = FormState(row.status, row.data)
        if row.status == FormStatus.SUBMITTED and row.newest_of_status == 1:
            found.submitted[key] = FormState(row.status, row.data)
    return found


def guard_rows_of(
    submissions: Iterable[FormSubmission], ticks: Iterable[ChecklistTick]
) -> GuardRows:
    """Return what `guard_rows` reads, from revisions and ticks a page has loaded (no query)."""
    found = GuardRows()
    newest: dict[FormKey, int] = {}
    newest_submitted: dict[FormKey, int] = {}
    for row in submissions:
        key = (row.project_id, row.stage)
        if row.revision > newest.get(key, 0):
            newest[key] = row.revision
            found.latest[key] = FormState(row.status, row.data)
        if row.status == FormStatus.SUBMITTED and row.revision > newest_submitted.get(key, 0):
            newest_submitted[key] = row.revision
            found.submitted[key] = FormState(row.status, row.data)
    found.ticked = [(tick.project_id, tick.stage, tick.item) for tick in ticks if tick.done]
    return found


@cache
def _guard_rows_query() -> CompoundSelect[Any]:
    # Built once: building the window subquery cost more than running it.
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    return union_all(_newest_forms(ids), _ticks(ids))


def _newest_forms(ids: BindParameter[Any]) -> Select[Any]:
    # Rank each form's revisions, overall and within their status (newest first): rank 1 is the
    # newest revision, and the newest submitted one when its status is "submitted".
    by_form = (FormSubmission.project_id, FormSubmission.stage)
    newest_first = FormSubmission.revision.desc()
    ranked = (
        select(
            FormSubmission.project_id,
            FormSubmission.stage,
            FormSubmission.status,
            FormSubmission.data,
            func.row_number().over(partition_by=by_form, order_by=newest_first).label("newest"),
            func.row_number()
            .over(partition_by=(*by_form, FormSubmission.status), order_by=newest_first)
            .label("newest_of_status"),
        )
        .where(FormSubmission.project_id.in_(ids))
        .subquery()
    )
    return select(
        ranked.c.project_id,
        ranked.c.stage,
        ranked.c.status,
        ranked.c.data,
        ranked.c.newest,
        ranked.c.newest_of_status,
        cast(null(), String).label("item"),
    ).where(
        or_(
            ranked.c.newest == 1,
            and_(ranked.c.status == FormStatus.SUBMITTED.value, ranked.c.newest_of_status == 1),
        )
    )


def _ticks(ids: BindParameter[Any]) -> Select[Any]:
    # The same columns as _newest_forms, the form's ones empty: one result for both.
    columns: list[Any] = [
        ChecklistTick.project_id,
        ChecklistTick.stage,
        *[null()] * 4,
        ChecklistTick.item,
    ]
    return select(*columns).where(ChecklistTick.project_id.in_(ids), ChecklistTick.done.is_(True))


def history(project_id: int) -> Sequence[TransitionRecord]:
    """Return the transitions of a project, oldest first, with who fired them."""
    return db.session.scalars(_history_query(), {"project_id": project_id}).all()


@cache
def _history_query() -> Select[Any]:
    return (
        select(TransitionRecord)
        .options(_named(TransitionRecord.user))
        .where(TransitionRecord.project_id == PROJECT_ID)
        .order_by(TransitionRecord.id)
    )


# --- Project pages (board, project page, documents, holders) ------------------------------------


@dataclass(frozen=True)
class BoardFilter:
    """What the board and the project list are filtered on (from the query string)."""

    workflow: str | None = None
    departement: str | None = None
    stage: str | None = None
    status: str | None = None
    search: str | None = None
    late_only: bool = False


@dataclass(frozen=True)
class StageCount:
    """How many projects of the filter are in one stage of one workflow version, and late."""

    workflow_name: str
    workflow_version: int
    state: str
    total: int
    late: int


BOARD_CARDS = 20


def board_counts(
    criteria: BoardFilter,
    workflows: Sequence[Workflow],
    now: datetime,
    *,
    is_late: ColumnElement[bool] | None = None,
) -> list[StageCount]:
    """Count the projects of the filter in each stage, and the late ones (one GROUP BY).

    `is_late`: `stagesql.late(workflows, now)` when the caller built it already (the board's
    two statements share it: building it costs more than running the statement's parameters).
    """
    is_late = stagesql.late(workflows, now) if is_late is None else is_late
    query = select(
        Project.workflow_name,
        Project.workflow_version,
        Project.state,
        func.count(),
        func.coalesce(func.sum(case((is_late, 1), else_=0)), 0),
    ).group_by(Project.workflow_name, Project.state, Project.workflow_version)
    rows = db.session.execute(_filtered(query, criteria, workflows, is_late))
    return [StageCount(*row) for row in rows]


def board_cards(
    criteria: BoardFilter,
    workflows: Sequence[Workflow],
    now: datetime,
    per_stage: int,
    stages: Iterable[tuple[str, str]],
    *,
    is_late: ColumnElement[bool] | None = None,
) -> list[CardProject]:
    """Return the `per_stage` most urgent projects of each (workflow name, state) of `stages`:
    late first, then oldest.

    One short query per stage, united in one statement: where every version of the workflow
    gives the stage the same usual days (the usual case), its late projects are its oldest, so
    the oldest first is the urgency order and the index gives it already, cut at `per_stage`;
    otherwise that stage's projects are sorted on lateness first. No ranking of every project.
    """
    is_late = stagesql.late(workflows, now) if is_late is None else is_late
    parts, varies = [], False
    for name, state in sorted(set(stages)):
        part = select(Project.id).where(Project.workflow_name == name, Project.state == state)
        part = _filtered(part, criteria, workflows, is_late)
        late_first = _late_varies(workflows, name, state)
        varies |= late_first
        order = _urgency(is_late)[0 if late_first else 1 :]
        parts.append(select(part.order_by(*order).limit(per_stage).subquery()))
    if not parts:
        return []
    chosen = union_all(*parts).subquery()
    # Oldest first is each stage's urgency order unless one stage needs lateness sorted first
    # (and the statement stays short: PostgreSQL's driver parses a long one on every request).
    order = _urgency(is_late)[0 if varies else 1 :]
    query = select(*_CARD_COLUMNS).where(Project.id.in_(select(chosen.c.id))).order_by(*order)
    return _card_projects(db.session.execute(query).all())


_CARD_COLUMNS = (
    Project.id,
    Project.name,
    Project.workflow_name,
    Project.workflow_version,
    Project.state,
    Project.return_state,
    Project.state_changed_at,
    Project.commune_insee,
)


def _card_projects(rows: Sequence[Any]) -> list[CardProject]:
    """Return the cards' projects with their holders' names and commune (two more statements)."""
    from accompagnement.territory.models import Commune

    if not rows:
        return []
    holders: dict[int, list[Holder]] = {}
    named = select(project_holders.c.project_id, User.name).join(
        User, User.id == project_holders.c.user_id
    )
    ids = [row.id for row in rows]
    for project_id, name in db.session.execute(named.where(project_holders.c.project_id.in_(ids))):
        holders.setdefault(project_id, []).append(Holder(name))
    places: dict[str, Place] = {}
    insees = sorted({row.commune_insee for row in rows if row.commune_insee})
    if insees:
        communes = select(Commune.insee, Commune.name, Commune.departement_code)
        for insee, name, departement in db.session.execute(
            communes.where(Commune.insee.in_(insees))
        ):
            places[insee] = Place(name, departement)
    return [
        CardProject(
            row.id,
            row.name,
            row.workflow_name,
            row.workflow_version,
            row.state,
            row.return_state,
            row.state_changed_at,
            places.get(row.commune_insee),
            holders.get(row.id, []),
        )
        for row in rows
    ]


def _late_varies(workflows: Sequence[Workflow], name: str, state: str) -> bool:
    """Say whether the versions of a workflow give a stage different usual days (or none)."""
    usual = {
        next((s.usual_days for s in workflow.stages if s.key == state), None)
        for workflow in workflows
        if workflow.name == name
    }
    return len(usual) > 1


def list_page(
    criteria: BoardFilter, workflows: Sequence[Workflow], now: datetime, number: int
) -> tuple[Page, Sequence[Project]]:
    """Return one page of the filtered projects, the most urgent first, and the page."""
    is_late = stagesql.late(workflows, now)
    ids = _filtered(select(Project.id), criteria, workflows, is_late)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    page = pagination.clamp(number, total)
    query = _filtered(_card_select(), criteria, workflows, is_late)
    query = query.order_by(*_urgency(is_late)).offset(page.offset).limit(page.per_page)
    return page, db.session.scalars(query).all()


def _urgency(is_late: ColumnElement[bool]) -> tuple[Any, ...]:
    return (case((is_late, 0), else_=1), Project.state_changed_at, Project.id)


def _card_select() -> Select[Any]:
    from accompagnement.territory.models import Commune

    # Cards show holders' names only: never load their whole rows (password hash included);
    # of the commune, its name and département.
    return select(Project).options(
        selectinload(Project.holders).load_only(User.name),
        selectinload(Project.commune).load_only(Commune.name, Commune.departement_code),
    )


def _filtered(
    query: Select[Any],
    criteria: BoardFilter,
    workflows: Sequence[Workflow],
    is_late: ColumnElement[bool],
) -> Select[Any]:
    from accompagnement.territory.models import Commune

    if criteria.workflow:
        query = query.where(Project.workflow_name == criteria.workflow)
    if criteria.stage:
        query = query.where(Project.state == criteria.stage)
    if criteria.status:
        status = criteria.status
        query = query.where(stagesql.in_stages(workflows, lambda s: status_of(s) == status))
    if criteria.late_only:
        query = query.where(is_late)
    if criteria.departement:
        in_departement = select(Commune.insee).where(
            Commune.departement_code == criteria.departement
        )
        query = query.where(Project.commune_insee.in_(in_departement))
    if criteria.search and criteria.search.strip():
        pattern = "%" + _escape_like(criteria.search.strip()[:100]) + "%"
        in_communes = select(Commune.insee).where(Commune.name.ilike(pattern, escape="\\"))
        query = query.where(
            Project.name.ilike(pattern, escape="\\")
            | Project.commune_insee.in_(in_communes)
            | Project.holders.any(User.name.ilike(pattern, escape="\\"))
        )
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _named(person: Any) -> ExecutableOption:
    # Who wrote or did something, joined into the same statement: the pages show their name.
    return joinedload(person).load_only(User.name)


def form_revisions(project_id: int, stage: str | None = None) -> Sequence[FormSubmission]:
    """Return the saved revisions of a project's forms (one stage or all), oldest first."""
    params = {"project_id": project_id, "stage": stage}
    return db.session.scalars(_form_revisions_query(stage is not None), params).all()


@cache
def _form_revisions_query(one_stage: bool) -> Select[Any]:
    query = (
        select(FormSubmission)
        .options(_named(FormSubmission.author))
        .where(FormSubmission.project_id == PROJECT_ID)
        .order_by(FormSubmission.id)
    )
    return query.where(FormSubmission.stage == STAGE) if one_stage else query


def latest_form(project_id: int, stage: str) -> FormSubmission | None:
    """Return the newest revision of one stage form, with its author, if any."""
    return db.session.scalars(
        select(FormSubmission)
        .options(selectinload(FormSubmission.author))
        .where(FormSubmission.project_id == project_id, FormSubmission.stage == stage)
        .order_by(FormSubmission.revision.desc())
        .limit(1)
    ).first()


def checklist_with_users(project_id: int) -> dict[tuple[str, str], ChecklistTick]:
    """Return the checklist rows of a project keyed by (stage, item), with who ticked them."""
    rows = db.session.scalars(_checklist_query(), {"project_id": project_id})
    return {(row.stage, row.item): row for row in rows}


@cache
def _checklist_query() -> Select[Any]:
    return (
        select(ChecklistTick)
        .options(_named(ChecklistTick.user))
        .where(ChecklistTick.project_id == PROJECT_ID)
    )


def comments(project_id: int) -> Sequence[Comment]:
    """Return the comments of a project, oldest first, with their authors."""
    return db.session.scalars(_comments_query(), {"project_id": project_id}).all()


@cache
def _comments_query() -> Select[Any]:
    return (
        select(Comment)
        .options(_named(Comment.author))
        .where(Comment.project_id == PROJECT_ID)
        .order_by(Comment.id)
    )


def documents(project_id: int) -> Sequence[Document]:
    """Return the documents of a project, newest first, with who uploaded them."""
    return db.session.scalars(_documents_query(), {"project_id": project_id}).all()


@cache
def _documents_query() -> Select[Any]:
    return (
        select(Document)
        .options(_named(Document.uploaded_by))
        .where(Document.project_id == PROJECT_ID)
        .order_by(Document.id.desc())
    )


def get_visible_document(user: User, project_id: int, document_id: int) -> Document:
    """Load a document of a project the user may see, or raise NotFound."""
    visible = visible_projects(user).where(Project.id == project_id).with_only_columns(Project.id)
    document = db.session.scalars(
        select(Document).where(
            Document.id == document_id,
            Document.project_id == project_id,
            Document.project_id.in_(visible),
        )
    ).one_or_none()
    if document is None:
        raise NotFound("No such document")
    return document


def holder_accounts() -> Sequence[User]:
    """Return the active project holder accounts, by name."""
    return db.session.scalars(
        select(User)
        .where(User.role == Role.HOLDER, User.active.is_(True), User.anonymised_at.is_(None))
        .order_by(User.name, User.id)
    ).all()


def members() -> Sequence[Any]:
    """Return the member ressourceries of the directory, by name."""
    from accompagnement.members.models import Member

    return db.session.scalars(select(Member).order_by(Member.name, Member.id)).all()


def projects_for_list(user: User) -> Sequence[Project]:
    """Return the projects a user may see, by name, with holders and commune."""
    query = (
        select(Project)
        .options(selectinload(Project.holders), selectinload(Project.commune))
        .order_by(Project.name, Project.id)
    )
    if user.role == Role.HOLDER:
        query = query.join(project_holders).where(project_holders.c.user_id == user.id)
    elif user.role not in (Role.COORDINATOR, Role.PARTNER):
        query = query.where(Project.id.is_(None))
    return db.session.scalars(query).all()


def member_of_project(project_id: int) -> Member | None:
    """Return the member of the network a project became, if it did."""
    return db.session.scalars(_member_query(), {"project_id": project_id}).first()


@cache
def _member_query() -> Select[Any]:
    return select(Member).where(Member.project_id == PROJECT_ID)
