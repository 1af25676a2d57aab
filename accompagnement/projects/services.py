"""Use cases on projects: create, fire a transition, save a stage form, tick a checklist.

Every function takes plain values, checks who may do it, changes the session and flushes; the
caller (a view or a command) commits once, so a state change, its audit row and the data it
depends on are written together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any, BinaryIO, Literal, cast

from flask_babel import gettext as _
from sqlalchemy import (
    CursorResult,
    Insert,
    Table,
    Update,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from accompagnement import engine
from accompagnement.access import Role
from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.converters import MAX_ID
from accompagnement.db import utcnow
from accompagnement.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    ProjectChanged,
    StaleEdit,
    TransitionRefused,
)
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.messages import describe_field_error
from accompagnement.network import queries as network_queries
from accompagnement.notifications import services as notices
from accompagnement.projects import documents, fundingrows, hooks, queries, stageentries, visitrows
from accompagnement.projects.display import used_types
from accompagnement.projects.models import (
    ChecklistTick,
    Comment,
    Document,
    FormStatus,
    FormSubmission,
    Project,
    TransitionRecord,
)
from accompagnement.territory.services import resolve_commune
from accompagnement.workflows.services import (
    WorkflowChanged,
    get_workflow,
    latest_workflow,
    snapshot,
)

EDITOR_ROLES = (Role.COORDINATOR, Role.HOLDER)
WITH_MEMBERSHIPS = (joinedload(User.memberships),)
PROJECT_MOVE_COLUMNS = ("state", "return_state", "state_changed_at", "updated_at", "lock_version")


def _user(user_id: int) -> User:
    # With its membership (the network in scope's, by the scope's criteria): the role is read
    # next, and a second query for it cost as much as loading the user.
    user = db.session.get(User, user_id, options=WITH_MEMBERSHIPS)
    if user is None or not user.is_active:
        raise Forbidden("Unknown or inactive user")
    return user


def workflow_of(project: Project) -> engine.Workflow:
    """Return the workflow version a project runs on."""
    return get_workflow(project.workflow_name, project.workflow_version)


def facts_of(project: Project) -> engine.ProjectFacts:
    """Gather what the workflow's guards look at for one project."""
    return facts_of_many([project])[project.id]


def facts_of_many(projects: Iterable[Project]) -> dict[int, engine.ProjectFacts]:
    """Gather the guards' facts of several projects in one query, keyed by project id."""
    by_id = {project.id: project for project in projects}
    return _facts(by_id, queries.guard_rows(by_id))


def facts_from(
    project: Project, submissions: Iterable[FormSubmission], ticks: Iterable[ChecklistTick]
) -> engine.ProjectFacts:
    """Gather a project's guard facts from its form revisions and checklist rows, loaded."""
    return _facts({project.id: project}, queries.guard_rows_of(submissions, ticks))[project.id]


def _facts(by_id: dict[int, Project], rows: queries.GuardRows) -> dict[int, engine.ProjectFacts]:
    ticked: dict[int, dict[str, set[str]]] = {}
    for project_id, stage, item in rows.ticked:
        ticked.setdefault(project_id, {}).setdefault(stage, set()).add(item)
    facts = {}
    for project_id, project in by_id.items():
        forms = {
            stage: _form_facts(row, rows.submitted.get((project_id, stage)))
            for (pid, stage), row in rows.latest.items()
            if pid == project_id
        }
        checklist = {k: frozenset(v) for k, v in ticked.get(project_id, {}).items()}
        facts[project_id] = engine.ProjectFacts(
            state=project.state,
            return_state=project.return_state,
            forms=forms,
            checklist=checklist,
        )
    return facts


def _form_facts(latest: queries.FormState, submitted: queries.FormState | None) -> engine.FormFacts:
    # A stage counts as submitted once a submitted version exists, even if a newer draft
    # follows it: the guards look at the submitted data, drafts are work in progress (kept
    # apart, so that what is missing can count them and say they are still to be sent).
    draft = latest.data if latest.status == FormStatus.DRAFT else {}
    if submitted is not None:
        return engine.FormFacts(status="submitted", data=submitted.data, draft=draft)
    return engine.FormFacts(status=_draft_status(latest.status), data={}, draft=draft)


def _draft_status(status: str) -> Literal["draft", "submitted"] | None:
    return "draft" if status == FormStatus.DRAFT else None


