"""means: the coordination's staff time, budget lines and funding received, per year; the
projects' funding plan lines as rows (project_funding_lines), backfilled from the submitted forms

Revision ID: 0011_means
Revises: 0010_jsonb
Create Date: 2026-12-01 15:30:00

"""

import datetime as dt
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op

revision = "0011_means"
down_revision = "0010_jsonb"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "means_staff_time",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("structure", sa.String(length=200), nullable=False),
        sa.Column("fte", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("fte > 0 AND fte <= 99.99", name=op.f("ck_means_staff_time_fte")),
        sa.CheckConstraint("year >= 2000 AND year <= 2999", name=op.f("ck_means_staff_time_year")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_means_staff_time")),
        sa.UniqueConstraint("year", "structure", name="uq_means_staff_time_year_structure"),
    )
    op.create_table(
        "means_budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "amount >= 0 AND amount <= 9999999999.99", name=op.f("ck_means_budget_lines_amount")
        ),
        sa.CheckConstraint("kind IN ('staff', 'other')", name=op.f("ck_means_budget_lines_kind")),
        sa.CheckConstraint(
            "year >= 2000 AND year <= 2999", name=op.f("ck_means_budget_lines_year")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_means_budget_lines")),
        sa.UniqueConstraint("year", "label", name="uq_means_budget_lines_year_label"),
    )
    op.create_table(
        "means_funding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "amount >= 0 AND amount <= 9999999999.99", name=op.f("ck_means_funding_amount")
        ),
        sa.CheckConstraint("year >= 2000 AND year <= 2999", name=op.f("ck_means_funding_year")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["partner_organisations.id"],
            name=op.f("fk_means_funding_organisation_id_partner_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_means_funding")),
        sa.UniqueConstraint("year", "organisation_id", name="uq_means_funding_year_organisation"),
    )
    op.create_index(op.f("ix_means_funding_organisation_id"), "means_funding", ["organisation_id"])
    funding_lines = op.create_table(
        "project_funding_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("funder", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_funding_lines_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["form_submissions.id"],
            name=op.f("fk_project_funding_lines_submission_id_form_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_funding_lines")),
    )
    op.create_index("ix_project_funding_lines_day", "project_funding_lines", ["day", "status"])
    op.create_index(
        op.f("ix_project_funding_lines_project_id"), "project_funding_lines", ["project_id"]
    )
    _backfill_funding(op.get_bind(), funding_lines)


# The rules of accompagnement/projects/fundingrows.py, restated: a migration imports no
# application code, so that it runs the same whatever the code becomes.
def _day(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _amount(value):
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and 0 <= amount <= Decimal("999999999999.99") else None


def _text(value, limit):
    return (value.strip()[:limit] or None) if isinstance(value, str) else None


def _lines(submission_id, project_id, at, data):
    items = data.get("funding_lines") if isinstance(data, dict) else None
    rows = []
    for position, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        funder, status = _text(item.get("funder"), 200), _text(item.get("status"), 40)
        amount = _amount(item.get("amount"))
        if funder is None or status is None or amount is None:
            continue
        decided = _day(item.get("decided_on"))
        rows.append({
            "submission_id": submission_id, "project_id": project_id, "position": position,
            "funder": funder, "kind": _text(item.get("kind"), 40), "status": status,
            "amount": amount, "requested_on": _day(item.get("requested_on")),
            "decided_on": decided, "day": decided or at.date(),
        })  # fmt: skip
    return rows


def _backfill_funding(connection, funding_lines):
    """Write the lines of each project's newest submitted feasibility study form."""
    forms = sa.table(
        "form_submissions",
        sa.column("id"), sa.column("project_id"), sa.column("stage"), sa.column("status"),
        sa.column("revision"), sa.column("created_at", sa.DateTime()), sa.column("data", sa.JSON()),
    )  # fmt: skip
    newest = {}
    submitted = (forms.c.stage == "etude_faisabilite", forms.c.status == "submitted")
    query = sa.select(forms.c.id, forms.c.project_id, forms.c.revision).where(*submitted)
    for submission_id, project_id, revision in connection.execute(query):
        if revision > newest.get(project_id, (0, 0))[0]:
            newest[project_id] = (revision, submission_id)
    ids = sorted(submission_id for _, submission_id in newest.values())
    read = sa.select(forms.c.id, forms.c.project_id, forms.c.created_at, forms.c.data)
    for start in range(0, len(ids), 1000):
        batch = connection.execute(read.where(forms.c.id.in_(ids[start : start + 1000])))
        rows = [row for form in batch for row in _lines(*form)]
        if rows:
            connection.execute(sa.insert(funding_lines), rows)


def downgrade():
    op.drop_index(op.f("ix_project_funding_lines_project_id"), table_name="project_funding_lines")
    op.drop_index("ix_project_funding_lines_day", table_name="project_funding_lines")
    op.drop_table("project_funding_lines")
    op.drop_index(op.f("ix_means_funding_organisation_id"), table_name="means_funding")
    op.drop_table("means_funding")
    op.drop_table("means_budget_lines")
    op.drop_table("means_staff_time")
