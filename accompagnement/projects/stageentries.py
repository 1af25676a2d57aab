"""The days each project spent in each state, kept with its transitions (`stage_entries` rows).

Each transition record moves a project into a state at a moment. The state it was in adds the
stay that ends there (never less than nothing: a backdated move may come before the previous
one), the state it enters starts a stay. That is the rule the partners' statistics had to
replay from every transition; here it is applied once per move:

- `record_move` writes one move, in one statement (a transition fired, a project created, a
  project moved to another workflow version);
- `entry_rows` gives the rows of a whole history at once (history imports, the bench data set)
  and `replay` the entries it leads to (the tests compare the table with it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Insert, Table, case
from sqlalchemy.dialects import postgresql, sqlite

from accompagnement.extensions import db
from accompagnement.projects.models import StageEntry
from accompagnement.projects.stagesql import days_between

SECONDS_PER_DAY = 86400
ENTRIES = cast(Table, StageEntry.__table__)
Move = tuple[str, datetime]  # the state entered, and when


@dataclass
class Entry:
    """A project's time in one state: finished stays added up, and the stay under way."""

    entered_at: datetime
    days: float = 0.0
    since: datetime | None = None


def replay(moves: Iterable[Move]) -> dict[str, Entry]:
    """Return a project's entries, by state, from its moves in the order they were recorded."""
    entries: dict[str, Entry] = {}
    current: Entry | None = None
    for state, at in moves:
        if current is not None and current.since is not None:
            current.days += max((at - current.since).total_seconds(), 0) / SECONDS_PER_DAY
            current.since = None
        current = entries.setdefault(state, Entry(entered_at=at))
        current.since = at
    return entries


def entry_rows(project_id: int, workflow_name: str, moves: Iterable[Move]) -> list[dict[str, Any]]:
    """Return the `stage_entries` rows of one project's whole history, ready to insert."""
    return [
        {
            "project_id": project_id,
            "stage": state,
            "workflow_name": workflow_name,
            "entered_at": entry.entered_at,
            "days": entry.days,
            "since": entry.since,
        }
        for state, entry in replay(moves).items()
    ]


def record_move(
    project_id: int, workflow_name: str, source: str | None, dest: str, at: datetime
) -> None:
    """Close the stay in `source` and start one in `dest` at `at` (one execution, no flush)."""
    row = {"project_id": project_id, "workflow_name": workflow_name, "entered_at": at}
    rows = [{**row, "stage": dest, "since": at}]
    if source is not None and source != dest:  # the same state: its stay goes on (_upsert)
        rows.insert(0, {**row, "stage": source, "since": None})
    connection = db.session.connection()  # Core only: no ORM execution, nothing to flush first
    connection.execute(_upsert(connection.dialect.name), rows)


@cache
def _upsert(dialect: str) -> Insert:
    # Built once (building it cost more than running it), one row a parameter set. A row that
    # exists adds the stay it was in (since -> the move's moment) and takes the new `since`:
    # None for the state left, the moment for the state entered. A new row starts there.
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(ENTRIES)
    statement = statement.values(days=0.0)
    span = days_between(ENTRIES.c.since, statement.excluded.entered_at)
    return statement.on_conflict_do_update(
        index_elements=[ENTRIES.c.project_id, ENTRIES.c.stage],
        set_={
            "days": ENTRIES.c.days + case((span > 0, span), else_=0.0),
            "since": statement.excluded.since,
        },
    )