def create_project(
    name: str,
    *,
    workflow_name: str,
    user_id: int,
    holder_ids: Iterable[int] = (),
    commune_insee: str | None = None,
    at: datetime | None = None,
) -> Project:
    """Start a project on the newest version of a workflow (coordinators only)."""
    user = _user(user_id)
    if user.role != Role.COORDINATOR:
        raise Forbidden("Only a coordinator can create a project")
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("Invalid name", {"name": "A name of 1 to 200 characters is required"})
    commune = resolve_commune(commune_insee) if commune_insee else None
    if commune_insee and commune is None:
        raise InvalidInput("Unknown commune", {"commune": "Unknown INSEE code"})
    try:
        workflow = latest_workflow(workflow_name)
    except engine.UnknownWorkflow as exc:
        raise InvalidInput("Unknown workflow", {"workflow": "Unknown workflow"}) from exc
    try:
        snapshot(workflow)
    except WorkflowChanged as exc:
        raise InvalidInput(str(exc), {"workflow": str(exc)}) from exc
    holders = _holders(holder_ids)
    at = at or utcnow()
    project = Project(
        created_at=at,
        state_changed_at=at,
        name=name,
        workflow_name=workflow.name,
        workflow_version=workflow.version,
        state=workflow.initial,
        commune_insee=commune.insee if commune else None,
        holders=holders,
    )
    db.session.add(project)
    db.session.flush()
    db.session.add(
        TransitionRecord(
            project_id=project.id,
            workflow_version=workflow.version,
            trigger="create",
            from_state=None,
            to_state=workflow.initial,
            user_id=user.id,
            at=at,
        )
    )
    db.session.flush()
    stageentries.record_move(project.id, workflow.name, None, workflow.initial, at)
    hooks.stage_entered(project, workflow.initial, at)
    return project


def _holders(holder_ids: Iterable[int]) -> list[User]:
    ids = sorted(set(holder_ids))
    if not ids:
        return []
    if any(not 0 < i <= MAX_ID for i in ids):
        raise InvalidInput("Unknown holder", {"holders": "Every holder must be a holder account"})
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    if len(users) != len(ids) or any(u.role != Role.HOLDER for u in users):
        raise InvalidInput("Unknown holder", {"holders": "Every holder must be a holder account"})
    return list(users)


def fire_transition(
    project_id: int,
    trigger: str,
    *,
    user_id: int,
    reason: str | None = None,
    expected_state: str | None = None,
    at: datetime | None = None,
) -> TransitionRecord:
    """Fire a workflow transition on a project, or raise why not.

    `at` backdates a move that happened earlier (history typed in from a spreadsheet).
    """
    user = _user(user_id)
    project = queries.get_visible_project(user, project_id, lock=True)
    if expected_state is not None and project.state != expected_state:
        raise ProjectChanged("The project has changed since you loaded it")
    reason = (reason or "").strip() or None
    move = _allowed_move(project, trigger, user.role, reason)
    source = project.state
    backdated, at = at is not None, at or utcnow()
    _write_state(project, move, at)
    entry = _write_record(
        project_id=project.id,
        workflow_version=project.workflow_version,
        trigger=trigger,
        from_state=source,
        to_state=move.dest,
        return_state=move.return_state,
        reason=reason,
        user_id=user.id,
        at=at,
    )
    stageentries.record_move(project.id, project.workflow_name, source, move.dest, at)
    hooks.stage_entered(project, move.dest, at)
    if not backdated:  # a past move typed in is history, not news
        notices.stage_changed(project, user, workflow_of(project).stage(move.dest).label)
    return entry


def _allowed_move(project: Project, trigger: str, role: str, reason: str | None) -> engine.Move:
    """Return the move the project's workflow allows, or raise TransitionRefused."""
    workflow = workflow_of(project)
    try:
        return workflow.fire(facts_of(project), trigger, role, reason)
    except engine.TransitionNotAllowed as exc:
        raise TransitionRefused("Transition refused", exc.refusals, workflow) from exc


def _write_state(project: Project, move: engine.Move, at: datetime) -> None:
    """Write the project's new state with one guarded UPDATE, or raise ProjectChanged.

    The row changes only if it still has the state and lock version read (the optimistic
    lock): of two concurrent moves, the second changes nothing and is refused. The project in
    the session then holds what was written, as if the ORM had flushed it.
    """
    values = {
        "state": move.dest,
        "return_state": move.return_state,
        "state_changed_at": at,
        "updated_at": at,
        "lock_version": project.lock_version + 1,
    }
    read = {
        "read_id": project.id,
        "read_state": project.state,
        "read_version": project.lock_version,
    }
    # On the session's connection, as the record below: a Core UPDATE of a row this scope has
    # just read and locked needs neither the ORM's execution nor its autoflush.
    result = cast(
        CursorResult[Any], db.session.connection().execute(_guarded_update(), {**values, **read})
    )
    if result.rowcount != 1:
        raise ProjectChanged("The project has changed since you loaded it")
    for key, value in values.items():
        set_committed_value(project, key, value)


