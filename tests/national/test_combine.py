"""The national report adds the networks' reports key by key, as the report rules say (no app)."""

from __future__ import annotations

from typing import Any

import pytest

from accompagnement.national.combine import IncompatibleReports, combine, total

YEARS = {"from": "2024-01-01", "to": "2025-12-31"}


def report(**parts: Any) -> dict[str, Any]:
    """A network's report over 2024-2025 with nothing in it but `parts`."""
    empty_year = {"reports": 0, "collected_t": None, "figures": {"headcount": None},
                  "reuse_rate_percent": None, "recovery_rate_percent": None,
                  "average_basket_eur": None, "women_percent": None}  # fmt: skip
    base: dict[str, Any] = {
        "period": dict(YEARS),
        "departements": None,
        "activities": {"journee_rencontre": {"count": 0, "ressourceries": 0}},
        "visits": {"total": 0, "by_visitor": {"collectivite": 0, "porteur_projet": 0}},
        "new_members": 0,
        "projects": {"by_stage": {}, "by_workflow": {}, "accompanied": 0, "by_departement": [],
                     "transitions": 0, "opened": 0},
        "openings": [],
        "accompaniment_time": {"minutes": 0, "hours": 0.0, "exchanges": 0, "projects": 0,
                               "by_stage": [], "by_kind": {}},
        "plan": {"per_year": {}, "years": []},
        "observatory": {"years": [2024, 2025], "reports": 0, "collected_t": 0, "totals": {},
                        "reuse_rate_percent": None, "recovery_rate_percent": None,
                        "average_basket_eur": None, "women_percent": None,
                        "over_time": {"headcount": "stock"},
                        "by_year": {"2024": dict(empty_year), "2025": dict(empty_year)}},
        "partners": [],
        "network": {"name": "A network", "title": None, "intro": None, "footer": None},
        "means": {"years": [2024, 2025],
                  "staff": {"by_year": {"2024": None, "2025": None}, "by_structure": [],
                            "average_fte": None},
                  "budget": {"lines": [], "by_year": {}, "total": {}},
                  "funding": {"by_funder": [], "by_year": {}, "total": 0}},
        "projects_funding": {"lines": [], "by_kind": {}, "total": 0},
    }  # fmt: skip
    for key, value in parts.items():
        merge = isinstance(base[key], dict) and isinstance(value, dict)
        base[key] = {**base[key], **value} if merge else value
    return base


def stages(*rows: tuple[str, int, int]) -> list[dict[str, Any]]:
    return [{"key": k, "label": k.title(), "count": n, "accompanied": a} for k, n, a in rows]


def year(reports: int, collected: float | None, headcount: int | None) -> dict[str, Any]:
    return {"reports": reports, "collected_t": collected, "figures": {"headcount": headcount},
            "reuse_rate_percent": 50.0, "recovery_rate_percent": 90.0,
            "average_basket_eur": 10.0, "women_percent": 40.0}  # fmt: skip


