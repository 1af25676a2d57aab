"""Funding obtained by the projects in a period, by funder and kind, from their funding plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.projects import queries
from accompagnement.projects.fundingrows import refresh_funding
from accompagnement.projects.models import FormSubmission, ProjectFunding
from accompagnement.projects.services import save_form
from accompagnement.reports.document import layout
from accompagnement.reports.services import build_report

STUDY = "etude_faisabilite"


def save_plan(project: Any, lines: list[dict[str, str]], user: Any, *, submit: bool = True) -> Any:
    current = queries.latest_forms(project.id).get(STUDY)
    submission = save_form(
        project.id, STUDY, {"funding_lines": lines}, user_id=user.id, submit=submit,
        base_revision=current.revision if current else 0,
    )  # fmt: skip
    db.session.commit()
    return submission


def line(funder: str, amount: str, status: str, decided: str = "", kind: str = "") -> dict:
    return {"funder": funder, "amount": amount, "status": status, "decided_on": decided,
            "kind": kind}  # fmt: skip


def test_granted_and_paid_lines_decided_in_the_period_count_by_funder_and_kind(
    make_project, coordinator
):
    first, second = make_project("Ressourcerie A"), make_project("Ressourcerie B")
    save_plan(first, [
        line("ADEME", "30 000", "accorde", "2024-03-01", "subvention"),
        line("Région Limousin", "20 000", "verse", "2024-06-01", "subvention"),
        line("France Active", "10 000", "refuse", "2024-06-01", "pret"),
        line("Banque du coin", "15 000", "demande", "", "pret"),
        line("ADEME", "5 000", "accorde", "2023-12-31", "subvention"),
    ], coordinator)  # fmt: skip
    save_plan(second, [
        line("ADEME", "12 000", "accorde", "2024-09-15", "subvention"),
        line("Limousin Actif", "8 000", "accorde", "2024-10-01", "garantie"),
    ], coordinator)  # fmt: skip

    funding = build_report(dt.date(2024, 1, 1), dt.date(2024, 12, 31))["projects_funding"]

    assert funding["lines"] == [
        {"funder": "ADEME", "kind": "subvention", "amount": 42000},
        {"funder": "Limousin Actif", "kind": "garantie", "amount": 8000},
        {"funder": "Région Limousin", "kind": "subvention", "amount": 20000},
    ]
    assert funding["by_kind"] == {"garantie": 8000, "subvention": 62000}
    assert funding["total"] == 70000


def test_only_the_newest_submitted_plan_counts_and_a_draft_changes_nothing(
    make_project, coordinator
):
    project = make_project()
    save_plan(project, [line("ADEME", "30 000", "accorde", "2024-03-01")], coordinator)
    save_plan(project, [line("ADEME", "35 000", "accorde", "2024-03-01")], coordinator)
    save_plan(project, [line("ADEME", "1", "accorde", "2024-03-01")], coordinator, submit=False)
    amounts = db.session.scalars(select(ProjectFunding.amount)).all()
    assert amounts == [Decimal(35000)]


def test_a_line_written_without_kind_or_date_counts_on_the_day_its_plan_was_submitted(
    make_project, coordinator
):
    project = make_project()
    submission = save_plan(project, [line("Fondation du coin", "4 000", "accorde")], coordinator)
    # A version 1 plan: free-text funder, no kind, no dates, submitted on 2 May 2024.
    stored = db.session.get(FormSubmission, submission.id)
    stored.data = {"funding_lines": [{"funder": "Fondation du coin", "amount": "4000",
                                      "status": "accorde"}]}  # fmt: skip
    stored.created_at = dt.datetime(2024, 5, 2, 10)
    refresh_funding(project.id)
    db.session.commit()

    in_period = build_report(dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    before = build_report(dt.date(2024, 1, 1), dt.date(2024, 4, 30))

    assert in_period["projects_funding"]["lines"] == [
        {"funder": "Fondation du coin", "kind": "unspecified", "amount": 4000}
    ]
    assert before["projects_funding"]["total"] == 0
    section = next(s for s in layout(in_period, "fr").sections if s.key == "projects_funding")
    assert ["Fondation du coin", "Non précisé", 4000] in section.rows
