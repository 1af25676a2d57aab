"""Import a network's existing projects with their history: all or nothing, idempotent.

Columns (English or French header names, any order; see README "Importing a network's
history"): name/nom, workflow/parcours, stage/étape (required); commune (INSEE code),
holder_name/porteur nom, holder_email/porteur courriel (several holders separated by "|");
date_<stage> for each stage the project entered, reason_<stage>/motif_<stage> for the reason of
a move (pause, abandonment...). A project is the same project when its workflow,
commune and name (whatever the case) match: it is then left as it is, so importing the same file
twice adds nothing. Holders are matched by e-mail or created without a password and without any
e-mail; inviting them is a separate action of the coordinator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.auth.services import normalise_email
from accompagnement.db import utcnow
from accompagnement.engine import UnknownWorkflow, Workflow
from accompagnement.engine.values import Unreadable, parse_date
from accompagnement.errors import Forbidden, InvalidInput
from accompagnement.extensions import db
from accompagnement.history.path import (
    DATE_PREFIX,
    REASON_PREFIX,
    Problem,
    Step,
    build_path,
    date_column,
    reason_column,
)
from accompagnement.history.writer import keep_snapshots, new_project, write_histories
from accompagnement.importing import CsvRow, RowError
from accompagnement.importing.pipeline import Column, ImportResult, Schema, run
from accompagnement.projects.models import Project
from accompagnement.territory.services import resolve_commune
from accompagnement.workflows.services import available, latest_workflow

SOURCE = "import"
MAX_REASON = 5000

Identity = tuple[str, str, str]


@dataclass(frozen=True)
class Holder:
    email: str
    name: str


@dataclass
class ProjectRow:
    line: int
    name: str
    workflow: Workflow
    commune: str | None
    holders: list[Holder]
    steps: list[Step]

    @property
    def identity(self) -> Identity:
        return identity(self.workflow.name, self.commune, self.name)


def identity(workflow: str, commune: str | None, name: str) -> Identity:
    """What makes two rows (or a row and a saved project) the same project."""
    return (workflow, commune or "", " ".join(name.split()).casefold())


def stage_columns() -> list[str]:
    """Every date_ and reason_ column the known workflows allow, in workflow order."""
    columns: list[str] = []
    for name in available().names():
        for stage in latest_workflow(name).stages:
            for column in (date_column(stage.key), reason_column(stage.key)):
                if column not in columns:
                    columns.append(column)
    return columns


SCHEMA = Schema(
    columns=(
        Column("name", "nom", required=True),
        Column("workflow", "parcours", required=True),
        Column("stage", "étape", required=True),
        Column("commune", "commune"),
        Column("holder_name", "porteur nom"),
        Column("holder_email", "porteur courriel"),
    ),
    nothing_to_import=_l("The file has no project."),
    families=(("motif_", REASON_PREFIX),),
    more=stage_columns,
)


def import_projects(data: bytes, *, user_id: int | None) -> ImportResult:
    """Check every row of a history file, then create the new projects, or raise ImportErrorList."""
    coordinator = db.session.get(User, user_id) if user_id is not None else None
    if coordinator is None or not coordinator.is_active or coordinator.role != Role.COORDINATOR:
        raise Forbidden("Only a coordinator imports projects")
    return run(
        data,
        SCHEMA,
        _check,
        lambda checked: _write(checked[0], coordinator, checked[1]),
    )


def summary(result: ImportResult) -> str:
    """Say what an import did, in one line."""
    return _(
        "%(created)s projects imported with their history, %(skipped)s already there, "
        "%(holders)s holder accounts created (not invited).",
        created=result.created,
        skipped=result.skipped,
        holders=result.holders_created,
    )


def _check(
    csv_rows: list[CsvRow],
) -> tuple[tuple[list[ProjectRow], dict[str, User]], list[RowError]]:
    accounts = _accounts(csv_rows)
    rows, errors = _check_rows(csv_rows, accounts)
    return (rows, accounts), errors


def _accounts(csv_rows: list[CsvRow]) -> dict[str, User]:
    """The saved accounts the file's holder e-mails name, by lower-case e-mail (few queries)."""
    emails = sorted(
        {e.strip().lower() for r in csv_rows for e in r.get("holder_email").split("|") if e.strip()}
    )
    found: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        users = db.session.scalars(select(User).where(func.lower(User.email).in_(chunk)))
        found.update({u.email.lower(): u for u in users})
    return found