LIMOUSIN = report(
    activities={"journee_rencontre": {"count": 3, "ressourceries": 2}},
    visits={"total": 5, "by_visitor": {"collectivite": 2, "porteur_projet": 3}},
    new_members=1,
    projects={
        "by_stage": {"premier_contact": 2, "visites": 1},
        "by_workflow": {
            "creation": {
                "label": "Création",
                "stages": stages(("premier_contact", 2, 2), ("visites", 1, 1), ("ouverte", 0, 0)),
            }
        },
        "accompanied": 3,
        "by_departement": [
            {"code": "87", "name": "Haute-Vienne", "count": 2, "accompanied": 2},
            {"code": None, "name": None, "count": 1, "accompanied": 1},
        ],
        "transitions": 4,
        "opened": 0,
    },  # fmt: skip
    openings=[{"project": "Recyclerie de Tulle", "opened_on": "2025-05-01"}],
    accompaniment_time={
        "minutes": 90,
        "hours": 1.5,
        "exchanges": 3,
        "projects": 2,
        "by_stage": [{"workflow": "creation", "stage": "visites", "label": "V", "minutes": 90}],
        "by_kind": {"meeting": 60, "call": 30},
    },  # fmt: skip
    plan={
        "per_year": {"journee_rencontre": 4},
        "years": [
            {
                "year": 2024,
                "from": "2024-01-01",
                "to": "2024-12-31",
                "done": {"journee_rencontre": 1},
            },
            {
                "year": 2025,
                "from": "2025-01-01",
                "to": "2025-12-31",
                "done": {"journee_rencontre": 2},
            },
        ],
    },  # fmt: skip
    observatory={
        "reports": 3,
        "collected_t": 10.5,
        "totals": {"collected_dropoff": 10.5, "turnover": 1000.25},
        "reuse_rate_percent": 60.0,
        "by_year": {"2024": year(1, 3.5, None), "2025": year(2, 7.0, 12)},
    },  # fmt: skip
    partners=["ADEME", "Région"],
    means={
        "years": [2024, 2025],
        "staff": {
            "by_year": {"2024": 1, "2025": 0.8},
            "by_structure": [{"structure": "Réseau", "by_year": {"2024": 1, "2025": 0.8}}],
            "average_fte": 0.9,
        },
        "budget": {
            "lines": [
                {
                    "label": "Salaires",
                    "kind": "staff",
                    "by_year": {"2024": 100, "2025": 200},
                    "total": 300,
                }
            ],
            "by_year": {
                "2024": {"staff": 100, "other": 0, "total": 100},
                "2025": {"staff": 200, "other": 0, "total": 200},
            },
            "total": {"staff": 300, "other": 0, "total": 300},
        },
        "funding": {
            "by_funder": [{"funder": "ADEME", "by_year": {"2024": 50, "2025": 0}, "total": 50}],
            "by_year": {"2024": 50, "2025": 0},
            "total": 50,
        },
    },  # fmt: skip
    projects_funding={
        "lines": [{"funder": "ADEME", "kind": "subsidy", "amount": 1000}],
        "by_kind": {"subsidy": 1000},
        "total": 1000,
    },  # fmt: skip
)

CREUSOIS = report(
    activities={"journee_rencontre": {"count": 1, "ressourceries": 1}},
    visits={"total": 2, "by_visitor": {"collectivite": 0, "porteur_projet": 2}},
    new_members=2,
    projects={
        "by_stage": {"premier_contact": 1, "ouverte": 1},
        "by_workflow": {
            "creation": {
                "label": "Création",
                "stages": stages(("premier_contact", 1, 1), ("visites", 0, 0), ("ouverte", 1, 1)),
            }
        },
        "accompanied": 2,
        "by_departement": [{"code": "23", "name": "Creuse", "count": 2, "accompanied": 1}],
        "transitions": 1,
        "opened": 1,
    },  # fmt: skip
    openings=[{"project": "Ressourcerie d'Aubusson", "opened_on": "2025-03-01"}],
    accompaniment_time={
        "minutes": 60,
        "hours": 1.0,
        "exchanges": 1,
        "projects": 1,
        "by_stage": [
            {"workflow": "creation", "stage": "visites", "label": "V", "minutes": 20},
            {"workflow": "creation", "stage": "ouverte", "label": "O", "minutes": 40},
        ],
        "by_kind": {"meeting": 60},
    },  # fmt: skip
    plan=None,  # a report cut by département, or a network without a plan
    observatory={
        "reports": 2,
        "collected_t": 4.25,
        "totals": {"collected_dropoff": 4.25, "turnover": 0.5},
        "reuse_rate_percent": 20.0,
        "by_year": {"2024": year(1, 2.0, 4), "2025": year(1, 2.25, 5)},
    },  # fmt: skip
    partners=["ADEME", "CD23"],
    means={
        "years": [2024, 2025],
        "staff": {
            "by_year": {"2024": None, "2025": 0.5},
            "by_structure": [{"structure": "Creuse", "by_year": {"2024": None, "2025": 0.5}}],
            "average_fte": 0.5,
        },
        "budget": {
            "lines": [
                {
                    "label": "Frais",
                    "kind": "other",
                    "by_year": {"2024": 0, "2025": 10.5},
                    "total": 10.5,
                },
                {
                    "label": "Salaires",
                    "kind": "staff",
                    "by_year": {"2024": 0, "2025": 50},
                    "total": 50,
                },
            ],
            "by_year": {
                "2024": {"staff": 0, "other": 0, "total": 0},
                "2025": {"staff": 50, "other": 10.5, "total": 60.5},
            },
            "total": {"staff": 50, "other": 10.5, "total": 60.5},
        },
        "funding": {
            "by_funder": [{"funder": "Région", "by_year": {"2024": 0, "2025": 30}, "total": 30}],
            "by_year": {"2024": 0, "2025": 30},
            "total": 30,
        },
    },  # fmt: skip
    projects_funding={
        "lines": [
            {"funder": "ADEME", "kind": "subsidy", "amount": 500.5},
            {"funder": "Région", "kind": "loan", "amount": 200},
        ],
        "by_kind": {"loan": 200, "subsidy": 500.5},
        "total": 700.5,
    },  # fmt: skip
)