@cache
def _guarded_update() -> Update:
    # Built once: building the statement cost about as much as running it.
    table = cast(Table, Project.__table__)
    return (
        update(table)
        .where(
            table.c.id == bindparam("read_id"),
            table.c.state == bindparam("read_state"),
            table.c.lock_version == bindparam("read_version"),
        )
        .values({name: bindparam(name) for name in PROJECT_MOVE_COLUMNS})
    )


def _write_record(**values: Any) -> TransitionRecord:
    """Insert a transition record in one statement and return it, id included.

    The record is written once and never changed (the audit trail): no need for the unit of
    work, which cost as much as the rest of the move.
    """
    # On the session's connection: a Core insert needs neither the ORM's execution nor a flush.
    record_id = db.session.connection().execute(_insert_record(), values).scalar_one()
    return TransitionRecord(id=record_id, **values)


@cache
def _insert_record() -> Insert:
    table = cast(Table, TransitionRecord.__table__)
    return insert(table).returning(table.c.id)


# Values typed in a stage form, or a function reading them for the stage's form definition (a
# posted web form, read once the service has loaded the project and found which form it is).
RawInput = Mapping[str, Any] | Callable[[engine.Form], Mapping[str, Any]]


def save_form(
    project_id: int,
    stage: str,
    raw: RawInput,
    *,
    user_id: int,
    submit: bool,
    base_revision: int | None,
    at: datetime | None = None,
    locale: str = "fr",
) -> FormSubmission:
    """Save a new revision of a stage form (draft or submitted), refusing a stale edit.

    Field errors are worded in `locale`, the language of the person who typed the values.
    """
    user = _user(user_id)
    if user.role not in EDITOR_ROLES:
        raise Forbidden("Read-only account")
    project = queries.get_visible_project(user, project_id)
    workflow = workflow_of(project)
    _check_editable_stage(workflow, project, stage, user)
    definition = workflow.stage(stage).form
    assert definition is not None  # checked above
    values = raw(definition) if callable(raw) else raw
    choices = network_queries.form_choices() if "departement" in used_types(definition) else {}
    cleaned = workflow.clean_form(stage, values, submit=submit, choices=choices)
    errors = {path: describe_field_error(err, locale) for path, err in cleaned.errors.items()}
    errors.update(_reference_errors(workflow, stage, cleaned.data))
    if errors:
        raise InvalidInput("The form has errors", errors)
    current = _current_revision(project.id, stage)
    if (base_revision or 0) != current:
        raise _stale(project.id, stage, current)
    submission = FormSubmission(
        project_id=project.id,
        stage=stage,
        revision=current + 1,
        status=FormStatus.SUBMITTED if submit else FormStatus.DRAFT,
        data=cleaned.data,
        author_id=user.id,
        created_at=at or utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError as exc:
        raise _stale(project.id, stage, _current_revision(project.id, stage)) from exc
    if submit and stage == visitrows.VISITS_STAGE:
        visitrows.refresh_visits(project.id)  # the newest submitted visits, as rows
    if submit and stage == fundingrows.FUNDING_STAGE:
        fundingrows.refresh_funding(project.id)  # the newest submitted funding plan, as rows
    if submit and at is None:
        notices.form_submitted(project, user, stage, workflow.stage(stage).label)
    record(
        "form.submitted" if submit else "form.saved",
        user_id=user.id,
        project_id=project.id,
        stage=stage,
        revision=submission.revision,
    )
    return submission


def _check_editable_stage(
    workflow: engine.Workflow, project: Project, stage: str, user: User
) -> None:
    keys = [s.key for s in workflow.stages]
    if stage not in keys or workflow.stage(stage).form is None:
        raise NotFound("No such form")
    if user.role == Role.COORDINATOR:
        return
    current = project.return_state or project.state
    if current in keys and keys.index(stage) > keys.index(current):
        raise Forbidden("This stage is not open yet")


def _reference_errors(workflow: engine.Workflow, stage: str, data: Mapping[str, Any]) -> dict:
    """Check member ids given in member fields, including inside groups."""
    wanted: dict[str, int] = {}
    for field in workflow.stage(stage).form.fields:  # type: ignore[union-attr]
        if field.type == "member" and data.get(field.key) is not None:
            wanted[field.key] = data[field.key]
        if field.type == "group":
            for index, item in enumerate(data.get(field.key) or []):
                for sub in field.fields or []:
                    if sub.type == "member" and item.get(sub.key) is not None:
                        wanted[f"{field.key}.{index}.{sub.key}"] = item[sub.key]
    if not wanted:
        return {}
    ids = [mid for mid in wanted.values() if 0 < mid <= MAX_ID]
    known = set(db.session.scalars(select(Member.id).where(Member.id.in_(ids))))
    message = _("Unknown member ressourcerie")
    return {path: message for path, mid in wanted.items() if mid not in known}


def _current_revision(project_id: int, stage: str) -> int:
    return (
        db.session.scalar(
            select(func.coalesce(func.max(FormSubmission.revision), 0)).where(
                FormSubmission.project_id == project_id, FormSubmission.stage == stage
            )
        )
        or 0
    )


def _stale(project_id: int, stage: str, current: int) -> StaleEdit:
    latest = db.session.scalars(
        select(FormSubmission).where(
            FormSubmission.project_id == project_id,
            FormSubmission.stage == stage,
            FormSubmission.revision == current,
        )
    ).one_or_none()
    author = latest.author.name if latest and latest.author else None
    return StaleEdit("Someone else saved this form since you opened it", current, author)


def set_checklist_item(
    project_id: int,
    stage: str,
    item: str,
    *,
    done: bool,
    user_id: int,
    note: str | None = None,
    at: datetime | None = None,
) -> ChecklistTick:
    """Tick or untick a checklist item of a stage (coordinators only)."""
    user = _user(user_id)
    project = queries.get_visible_project(user, project_id)  # 404 before 403: never reveal it
    if user.role != Role.COORDINATOR:
        raise Forbidden("Only a coordinator validates checklist items")
    workflow = workflow_of(project)
    stage_def = workflow.stage(stage) if stage in {s.key for s in workflow.stages} else None
    if stage_def is None or item not in {i.key for i in stage_def.checklist or []}:
        raise NotFound("No such checklist item")
    note = (note or "").strip() or None
    if note and len(note) > 500:
        raise InvalidInput("Note too long", {"note": "A note of at most 500 characters"})
    tick = db.session.scalars(
        select(ChecklistTick).where(
            ChecklistTick.project_id == project.id,
            ChecklistTick.stage == stage,
            ChecklistTick.item == item,
        )
    ).one_or_none()
    if tick is None:
        tick = ChecklistTick(project_id=project.id, stage=stage, item=item)
        db.session.add(tick)
    tick.done, tick.note, tick.user_id, tick.at = done, note, user.id, at or utcnow()
    record(
        "checklist.ticked" if done else "checklist.unticked",
        user_id=user.id,
        project_id=project.id,
        stage=stage,
        item=item,
    )
    db.session.flush()
    return tick


def add_comment(project_id: int, body: str, *, user_id: int) -> Comment:
    """Add a comment to a project (coordinators and the project's holders)."""
    user = _user(user_id)
    if user.role not in EDITOR_ROLES:
        raise Forbidden("Read-only account")
    project = queries.get_visible_project(user, project_id)
    body = (body or "").strip()
    if not body or len(body) > 5000:
        raise InvalidInput("Invalid comment", {"body": "A comment of 1 to 5000 characters"})
    comment = Comment(project_id=project.id, author_id=user.id, body=body)
    db.session.add(comment)
    db.session.flush()
    notices.commented(project, user, body)
    return comment


def replay(records: Iterable[TransitionRecord]) -> str | None:
    """Return the state a sequence of transition records leads to, checking it is a chain."""
    state: str | None = None
    for entry in records:
        if entry.from_state != state:
            raise ValueError(f"record {entry.id} starts from {entry.from_state}, not {state}")
        state = entry.to_state
    return state


# --- Holders and documents (used by the project pages) ------------------------------------------


def editable_form_stages(project: Project, user: User) -> list[str]:
    """Return the stages whose form this user may fill in on this project."""
    if user.role not in EDITOR_ROLES:
        return []
    workflow = workflow_of(project)
    keys = []
    for stage in workflow.stages:
        try:
            _check_editable_stage(workflow, project, stage.key, user)
        except (Forbidden, NotFound):
            continue
        keys.append(stage.key)
    return keys


def add_document(
    project_id: int,
    filename: str,
    stream: BinaryIO,
    *,
    user_id: int,
    stage: str | None = None,
) -> Document:
    """Store an uploaded file of a project (coordinators and the project's holders)."""
    user = _user(user_id)
    if user.role not in EDITOR_ROLES:
        raise Forbidden("Read-only account")
    project = queries.get_visible_project(user, project_id)
    if stage and stage not in {s.key for s in workflow_of(project).stages}:
        raise InvalidInput("Unknown stage", {"stage": "Unknown stage"})
    stored = documents.store(stream, filename)
    document = Document(
        project_id=project.id,
        stage=stage or None,
        original_name=stored.original_name,
        storage_name=stored.storage_name,
        content_type=stored.content_type,
        size=stored.size,
        uploaded_by_id=user.id,
    )
    db.session.add(document)
    try:
        db.session.flush()
    except Exception:
        documents.discard(stored.storage_name)
        raise
    record("document.uploaded", user_id=user.id, project_id=project.id, document=document.id)
    return document
