"""The national role's pages: only for national staff, every network's aggregates side by side and
added up, the national report in every format, never a holder's personal data."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from accompagnement.extensions import db
from accompagnement.national import queries
from accompagnement.national.services import national_report
from accompagnement.network.models import Network
from accompagnement.reports.period import parse_period
from accompagnement.tenancy import network_scope
from tests.national.conftest import SENTINELS, docx_text, pdf_text

PAGES = (
    "/national/",
    "/national/report?from=2024-01-01&to=2024-12-31",
    "/national/report.json?from=2024-01-01&to=2024-12-31",
    "/national/report.csv?from=2024-01-01&to=2024-12-31",
    "/national/report.pdf?from=2024-01-01&to=2024-12-31",
    "/national/report.docx?from=2024-01-01&to=2024-12-31",
)
YEAR = "from=2024-01-01&to=2024-12-31"


@pytest.fixture
def signed_in(client: FlaskClient, national_user: Any, sign_in: Callable[..., None]) -> FlaskClient:
    sign_in(client, national_user)
    return client


@pytest.mark.parametrize("role", ["coordinator", "partner", "holder", "member"])
@pytest.mark.parametrize("url", PAGES)
def test_only_national_staff_open_the_national_pages(
    client: FlaskClient, make_user: Callable[..., Any], sign_in: Callable[..., None], role: str,
    url: str,
) -> None:  # fmt: skip
    sign_in(client, make_user(role))
    assert client.get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/national/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_national_staff_land_on_the_networks(signed_in: FlaskClient) -> None:
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/national/")


@pytest.mark.parametrize("url", PAGES)
def test_no_page_shows_a_holder_s_personal_data(
    signed_in: FlaskClient, two_networks: int, url: str
) -> None:
    response = signed_in.get(url)
    assert response.status_code == 200
    if ".pdf" in url:
        body = pdf_text(response.data)
    elif ".docx" in url:
        body = docx_text(response.data)
    else:
        body = response.get_data(as_text=True)
    assert url == "/national/" or "LP1" in body  # the file's words were read (the opening)
    for sentinel in SENTINELS:
        assert sentinel not in body


def test_the_report_json_is_the_national_report(signed_in: FlaskClient, two_networks: int) -> None:
    body = json.loads(signed_in.get(f"/national/report.json?{YEAR}&lang=fr").data)
    assert body == json.loads(
        json.dumps(national_report(*parse_period("2024-01-01", "2024-12-31"), "fr"))
    )
    assert body["observatory"]["reuse_rate_percent"] == 36.7


def test_the_report_page_and_csv_show_the_added_figures(
    signed_in: FlaskClient, two_networks: int
) -> None:
    page = signed_in.get(f"/national/report?{YEAR}&lang=fr").get_data(as_text=True)
    assert "Rapport national : 2 réseaux additionnés" in page
    csv = signed_in.get(f"/national/report.csv?{YEAR}&lang=fr").get_data(as_text=True)
    assert "200,5" in csv or "200.5" in csv  # tonnes collected by the three members


def test_a_period_ending_before_it_starts_is_refused_clearly(signed_in: FlaskClient) -> None:
    response = signed_in.get("/national/report?from=2024-12-31&to=2024-01-01")
    assert response.status_code == 400
    assert "La date de fin" in response.get_data(as_text=True) or "end date" in response.get_data(
        as_text=True
    )
    assert signed_in.get("/national/report.json?from=2024-12-31&to=2024-01-01").status_code == 400


def test_each_network_and_all_of_them_show_their_pipeline_and_median_times(
    causses: int, stays: Callable[[list[int]], None]
) -> None:
    stays([10, 20])
    with network_scope(causses):
        stays([30, 40, 50])
    _page, networks = queries.networks_page("creation-ressourcerie", 2024, 1)
    national = queries.national_figures("creation-ressourcerie", 2024)
    first = {n.name: _stage(n.figures, "premier_contact") for n in networks}
    assert first["Réseau des ressourceries du test"].median_days == pytest.approx(15)
    assert first["Réseau fictif des Causses"].median_days == pytest.approx(40)
    every = _stage(national, "premier_contact")
    assert every.median_days == pytest.approx(30)  # the middle of all five, not (15 + 40) / 2
    assert (every.reached, every.measured) == (5, 5)
    visits = [_stage(n.figures, "visites").projects for n in networks]
    assert _stage(national, "visites").projects == sum(visits) == 5
    assert national.projects == sum(n.figures.projects for n in networks)


def test_the_networks_page_shows_each_network_and_all_of_them(
    signed_in: FlaskClient, causses: int, stays: Callable[[list[int]], None]
) -> None:
    stays([10, 20])
    with network_scope(causses):
        stays([30, 40, 50])
    page = signed_in.get("/national/?year=2024").get_data(as_text=True)
    assert "Réseau fictif des Causses" in page
    assert "Réseau des ressourceries du test" in page
    assert "30 jours" in page or "30 days" in page  # the pooled median


def test_the_networks_are_listed_a_page_at_a_time(signed_in: FlaskClient, territory: None) -> None:
    db.session.add_all(Network(name=f"Réseau {n:02d}", short_name=f"r{n:02d}") for n in range(11))
    db.session.commit()
    first = signed_in.get("/national/").get_data(as_text=True)
    second = signed_in.get("/national/?page=2").get_data(as_text=True)
    assert first.count('id="h-network-') == queries.NETWORKS_PER_PAGE
    assert second.count('id="h-network-') == 12 - queries.NETWORKS_PER_PAGE
    assert "Réseau 00" in first and "Réseau des ressourceries du test" in second


def test_the_networks_page_costs_the_same_for_few_or_many_projects(
    signed_in: FlaskClient, causses: int, stays: Callable[[list[int]], None],
    count_queries: Callable[[], Any],
) -> None:  # fmt: skip
    stays([10])
    with network_scope(causses):
        stays([10])
    with count_queries() as few:
        signed_in.get("/national/")
    stays([n for n in range(20)])
    with network_scope(causses):
        stays([n for n in range(20)])
    with count_queries() as many:
        signed_in.get("/national/")
    assert many.count == few.count


def _stage(figures: queries.Figures, key: str) -> queries.StageFigures:
    return next(stage for stage in figures.stages if stage.key == key)


def test_every_other_page_refuses_national_staff_and_none_fails(
    app: Any, signed_in: FlaskClient
) -> None:
    problems = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.arguments or "GET" not in (rule.methods or ()):
            continue
        policy = getattr(app.view_functions[rule.endpoint], "access_policy", frozenset())
        status = signed_in.get(rule.rule).status_code
        expected_refusal = "national" not in policy
        # The API takes no session: without a token it refuses everyone with 401.
        refusal = 401 if rule.rule.startswith("/api/") else 403
        if status >= 500 or (expected_refusal and status != refusal):
            problems.append(f"{rule.rule}: {status}")
    assert problems == []


def test_a_network_name_is_shown_escaped(signed_in: FlaskClient, territory: None) -> None:
    payload = '<script>alert("x")</script>'
    db.session.add(Network(name=payload, short_name="xss"))
    db.session.commit()
    page = signed_in.get("/national/").get_data(as_text=True)
    assert payload not in page
    assert "&lt;script&gt;" in page