POOLED = {
    "reuse_rate_percent": 47.1, "recovery_rate_percent": 80.0, "average_basket_eur": 12.5,
    "women_percent": None,
    "by_year": {"2024": {"reuse_rate_percent": 45.0, "recovery_rate_percent": 70.0,
                         "average_basket_eur": 11.0, "women_percent": 30.0},
                "2025": {"reuse_rate_percent": 48.0, "recovery_rate_percent": 85.0,
                         "average_basket_eur": 13.0, "women_percent": 55.5}},
}  # fmt: skip


@pytest.fixture
def national() -> dict[str, Any]:
    return combine([LIMOUSIN, CREUSOIS], POOLED)


def test_counts_of_activities_visits_and_members_add_up(national: dict[str, Any]) -> None:
    assert national["activities"] == {"journee_rencontre": {"count": 4, "ressourceries": 3}}
    assert national["visits"] == {
        "total": 7,
        "by_visitor": {"collectivite": 2, "porteur_projet": 5},
    }
    assert national["new_members"] == 3


def test_projects_add_up_by_stage_workflow_and_departement(national: dict[str, Any]) -> None:
    projects = national["projects"]
    assert projects["by_stage"] == {"premier_contact": 3, "visites": 1, "ouverte": 1}
    assert projects["by_workflow"]["creation"]["stages"] == stages(
        ("premier_contact", 3, 3), ("visites", 1, 1), ("ouverte", 1, 1)
    )
    assert [(d["code"], d["count"], d["accompanied"]) for d in projects["by_departement"]] == [
        ("23", 2, 1), ("87", 2, 2), (None, 1, 1),
    ]  # fmt: skip
    assert (projects["accompanied"], projects["transitions"], projects["opened"]) == (5, 5, 1)


def test_openings_are_listed_together_by_date(national: dict[str, Any]) -> None:
    assert [o["project"] for o in national["openings"]] == [
        "Ressourcerie d'Aubusson",
        "Recyclerie de Tulle",
    ]


def test_accompaniment_time_adds_minutes_and_recomputes_hours(national: dict[str, Any]) -> None:
    time = national["accompaniment_time"]
    assert (time["minutes"], time["hours"], time["exchanges"], time["projects"]) == (150, 2.5, 4, 3)
    assert [(s["stage"], s["minutes"]) for s in time["by_stage"]] == [
        ("visites", 110), ("ouverte", 40),
    ]  # fmt: skip
    assert time["by_kind"] == {"meeting": 120, "call": 30}


def test_plans_add_up_and_a_network_without_plan_adds_nothing(national: dict[str, Any]) -> None:
    assert national["plan"] == LIMOUSIN["plan"]


