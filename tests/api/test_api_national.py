"""National staff's API tokens: read-only, bound to no network, for the national endpoints only,
which answer the national pages' figures (one source) and never a person's data."""

from __future__ import annotations

import json

import pytest
from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accompagnement.auth import apitokens
from accompagnement.auth.models import ApiToken
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.national import queries
from accompagnement.national.services import national_report
from accompagnement.reports.period import parse_period
from accompagnement.tenancy import network_scope
from tests.api.conftest import bearer
from tests.fixtures.accounts import login
from tests.national import conftest as national
from tests.national.conftest import SENTINELS

# The national tests' fixtures: two networks with known figures and planted personal data.
national_user, causses, two_networks = (
    national.national_user,
    national.causses,
    national.two_networks,
)
moved_project, stays = national.moved_project, national.stays

NATIONAL = ("/api/v1/national/networks", "/api/v1/national/pipeline?year=2024",
            "/api/v1/national/report?from=2024-01-01&to=2024-12-31")  # fmt: skip


@pytest.fixture
def national_token(national_user, make_token):
    return bearer(make_token(national_user))


def test_national_staff_make_read_tokens_bound_to_no_network(client, national_user):
    login(client, national_user.email)
    page = client.get("/auth/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "national figures of every network" in page and 'value="write"' not in page
    refused = client.post("/auth/account/tokens", data={"name": "T", "scope": "write", "days": 90})
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []
    made = client.post("/auth/account/tokens", data={"name": "T", "scope": "read", "days": 90})
    secret = made.get_data(as_text=True).split('id="new-token" type="text" readonly value="')[1]
    token = db.session.scalars(select(ApiToken)).one()
    assert (token.network_id, token.scope, token.is_national) == (None, "read", True)
    answer = client.get("/api/v1/national/networks", headers=bearer(secret.split('"')[0]))
    assert answer.status_code == 200


def test_a_national_token_may_never_write(national_user):
    with pytest.raises(InvalidInput) as refused:
        apitokens.create_token(national_user.id, "T", "write", 90)
    assert list(refused.value.errors) == ["scope"]
    made = apitokens.create_token(national_user.id, "T", "read", 90)
    made.token.scope = "write"  # the database refuses it too
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_networks_are_listed_by_name(client, national_token, two_networks):
    answer = client.get("/api/v1/national/networks", headers=national_token).get_json()
    assert [n["name"] for n in answer["items"]] == [
        "Réseau des ressourceries du test", "Réseau fictif des Causses",
    ]  # fmt: skip
    assert answer["pagination"]["total"] == 2


def test_the_pipeline_is_the_national_page_s_figures(client, national_token, two_networks):
    answer = client.get(NATIONAL[1], headers=national_token).get_json()
    national = queries.national_figures("creation-ressourcerie", 2024)
    assert (answer["workflow"], answer["year"]) == ("creation-ressourcerie", 2024)
    assert answer["national"]["total"] == national.projects == 4
    stages = {s["stage"]: s for s in answer["national"]["stages"]}
    for stage in national.stages:
        shown = stages[stage.key]
        assert (shown["count"], shown["reached"], shown["measured"]) == (
            stage.projects, stage.reached, stage.measured
        )  # fmt: skip
        # A stay still going on grows with the clock between the answer and the check.
        assert shown["median_days"] == pytest.approx(stage.median_days, abs=0.01)
    assert answer["national"]["observatory"]["reuse_rate_percent"] == 36.7
    by_name = {n["short_name"]: n["figures"] for n in answer["networks"]}
    assert by_name["causses"]["total"] == 2
    assert by_name["causses"]["observatory"]["reuse_rate_percent"] == 10
    assert sum(n["total"] for n in by_name.values()) == answer["national"]["total"]


def test_the_report_is_the_national_report(client, national_token, two_networks):
    body = client.get(f"{NATIONAL[2]}&lang=fr", headers=national_token)
    assert json.loads(body.data) == json.loads(
        json.dumps(national_report(*parse_period("2024-01-01", "2024-12-31"), "fr"))
    )


def test_a_wrong_period_is_refused_with_the_web_s_message(client, national_token):
    answer = client.get(
        "/api/v1/national/report?from=2026-02-01&to=2025-01-01",
        headers={**national_token, "Accept-Language": "en"},
    )
    assert answer.status_code == 422
    assert answer.get_json()["errors"]["to"] == "The end date must be on or after the start date."


@pytest.mark.parametrize("url", NATIONAL)
def test_no_national_answer_holds_a_person_s_data(client, national_token, two_networks, url):
    answer = client.get(url, headers=national_token)
    assert answer.status_code == 200
    for sentinel in SENTINELS:
        assert sentinel not in answer.get_data(as_text=True)


def _rules(app, national: bool):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        and rule.endpoint not in {"api.openapi", "api.docs"}
        and rule.rule.startswith("/api/v1/national/") == national
    ]


def test_a_national_token_is_refused_on_every_network_endpoint(
    app, client, national_token, make_project
):
    project = make_project("Hors national")
    refused = 0
    for rule in _rules(app, national=False):
        values = {name: project.id if name == "project_id" else "x" for name in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in sorted(set(rule.methods) - {"HEAD", "OPTIONS"}):
            answer = client.open(url, method=method, json={}, headers=national_token)
            assert answer.status_code == 403, (method, url)
            assert answer.mimetype == "application/problem+json"
            refused += 1
    assert refused >= 13


@pytest.mark.parametrize("role", ["coordinator", "partner", "holder"])
def test_a_network_s_token_is_refused_on_the_national_endpoints(
    app, client, make_user, make_token, role
):
    secret = make_token(make_user(role))
    for rule in _rules(app, national=True):
        answer = client.get(rule.rule, headers=bearer(secret))
        assert answer.status_code == 403, rule.rule
        assert answer.mimetype == "application/problem+json"


def test_a_network_token_of_someone_made_national_since_stays_a_network_token(
    client, coordinator, make_token
):
    secret = make_token(coordinator)
    coordinator.instance_role = "national"
    db.session.commit()
    for url in ("/api/v1/projects", "/api/v1/national/networks"):
        answer = client.get(url, headers={**bearer(secret), "Accept-Language": "en"})
        assert answer.status_code == 403, url


def test_the_national_pipeline_costs_the_same_for_few_or_many_projects(
    client,
    national_token,
    causses,
    stays,
    count_queries,
):
    client.get(NATIONAL[1], headers=national_token)  # last use noted: not counted below

    def statements():
        with count_queries() as counter:
            assert client.get(NATIONAL[1], headers=national_token).status_code == 200
        return counter.count

    stays([3])
    with network_scope(causses):
        stays([4])
    few = statements()
    stays([5] * 15)
    with network_scope(causses):
        stays([6] * 15)
    assert statements() == few
