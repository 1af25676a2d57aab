"""A partner limited to some départements sees only their members in the observatory (#2).

Decision: a limited partner sees the members of their départements with their figures, and
the totals of those members only (as the steering-committee report does: the network's total
would reveal the other départements' sum). Before the fix `/observatory/reports` listed
every member of the network with their tonnes, turnover, FTE and volunteers, and the "missing
reports" list named members of other départements too.

Sentinel: member names in Corrèze and Haute-Vienne never appear on any page or export a Creuse
partner can open under /observatory and /reports (walked from the URL map).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from security_planting import last_year
from security_suite import login, policy_of, rules

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport

CORREZE = "Sentinelle-Correze-Recyclerie"
HAUTE_VIENNE_SILENT = "Sentinelle-HauteVienne-Silencieuse"
CREUSE = "Ressourcerie-de-Creuse-Visible"
YEAR = last_year()


def _member(name: str, departement: str, *, report: bool) -> Member:
    member = Member(name=name, departement_code=departement)
    db.session.add(member)
    db.session.flush()
    if report:
        db.session.add(
            ObservatoryReport(
                member_id=member.id,
                year=YEAR,
                collected_dropoff=Decimal("12.5"),
                turnover=Decimal(4321),
                volunteers=7,
            )
        )
    return member


@pytest.fixture
def creuse_partner(make_user: Callable[..., Any]) -> Any:
    _member(CORREZE, "19", report=True)
    _member(HAUTE_VIENNE_SILENT, "87", report=False)
    _member(CREUSE, "23", report=True)
    _member(CREUSE + "-Silencieuse", "23", report=False)
    db.session.commit()
    return make_user("partner", name="Paula Creuse", departements=["23"])


def _partner_urls(app: Flask) -> list[str]:
    urls = []
    for rule in rules(app, {"GET"}):
        if not rule.rule.startswith(("/observatory", "/reports")) or rule.arguments:
            continue
        if "partner" in policy_of(app, rule.endpoint):
            urls += [rule.rule, f"{rule.rule}?year={YEAR}"]
    return urls


def test_a_creuse_partner_sees_only_creuse_members_in_the_reports(
    app: Flask, creuse_partner: Any
) -> None:
    client = login(app.test_client(), creuse_partner)
    page = client.get(f"/observatory/reports?year={YEAR}").get_data(as_text=True)
    assert CREUSE in page and CREUSE + "-Silencieuse" in page
    assert CORREZE not in page and HAUTE_VIENNE_SILENT not in page


def test_no_member_of_another_departement_appears_anywhere_for_a_creuse_partner(
    app: Flask, creuse_partner: Any
) -> None:
    client = login(app.test_client(), creuse_partner)
    urls = _partner_urls(app)
    assert f"/observatory/reports?year={YEAR}" in urls and "/reports/report.csv" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        body = response.get_data()  # bytes: HTML, CSV, JSON or PDF alike (ASCII sentinels)
        for sentinel in (CORREZE, HAUTE_VIENNE_SILENT):
            assert sentinel.encode() not in body, url


def test_the_totals_of_a_limited_partner_are_those_of_their_departements(
    app: Flask, creuse_partner: Any
) -> None:
    """The totals are their members' (1 report of 2 Creuse members), never the network's."""
    client = login(app.test_client(), creuse_partner)
    page = client.get(f"/observatory/?year={YEAR}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"1 reports received from 2 members of the network in {YEAR}" in text
    assert "2 reports received from 4 members" not in text


def test_a_coordinator_and_an_unlimited_partner_see_every_member(
    app: Flask, creuse_partner: Any, coordinator: Any, make_user: Callable[..., Any]
) -> None:
    for person in (coordinator, make_user("partner")):
        page = login(app.test_client(), person).get(f"/observatory/reports?year={YEAR}")
        text = page.get_data(as_text=True)
        assert CORREZE in text and HAUTE_VIENNE_SILENT in text and CREUSE in text
