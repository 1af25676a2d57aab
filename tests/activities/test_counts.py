"""The counts of the yearly report, on a fixture year with known answers.

The year 2013 below holds, among other things, visits recorded in two ways: as activities
(local authorities, others) and in projects' visits forms (project holders). Every visit must
be counted exactly once, planned activities never.
"""

from __future__ import annotations

import datetime as dt

import pytest

from accompagnement.activities.queries import VisitRow, activity_counts, visits_in_period
from accompagnement.activities.services import today

START, END = dt.date(2013, 1, 1), dt.date(2013, 12, 31)


@pytest.fixture
def year_2013(make_member, make_activity, make_project, save_visits):  # noqa: ANN001, ANN201
    a, b, c, d = (make_member(n) for n in ("Alpha", "Bravo", "Charlie", "Delta"))
    make_activity("2013-02-05", "journee_rencontre", members=[a, b])
    make_activity("2013-06-10", "journee_rencontre", members=[b, c])
    make_activity("2014-01-15", "journee_rencontre", members=[d])  # outside the period
    make_activity("2013-09-20", "sensibilisation", members=[a])
    make_activity("2013-09-21", "sensibilisation", members=[a, d])
    make_activity("2013-04-02", "visite", members=[c], visitor="collectivite")
    make_activity("2013-05-02", "visite", "Tournée", members=[a, b], visitor="autre")
    make_activity("2013-10-01", "journee_technique", members=[a], status="planned")
    make_activity("2013-11-30", "comite_pilotage")

    first = make_project("Ressourcerie du plateau")
    save_visits(first, [(d, "2012-12-01")])  # an older submission, replaced by the next one
    save_visits(first, [(a, "2013-03-01"), (b, "2013-03-02"), (a, "2014-02-01")])
    save_visits(first, [(a, "2013-03-01"), (c, "2013-08-08")], submit=False)  # a later draft
    second = make_project("Recyclerie de la vallée")
    save_visits(second, [(c, "2013-07-07")])
    third = make_project("Projet sans visite soumise")
    save_visits(third, [(d, "2013-07-07")], submit=False)
    return {"members": (a, b, c, d), "projects": (first, second, third)}


def test_counts_of_a_year_have_the_known_answers(year_2013):
    counts = activity_counts(START, END)

    assert counts["journee_rencontre"] == {"count": 2, "ressourceries": 3}
    assert counts["sensibilisation"] == {"count": 2, "ressourceries": 2}
    assert counts["comite_pilotage"] == {"count": 1, "ressourceries": 0}
    assert counts["journee_technique"] == {"count": 0, "ressourceries": 0}  # only planned
    # 1 by a local authority, 2 ressourceries on one tour, 3 by project holders
    assert counts["visite"] == {"count": 6, "ressourceries": 3}
    assert set(counts) == {
        "journee_rencontre", "reunion_coordination", "journee_technique", "comite_pilotage",
        "sensibilisation", "animation", "visite", "colloque", "formation",
    }  # fmt: skip


def test_visits_of_a_year_come_from_both_sources_once(year_2013):
    a, b, c, _ = year_2013["members"]
    first, second, _ = year_2013["projects"]

    visits = visits_in_period(START, END)

    assert all(isinstance(v, VisitRow) for v in visits)
    assert [(v.date.isoformat(), v.member_name, v.visitor, v.source) for v in visits] == [
        ("2013-03-01", "Alpha", "porteur_projet", "project"),
        ("2013-03-02", "Bravo", "porteur_projet", "project"),
        ("2013-04-02", "Charlie", "collectivite", "activity"),
        ("2013-05-02", "Alpha", "autre", "activity"),
        ("2013-05-02", "Bravo", "autre", "activity"),
        ("2013-07-07", "Charlie", "porteur_projet", "project"),
    ]
    by_project = {(v.project_id, v.member_id) for v in visits if v.source == "project"}
    assert by_project == {(first.id, a.id), (first.id, b.id), (second.id, c.id)}
    assert all(v.activity_id is None for v in visits if v.source == "project")
    assert all(v.project_id is None and v.activity_id for v in visits if v.source == "activity")


def test_visit_rows_add_up_to_the_visit_count(year_2013):
    visits = visits_in_period(START, END)
    assert len(visits) == activity_counts(START, END)["visite"]["count"]
    by_visitor = {
        k: sum(v.visitor == k for v in visits) for k in ("collectivite", "porteur_projet", "autre")
    }
    assert by_visitor == {"collectivite": 1, "porteur_projet": 3, "autre": 2}


def test_a_period_bound_is_inclusive_and_may_be_open(year_2013):
    assert (
        activity_counts(dt.date(2013, 2, 5), dt.date(2013, 2, 5))["journee_rencontre"]["count"] == 1
    )
    assert activity_counts(None, None)["journee_rencontre"] == {"count": 3, "ressourceries": 4}
    assert len(visits_in_period(dt.date(2014, 1, 1), None)) == 1  # the project visit of 2014


def test_planned_and_future_visits_are_left_out_unless_asked(
    make_member, make_activity, make_project, save_visits
):
    site = make_member("Ressourcerie future")
    soon = today() + dt.timedelta(days=20)
    make_activity(soon, "visite", members=[site], visitor="collectivite")
    save_visits(make_project(), [(site, soon.isoformat())])

    assert visits_in_period(None, None) == []
    assert activity_counts(None, None)["visite"] == {"count": 0, "ressourceries": 0}
    planned = visits_in_period(None, None, include_planned=True)
    assert {v.source for v in planned} == {"activity", "project"}


def test_an_empty_log_counts_zero_everywhere():
    counts = activity_counts(START, END)
    assert all(c == {"count": 0, "ressourceries": 0} for c in counts.values())
