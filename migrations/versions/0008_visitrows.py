"""project_visits: the holders' visits stored as rows of their newest submitted visits form

Revision ID: 0008_visitrows
Revises: 0007_scaleboard
Create Date: 2026-12-01 14:20:00

"""

import datetime as dt
import re

import sqlalchemy as sa
from alembic import op

revision = "0008_visitrows"
down_revision = "0007_scaleboard"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "project_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_project_visits_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_visits_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["form_submissions.id"],
            name=op.f("fk_project_visits_submission_id_form_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_visits")),
    )
    op.create_index("ix_project_visits_day", "project_visits", ["day", "member_id"])
    op.create_index("ix_project_visits_member_day", "project_visits", ["member_id", "day"])
    op.create_index(op.f("ix_project_visits_project_id"), "project_visits", ["project_id"])
    _backfill(op.get_bind())


def downgrade():
    op.drop_index(op.f("ix_project_visits_project_id"), table_name="project_visits")
    op.drop_index("ix_project_visits_member_day", table_name="project_visits")
    op.drop_index("ix_project_visits_day", table_name="project_visits")
    op.drop_table("project_visits")


# The backfill follows the rules of the form's writer as they were at this revision
# (accompagnement/projects/visitrows.py), written out here: a migration never imports the
# application, whose code moves on while this revision must keep giving the same rows.
ISO_DAY = re.compile("[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
MAX_ID = 2**31 - 1
BATCH = 1000
FORMS = sa.table(
    "form_submissions",
    sa.column("id", sa.Integer),
    sa.column("project_id", sa.Integer),
    sa.column("stage", sa.String),
    sa.column("status", sa.String),
    sa.column("revision", sa.Integer),
    sa.column("data", sa.JSON),
)
MEMBERS = sa.table("members", sa.column("id", sa.Integer))
VISITS = sa.table(
    "project_visits",
    sa.column("project_id", sa.Integer),
    sa.column("submission_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("day", sa.Date),
    sa.column("member_id", sa.Integer),
)


def _day(value):
    """The day of an ISO `YYYY-MM-DD` text, None for another text or an impossible day."""
    if not isinstance(value, str) or ISO_DAY.fullmatch(value) is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _items(data):
    """(position, day, member value if whole) of the real visits of a form's data."""
    items = data.get("visits") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    found = []
    for position, item in enumerate(items):
        day = _day(item.get("date")) if isinstance(item, dict) else None
        if day is None:
            continue
        member = item.get("member")
        whole = isinstance(member, int) and not isinstance(member, bool)
        found.append((position, day, member if whole else None))
    return found


def _rows(connection, forms):
    items = [(form, item) for form in forms for item in _items(form[2])]
    wanted = {member for _, (_, _, member) in items if member is not None and 0 < member <= MAX_ID}
    known = set(connection.scalars(sa.select(MEMBERS.c.id).where(MEMBERS.c.id.in_(wanted))))
    return [
        {
            "submission_id": submission_id,
            "project_id": project_id,
            "position": position,
            "day": day,
            "member_id": member if member in known else None,
        }
        for (submission_id, project_id, _), (position, day, member) in items
    ]


def _backfill(connection):
    """Rows of the newest submitted visits form of every project, in batches."""
    submitted = (FORMS.c.stage == "visites", FORMS.c.status == "submitted")
    revisions = sa.select(FORMS.c.project_id, FORMS.c.revision, FORMS.c.id).where(*submitted)
    newest = {}  # project id: (revision, submission id)
    for project_id, revision, submission_id in connection.execute(revisions):
        if revision > newest.get(project_id, (0, 0))[0]:
            newest[project_id] = (revision, submission_id)
    ids = sorted(submission_id for _, submission_id in newest.values())
    for start in range(0, len(ids), BATCH):
        forms = connection.execute(
            sa.select(FORMS.c.id, FORMS.c.project_id, FORMS.c.data).where(
                FORMS.c.id.in_(ids[start : start + BATCH])
            )
        )
        rows = _rows(connection, [(row[0], row[1], row[2]) for row in forms])
        if rows:
            connection.execute(sa.insert(VISITS), rows)
