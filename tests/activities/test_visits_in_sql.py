"""Project visits are read by the database (issue 10), as Python did.

Before, every project's newest visits form was decoded in Python, for every report and every
page of the log. The visits are now rows written when the form is submitted; what they keep
must be exactly what the Python reading kept: object items with a real ISO day, the member only
when it is a whole number naming an existing member.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from accompagnement.activities.queries import activity_counts, visits_in_period
from accompagnement.activities.visits import visit_summary
from accompagnement.extensions import db
from accompagnement.projects.models import FormSubmission
from accompagnement.projects.visitrows import refresh_visits
from accompagnement.reports.services import build_report

START, END = dt.date(2013, 1, 1), dt.date(2013, 12, 31)


def _form(project_id: int, data: Any, revision: int = 1, status: str = "submitted") -> None:
    """Store a visits form as it is in the database, odd shapes included (no engine check)."""
    db.session.add(
        FormSubmission(
            project_id=project_id, stage="visites", revision=revision, status=status, data=data
        )
    )
    refresh_visits(project_id)  # what saving the form does
    db.session.commit()


def test_only_real_visits_of_the_newest_submitted_form_count(make_member, make_project):
    site = make_member("Ressourcerie du Pays de Tulle")
    ok, odd, old = make_project("Projet net"), make_project("Projet bizarre"), make_project("Vieux")
    _form(ok.id, {"visits": [{"member": site.id, "date": "2013-03-01"}]})
    _form(
        odd.id,
        {
            "visits": [
                {"member": True, "date": "2013-03-02"},  # counted, no ressourcerie
                {"member": str(site.id), "date": "2013-03-03"},  # text: no ressourcerie
                {"member": 99_999, "date": "2013-03-04"},  # unknown member: no ressourcerie
                {"member": site.id + 0.5, "date": "2013-03-05"},  # not whole: no ressourcerie
                {"member": site.id, "date": "2013-02-30"},  # no such day: left out
                {"member": site.id, "date": "0000-01-01"},  # no year 0: left out
                {"member": site.id, "date": "1 mars 2013"},  # not a date: left out
                {"member": site.id},  # no date: left out
                "a visit",  # not an object: left out
                7,
                None,
            ]
        },
    )
    _form(old.id, {"visits": {"member": site.id, "date": "2013-05-01"}})  # not a list
    _form(old.id, {"other": [{"member": site.id, "date": "2013-05-01"}]}, revision=2)

    visits = visits_in_period(START, END)

    assert [(v.date.isoformat(), v.member_id, v.project_id) for v in visits] == [
        ("2013-03-01", site.id, ok.id),
        ("2013-03-02", None, odd.id),
        ("2013-03-03", None, odd.id),
        ("2013-03-04", None, odd.id),
        ("2013-03-05", None, odd.id),
    ]
    assert visit_summary(START, END) == {
        "total": 5,
        "by_visitor": {"collectivite": 0, "porteur_projet": 5, "autre": 0},
        "ressourceries": 1,
    }


def test_a_draft_after_the_submission_and_an_older_submission_do_not_count(
    make_member, make_project
):
    site = make_member("Ressourcerie de Felletin")
    project = make_project()
    _form(project.id, {"visits": [{"member": site.id, "date": "2013-01-10"}]})
    _form(project.id, {"visits": [{"member": site.id, "date": "2013-02-10"}]}, revision=2)
    _form(project.id, {"visits": [{"member": site.id, "date": "2013-03-10"}]}, 3, "draft")
    assert [v.date for v in visits_in_period(START, END)] == [dt.date(2013, 2, 10)]


def test_the_report_reads_the_visits_once_and_agrees_with_the_rows(
    make_member, make_project, make_activity, save_visits
):
    a, b = make_member("Alpha"), make_member("Bravo")
    make_activity("2013-04-02", "visite", members=[a, b], visitor="collectivite")
    make_activity("2013-04-03", "visite", "Tournée", members=[a], visitor="autre")
    save_visits(make_project(), [(b, "2013-05-01"), (a, "2014-01-01")])
    statements: list[str] = []

    def count(*args: Any) -> None:
        if "project_visits" in str(args[2]):
            statements.append(str(args[2]))

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        report = build_report(START, END)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)

    rows = visits_in_period(START, END)
    assert len(rows) == 4
    assert report["visits"] == {
        "total": 4,
        "by_visitor": {"collectivite": 2, "porteur_projet": 1, "autre": 1},
    }
    assert report["activities"]["visite"] == {"count": 4, "ressourceries": 2}
    assert activity_counts(START, END)["visite"] == report["activities"]["visite"]
    assert len(statements) == 1  # the projects' visits are read once per report
