"""The holders' visits are stored as rows when their form is submitted (issue 10).

The activity log and the report read `project_visits` instead of expanding every project's
form: its rows must always be the items of the newest submitted visits form.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from accompagnement.extensions import db
from accompagnement.projects.models import FormSubmission, ProjectVisit
from accompagnement.projects.visitrows import rebuild_visits, visit_items


def _rows(project_id: int) -> list[tuple[int, dt.date, int | None, int]]:
    query = (
        sa.select(
            ProjectVisit.position, ProjectVisit.day, ProjectVisit.member_id,
            ProjectVisit.submission_id,
        )
        .where(ProjectVisit.project_id == project_id)
        .order_by(ProjectVisit.position)
    )  # fmt: skip
    return [tuple(row) for row in db.session.execute(query)]  # type: ignore[misc]


def test_submitting_the_visits_form_replaces_the_rows(make_member, make_project, save_visits):
    a, b = make_member("Alpha"), make_member("Bravo")
    project, other = make_project("Projet"), make_project("Autre")
    save_visits(other, [(a, "2013-01-01")])
    first = save_visits(project, [(a, "2013-02-01"), (b, "2013-02-02")])
    assert _rows(project.id) == [
        (0, dt.date(2013, 2, 1), a.id, first.id),
        (1, dt.date(2013, 2, 2), b.id, first.id),
    ]

    second = save_visits(project, [(b, "2013-03-03")])

    assert _rows(project.id) == [(0, dt.date(2013, 3, 3), b.id, second.id)]
    assert [row[1] for row in _rows(other.id)] == [dt.date(2013, 1, 1)]


def test_a_newer_draft_leaves_the_submitted_rows(make_member, make_project, save_visits):
    site = make_member("Ressourcerie de Felletin")
    project = make_project()
    submitted = save_visits(project, [(site, "2013-02-01")])

    save_visits(project, [(site, "2013-05-05"), (site, "2013-06-06")], submit=False)

    assert _rows(project.id) == [(0, dt.date(2013, 2, 1), site.id, submitted.id)]


def test_a_draft_alone_gives_no_rows(make_member, make_project, save_visits):
    project = make_project()
    save_visits(project, [(make_member("Bravo"), "2013-02-01")], submit=False)
    assert _rows(project.id) == []


def test_only_real_visits_become_rows():
    data = {
        "visits": [
            {"member": 3, "date": "2013-03-01"},
            {"member": True, "date": "2013-03-02"},  # a row, no member
            {"member": "3", "date": "2013-03-03"},  # a row, no member
            {"member": 3.5, "date": "2013-03-04"},  # a row, no member
            {"member": 3, "date": "2013-02-30"},  # no such day
            {"member": 3, "date": "0000-01-01"},  # no year 0
            {"member": 3, "date": "20130301"},  # not the ISO shape
            {"member": 3, "date": "2013-03-01\n"},
            {"member": 3},
            "a visit",
            None,
        ]
    }
    assert visit_items(data) == [
        (0, dt.date(2013, 3, 1), 3),
        (1, dt.date(2013, 3, 2), None),
        (2, dt.date(2013, 3, 3), None),
        (3, dt.date(2013, 3, 4), None),
    ]
    assert visit_items({"visits": {"date": "2013-03-01"}}) == []
    assert visit_items(["2013-03-01"]) == []


def test_the_backfill_keeps_the_newest_submitted_form_and_existing_members(
    make_member, make_project
):
    site = make_member("Ressourcerie du Plateau")
    project, empty = make_project("Projet"), make_project("Sans visites")
    forms = [
        (project.id, 1, "submitted", [{"member": site.id, "date": "2013-01-01"}]),
        (project.id, 3, "draft", [{"member": site.id, "date": "2013-03-03"}]),
        (project.id, 2, "submitted", [{"member": 99_999, "date": "2013-02-02"},
                                      {"member": site.id, "date": "2013-02-30"},
                                      {"member": site.id, "date": "2013-02-03"}]),
        (empty.id, 1, "submitted", "not a list"),
    ]  # fmt: skip
    db.session.execute(
        sa.insert(FormSubmission),
        [
            {"project_id": p, "stage": "visites", "revision": r, "status": s, "data": {"visits": v}}
            for p, r, s, v in forms
        ],
    )

    assert rebuild_visits(db.session.connection()) == 2

    newest = db.session.scalar(
        sa.select(FormSubmission.id).where(
            FormSubmission.project_id == project.id, FormSubmission.revision == 2
        )
    )
    assert _rows(project.id) == [
        (0, dt.date(2013, 2, 2), None, newest),
        (2, dt.date(2013, 2, 3), site.id, newest),
    ]
    assert _rows(empty.id) == []
