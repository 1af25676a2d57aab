"""The national report equals the sum of the networks' reports, on two networks with known
figures (tests/national/conftest.py); its ratios are those of every report pooled."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from accompagnement.national.combine import combine
from accompagnement.national.services import national_report, network_reports, pooled_observatory
from accompagnement.reports.services import build_report
from accompagnement.tenancy import network_scope

START, END = date(2024, 1, 1), date(2024, 12, 31)


@pytest.fixture
def reports(two_networks: int) -> dict[str, dict[str, Any]]:
    """The report of each network for 2024, as its own coordinators read it."""
    limousin = build_report(START, END, None, "fr")
    with network_scope(two_networks):
        causses = build_report(START, END, None, "fr")
    return {"limousin": limousin, "causses": causses}


@pytest.fixture
def national(two_networks: int) -> dict[str, Any]:
    return national_report(START, END, "fr")


def test_each_network_s_report_holds_only_its_own_figures(reports: dict[str, Any]) -> None:
    limousin, causses = reports["limousin"], reports["causses"]
    assert limousin["activities"]["journee_rencontre"] == {"count": 1, "ressourceries": 2}
    assert causses["activities"]["journee_rencontre"] == {"count": 1, "ressourceries": 1}
    assert (limousin["new_members"], causses["new_members"]) == (1, 1)
    assert (limousin["observatory"]["reports"], causses["observatory"]["reports"]) == (2, 1)
    assert limousin["observatory"]["reuse_rate_percent"] == 50.0
    assert causses["observatory"]["reuse_rate_percent"] == 10.0


def test_the_national_report_adds_the_networks_counts(national: dict[str, Any]) -> None:
    assert national["activities"]["journee_rencontre"] == {"count": 2, "ressourceries": 3}
    assert national["activities"]["animation"] == {"count": 1, "ressourceries": 1}
    assert national["activities"]["sensibilisation"] == {"count": 1, "ressourceries": 1}
    assert national["visits"]["total"] == 1
    assert national["visits"]["by_visitor"]["collectivite"] == 1
    assert national["new_members"] == 2


def test_the_national_report_adds_the_projects_at_the_end_of_the_period(
    national: dict[str, Any],
) -> None:
    projects = national["projects"]
    assert {k: n for k, n in projects["by_stage"].items() if n} == {
        "premier_contact": 2, "visites": 1, "ouverte": 1,
    }  # fmt: skip
    assert [(d["code"], d["count"]) for d in projects["by_departement"]] == [("23", 2), ("87", 2)]
    assert (projects["opened"], projects["accompanied"]) == (1, 4)
    assert [o["project"] for o in national["openings"]] == ["LP1"]


def test_the_national_observatory_adds_flows_and_the_year_s_stocks(
    national: dict[str, Any],
) -> None:
    observatory = national["observatory"]
    assert (observatory["reports"], observatory["collected_t"]) == (3, 200.5)
    assert observatory["totals"]["turnover"] == 4000
    assert observatory["by_year"]["2024"]["figures"]["headcount"] == 19  # 10 + 5 + 4, one year


def test_the_national_rates_are_those_of_every_report_pooled(national: dict[str, Any]) -> None:
    observatory = national["observatory"]
    assert observatory["reuse_rate_percent"] == 36.7  # 55 / 150, not 50 + 10 nor their mean
    assert observatory["recovery_rate_percent"] == 56.7  # 85 / 150
    assert observatory["average_basket_eur"] == 8.0  # 4 000 € / 500 sales
    assert observatory["women_percent"] == 50.0  # 9.5 women of 19 people
    assert observatory["by_year"]["2024"]["reuse_rate_percent"] == 36.7


def test_the_national_report_is_the_combination_of_the_networks_reports(
    reports: dict[str, Any], national: dict[str, Any]
) -> None:
    added = combine([reports["limousin"], reports["causses"]], pooled_observatory(START, END))
    assert {k: v for k, v in national.items() if k != "network"} == {
        k: v for k, v in added.items() if k != "network"
    }
    assert national["network"]["name"] == "Rapport national : 2 réseaux additionnés"


def test_the_pooled_observatory_adds_up_like_the_networks_reports(
    reports: dict[str, Any],
) -> None:
    pooled = pooled_observatory(START, END)
    added = combine([reports["limousin"], reports["causses"]])["observatory"]
    assert (pooled["reports"], pooled["collected_t"]) == (added["reports"], added["collected_t"])
    assert pooled["totals"] == added["totals"]
    assert pooled["by_year"]["2024"]["figures"] == added["by_year"]["2024"]["figures"]


def test_network_reports_come_in_creation_order(two_networks: int) -> None:
    names = [r["network"]["name"] for r in network_reports(START, END, "fr")]
    assert names == ["Réseau des ressourceries du test", "Réseau fictif des Causses"]