def _check_rows(
    csv_rows: list[CsvRow], accounts: dict[str, User]
) -> tuple[list[ProjectRow], list[RowError]]:
    rows: list[ProjectRow] = []
    errors: list[RowError] = []
    seen: dict[Identity, int] = {}
    names: dict[str, str] = {}
    today = utcnow().date()
    communes: dict[str, str | None] = {}
    for csv_row in csv_rows:
        row, problems = _check_row(csv_row, today, accounts, communes)
        if row is not None:
            problems += _holder_conflicts(row, names)
            if row.identity in seen:
                message = _("the same project as line %(line)s", line=seen[row.identity])
                problems.append(Problem("name", message))
            seen.setdefault(row.identity, row.line)
        errors += [RowError(csv_row.line, p.message, p.column) for p in problems]
        if row is not None and not problems:
            rows.append(row)
    return rows, errors


def _check_row(
    cells: CsvRow, today: dt.date, accounts: dict[str, User], communes: dict[str, str | None]
) -> tuple[ProjectRow | None, list[Problem]]:
    problems: list[Problem] = []
    if cells.extra:
        message = _('more cells than columns: quote a cell that contains the separator ("A;B")')
        problems.append(Problem("name", message))
    name = " ".join(cells.get("name").split())
    if not name or len(name) > 200:
        problems.append(Problem("name", _("a name of 1 to 200 characters is required")))
    commune = None
    if code := cells.get("commune"):
        if code not in communes:  # one query per distinct code of the file
            found = resolve_commune(code)
            communes[code] = found.insee if found else None
        commune = communes[code]
        if commune is None:
            problems.append(Problem("commune", _("unknown INSEE code %(code)r", code=code[:10])))
    holders = _holders(cells, accounts, problems)
    try:
        workflow = latest_workflow(cells.get("workflow"))
    except UnknownWorkflow:
        value = cells.get("workflow")[:80]
        problems.append(Problem("workflow", _("unknown workflow %(value)r", value=value)))
        return None, problems
    steps = _steps(cells, workflow, today, problems)
    if problems or steps is None:
        return None, problems
    return ProjectRow(cells.line, name, workflow, commune, holders, steps), problems


def _steps(
    cells: CsvRow, workflow: Workflow, today: dt.date, problems: list[Problem]
) -> list[Step] | None:
    keys = {s.key for s in workflow.stages}
    current = cells.get("stage")
    if current not in keys:
        message = _(
            "unknown stage %(value)r of %(workflow)s (expected one of: %(keys)s)",
            value=current[:40],
            workflow=workflow.name,
            keys=", ".join(s.key for s in workflow.stages),
        )
        problems.append(Problem("stage", message))
    dates: dict[str, dt.date] = {}
    reasons: dict[str, str] = {}
    for column, raw in cells.values.items():
        value = (raw or "").strip()
        if not value or not column.startswith((DATE_PREFIX, REASON_PREFIX)):
            continue
        prefix = DATE_PREFIX if column.startswith(DATE_PREFIX) else REASON_PREFIX
        stage = column[len(prefix) :]
        if stage not in keys:
            message = _(
                "%(stage)s is not a stage of %(workflow)s", stage=stage, workflow=workflow.name
            )
            problems.append(Problem(column, message))
        elif prefix == REASON_PREFIX and len(value) > MAX_REASON:
            message = _("at most %(max)s characters", max=MAX_REASON)
            problems.append(Problem(column, message))
        elif prefix == REASON_PREFIX:
            reasons[stage] = value
        elif (day := _date(value)) is None:
            message = _("bad date %(value)r (use YYYY-MM-DD or DD/MM/YYYY)", value=value[:30])
            problems.append(Problem(column, message))
        elif day > today:
            problems.append(Problem(column, _("a date in the future")))
        else:
            dates[stage] = day
    if problems:
        return None
    steps, path_problems = build_path(workflow, current, dates, reasons)
    problems += path_problems
    return steps