def test_observatory_flows_add_up_and_stocks_add_only_within_a_year(
    national: dict[str, Any],
) -> None:
    obs = national["observatory"]
    assert (obs["reports"], obs["collected_t"]) == (5, 14.75)
    assert obs["totals"] == {"collected_dropoff": 14.75, "turnover": 1000.75}
    assert obs["by_year"]["2024"]["figures"] == {"headcount": 4}  # unknown in one, 4 in the other
    assert obs["by_year"]["2025"]["figures"] == {"headcount": 17}
    assert [obs["by_year"][y]["reports"] for y in ("2024", "2025")] == [2, 3]
    assert [obs["by_year"][y]["collected_t"] for y in ("2024", "2025")] == [5.5, 9.25]


def test_ratios_come_from_the_pooled_reports_never_from_a_sum_or_a_mean(
    national: dict[str, Any],
) -> None:
    obs = national["observatory"]
    assert obs["reuse_rate_percent"] == 47.1  # not 60 + 20, not (60 + 20) / 2
    assert obs["by_year"]["2025"]["women_percent"] == 55.5
    unknown = combine([LIMOUSIN, CREUSOIS])["observatory"]
    assert unknown["reuse_rate_percent"] is None
    assert unknown["by_year"]["2025"]["average_basket_eur"] is None


def test_means_add_per_year_and_the_mean_fte_is_taken_again(national: dict[str, Any]) -> None:
    means = national["means"]
    assert means["staff"]["by_year"] == {"2024": 1, "2025": 1.3}
    assert means["staff"]["average_fte"] == 1.15  # (1 + 1.3) / 2, not 0.9 + 0.5
    assert [s["structure"] for s in means["staff"]["by_structure"]] == ["Creuse", "Réseau"]
    assert [(line["label"], line["total"]) for line in means["budget"]["lines"]] == [
        ("Salaires", 350), ("Frais", 10.5),
    ]  # fmt: skip
    assert means["budget"]["by_year"]["2025"] == {"staff": 250, "other": 10.5, "total": 260.5}
    assert means["budget"]["total"] == {"staff": 350, "other": 10.5, "total": 360.5}
    assert means["funding"]["total"] == 80
    assert [f["funder"] for f in means["funding"]["by_funder"]] == ["ADEME", "Région"]


def test_projects_funding_adds_lines_of_one_funder_and_kind(national: dict[str, Any]) -> None:
    assert national["projects_funding"] == {
        "lines": [{"funder": "ADEME", "kind": "subsidy", "amount": 1500.5},
                  {"funder": "Région", "kind": "loan", "amount": 200}],
        "by_kind": {"loan": 200, "subsidy": 1500.5},
        "total": 1700.5,
    }  # fmt: skip


def test_partners_are_named_once_and_no_network_text_is_kept(national: dict[str, Any]) -> None:
    assert national["partners"] == ["ADEME", "CD23", "Région"]
    assert national["network"] == {"name": None, "title": None, "intro": None, "footer": None}
    assert national["period"] == YEARS


def test_a_single_network_is_its_own_national_report_but_for_its_texts() -> None:
    alone = combine([LIMOUSIN], POOLED)
    assert alone["projects"] == LIMOUSIN["projects"]
    assert alone["observatory"]["totals"] == LIMOUSIN["observatory"]["totals"]


def test_decimals_add_exactly() -> None:
    assert total([0.1, 0.2]) == 0.3
    assert total([1, 2]) == 3
    assert total([0.5, 0.5]) == 1
    assert total([None, None]) is None


@pytest.mark.parametrize(
    "other",
    [
        report(period={"from": "2025-01-01", "to": "2025-12-31"}),
        report(departements=[{"code": "23", "name": "Creuse"}]),
    ],
    ids=["another period", "cut to a département"],
)
def test_reports_of_another_period_or_cut_are_refused(other: dict[str, Any]) -> None:
    with pytest.raises(IncompatibleReports):
        combine([LIMOUSIN, other])
