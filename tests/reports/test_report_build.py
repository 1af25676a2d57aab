"""The steering committee report's figures, computed from a year with known answers."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from report_dates import END, START

from accompagnement.errors import InvalidInput
from accompagnement.members.models import Member
from accompagnement.observatory.indicators import FLOW_KEYS
from accompagnement.reports.services import build_report

NINE_TYPES = [
    "journee_rencontre", "reunion_coordination", "journee_technique", "comite_pilotage",
    "sensibilisation", "animation", "visite", "colloque", "formation",
]  # fmt: skip


@pytest.fixture
def report(network_year: dict[str, Member]) -> dict[str, Any]:
    return build_report(START, END)


def test_activities_done_in_the_period_are_counted_with_their_ressourceries(
    report: dict[str, Any],
) -> None:
    assert report["activities"] == {
        "journee_rencontre": {"count": 2, "ressourceries": 2},
        "reunion_coordination": {"count": 0, "ressourceries": 0},
        "journee_technique": {"count": 0, "ressourceries": 0},
        "comite_pilotage": {"count": 0, "ressourceries": 0},
        "sensibilisation": {"count": 1, "ressourceries": 3},  # the planned one is left out
        "animation": {"count": 1, "ressourceries": 1},
        "visite": {"count": 3, "ressourceries": 2},  # two logged, one from a project's form
        "colloque": {"count": 1, "ressourceries": 0},
        "formation": {"count": 0, "ressourceries": 0},
    }


def test_visits_are_counted_by_type_of_visitor(report: dict[str, Any]) -> None:
    assert report["visits"] == {
        "total": 3,
        "by_visitor": {"collectivite": 1, "porteur_projet": 1, "autre": 1},
    }


def test_new_members_are_those_that_joined_during_the_period(report: dict[str, Any]) -> None:
    assert report["new_members"] == 2  # B and C; not A (before), D (after) nor E (no date)


def test_projects_are_counted_in_the_stage_they_were_in_at_the_end_of_the_period(
    report: dict[str, Any],
) -> None:
    by_stage = report["projects"]["by_stage"]
    assert list(by_stage)[:8] == [
        "premier_contact", "visites", "dla", "etude_faisabilite", "ouverture", "ouverte",
        "en_pause", "abandonne",
    ]  # fmt: skip
    assert {k: v for k, v in by_stage.items() if v} == {
        "premier_contact": 1,  # P2, which has moved on since; P3 did not exist yet
        "ouverte": 1,  # P1
        "en_pause": 1,  # P4, on hold at 23:30 on 31 December, resumed after midnight
    }


def test_transitions_and_openings_during_the_period(report: dict[str, Any]) -> None:
    assert report["projects"]["transitions"] == 5  # P1: 4, P4: 1; creations are not moves
    assert report["projects"]["opened"] == 1


def test_observatory_totals_add_up_the_reports_of_the_years_covered(
    report: dict[str, Any],
) -> None:
    obs = report["observatory"]
    assert obs["years"] == [2024] and obs["reports"] == 2
    assert obs["collected_t"] == 150.5
    assert obs["reuse_rate_percent"] == 50.0  # only A gives outgoing tonnes: 50 / 100
    assert obs["recovery_rate_percent"] == 80.0
    assert obs["average_basket_eur"] == 10.0
    assert obs["women_percent"] == 50.0  # weighted by headcount: (10×60 + 5×30) / 15
    totals = obs["totals"]  # the flows only: stocks are given per year, never added up
    assert set(totals) == set(FLOW_KEYS)
    year = obs["by_year"]["2024"]["figures"]
    assert (year["headcount"], year["fte"], year["volunteers"]) == (15, 13.5, 6)
    assert (totals["collected_dropoff"], totals["flow_books"], totals["turnover"]) == (
        100.0, 50.5, 3000.0)  # fmt: skip
    assert totals["people_reached"] == 0


def test_a_period_over_two_years_takes_the_reports_of_both(
    network_year: dict[str, Member],
) -> None:
    obs = build_report(dt.date(2023, 7, 1), dt.date(2024, 6, 30))["observatory"]
    assert obs["years"] == [2023, 2024] and obs["reports"] == 3
    assert obs["collected_t"] == 220.5


def test_partners_are_the_network_s_active_organisations_not_the_accounts(
    report: dict[str, Any],
) -> None:
    assert report["partners"] == ["ADEME", "Limousin Actif", "Région Limousin"]
    text = json.dumps(report)
    assert "Paula" not in text and "@" not in text and "DREAL" not in text


def test_the_report_carries_the_network_s_name_and_texts(report: dict[str, Any]) -> None:
    assert report["network"] == {
        "name": "Réseau des ressourceries du test",
        "title": None,
        "intro": None,
        "footer": None,
    }


def test_the_json_shape_is_exactly_the_documented_one(report: dict[str, Any]) -> None:
    assert list(report) == [
        "period", "departements", "activities", "visits", "new_members", "projects", "openings",
        "accompaniment_time", "plan", "observatory", "partners", "network", "means",
        "projects_funding",
    ]  # fmt: skip
    assert report["departements"] is None
    assert report["accompaniment_time"] == {
        "minutes": 0,
        "hours": 0.0,
        "exchanges": 0,
        "projects": 0,
        "by_stage": [],
        "by_kind": {},
    }  # nothing recorded in this fixture
    assert report["period"] == {"from": "2024-01-01", "to": "2024-12-31"}
    assert list(report["activities"]) == NINE_TYPES
    assert all(set(v) == {"count", "ressourceries"} for v in report["activities"].values())
    assert set(report["visits"]) == {"total", "by_visitor"}
    assert list(report["visits"]["by_visitor"]) == ["collectivite", "porteur_projet", "autre"]
    assert isinstance(report["new_members"], int)
    assert set(report["projects"]) == {
        "by_stage", "by_workflow", "accompanied", "by_departement", "transitions", "opened",
    }  # fmt: skip
    assert all(isinstance(v, int) for v in report["projects"]["by_stage"].values())
    assert set(report["observatory"]) == {
        "years", "reports", "collected_t", "totals", "reuse_rate_percent",
        "recovery_rate_percent", "average_basket_eur", "women_percent", "over_time", "by_year",
    }  # fmt: skip
    assert set(report["observatory"]["by_year"]) == {"2024"}
    assert set(report["plan"]) == {"per_year", "years"}
    assert all(isinstance(p, str) for p in report["partners"])
    assert json.loads(json.dumps(report)) == report


def test_an_empty_period_gives_zeros_everywhere(network_year: dict[str, Member]) -> None:
    report = build_report(dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    assert all(v == {"count": 0, "ressourceries": 0} for v in report["activities"].values())
    assert report["visits"]["total"] == 0 and report["new_members"] == 0
    assert sum(report["projects"]["by_stage"].values()) == 0
    assert report["observatory"]["reports"] == 0
    assert report["observatory"]["reuse_rate_percent"] is None


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput):
        build_report(END, START)