def _date(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except Unreadable:
        return None


def _holders(cells: CsvRow, accounts: dict[str, User], problems: list[Problem]) -> list[Holder]:
    emails = (
        [e.strip() for e in cells.get("holder_email").split("|")]
        if cells.get("holder_email")
        else []
    )
    names = (
        [n.strip() for n in cells.get("holder_name").split("|")] if cells.get("holder_name") else []
    )
    if len(names) > len(emails):
        problems.append(Problem("holder_email", _("a holder name without an e-mail address")))
        return []
    holders = []
    for index, raw in enumerate(emails):
        try:
            email = normalise_email(raw)
        except InvalidInput:
            problems.append(
                Problem("holder_email", _("invalid e-mail address %(value)r", value=raw[:80]))
            )
            continue
        name = names[index] if index < len(names) else ""
        user = accounts.get(email.lower())
        if user is not None and user.role != Role.HOLDER:
            message = _("%(email)s is an account that is not a project holder", email=email)
            problems.append(Problem("holder_email", message))
        elif user is None and not 0 < len(name) <= 120:
            message = _("a name of 1 to 120 characters is required for a new holder")
            problems.append(Problem("holder_name", message))
        holders.append(Holder(email, name or (user.name if user else "")))
    return holders


def _holder_conflicts(row: ProjectRow, names: dict[str, str]) -> list[Problem]:
    problems = []
    for holder in row.holders:
        known = names.setdefault(holder.email, holder.name)
        if holder.name and known and holder.name != known:
            message = _(
                "%(email)s is named %(name)s on an earlier line", email=holder.email, name=known
            )
            problems.append(Problem("holder_name", message))
    return problems


def _existing(rows: list[ProjectRow]) -> set[Identity]:
    """The identities of the saved projects of these workflows (compared in Python: SQLite's
    lower() folds ASCII letters only)."""
    workflows = sorted({r.workflow.name for r in rows})
    query = select(Project.workflow_name, Project.commune_insee, Project.name).where(
        Project.workflow_name.in_(workflows)
    )
    return {identity(w, c, n) for w, c, n in db.session.execute(query)}


def _write(rows: list[ProjectRow], coordinator: User, accounts: dict[str, User]) -> ImportResult:
    result = ImportResult(details={"holders_created": 0, "projects": []})
    taken = _existing(rows)
    new = [row for row in rows if row.identity not in taken]
    result.unchanged = len(rows) - len(new)
    keep_snapshots(row.workflow for row in new)
    histories = []
    for row in new:
        holders = [_account(h, accounts, result) for h in row.holders]
        project = new_project(row.name, row.workflow, row.commune, holders, row.steps)
        histories.append((project, row.steps))
        result.projects.append(project)
    write_histories(histories, user_id=coordinator.id, source=SOURCE)
    result.created = len(result.projects)
    return result


def _account(holder: Holder, accounts: dict[str, User], result: ImportResult) -> User:
    """The holder's account: found by e-mail, or created without a password (never e-mailed)."""
    key = holder.email.lower()
    if key not in accounts:
        accounts[key] = User(email=holder.email, name=holder.name, role=Role.HOLDER)
        db.session.add(accounts[key])
        result.details["holders_created"] += 1
    return accounts[key]
