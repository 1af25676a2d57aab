"""Networks are isolated: two networks, a tagged text in every free-text field of each (names,
comments, forms, activities, members, organisations, report texts...); every page, export,
report and calendar feed that network A's people reach shows none of network B's texts.

Pages come from the URL map as in the other sweeps, their parameters filled with the ids of
both networks' planted objects: network A's people asking for network B's ids get a refusal or
a page without B's texts, never B's data. National staff (instance-wide, of no network) see no
personal text of either network on any page they reach.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from security_planting import Planted, plant_everywhere
from security_suite import NATIONAL, WHO, crawl

from accompagnement.extensions import db
from accompagnement.network.models import Network
from accompagnement.tenancy import network_scope

A_TAG, B_TAG = "netAx", "netBx"
SENTINEL_B = re.compile(B_TAG.encode() + rb"\d\d")
SENTINEL_ANY = re.compile(rb"net[AB]x\d\d")
# Planted texts that are no one's personal data, which national pages may show (and why).
NOT_PERSONAL = {
    "network name": "the national pages list the networks by name",
    "partner organisation": "the national report names the funders, organisations",
}


@dataclass(frozen=True)
class TwoNetworks:
    a: Planted
    b: Planted
    feeds_a: list[str]


def _feeds(planted: Planted) -> list[str]:
    """Create the calendar feeds of the network's coordinator and holder; return their URLs."""
    from accompagnement.activities.services import regenerate_calendar_token
    from accompagnement.tasks.services import feed_token

    coordinator, holder = planted.people.coordinator.id, planted.people.holder.id
    token = regenerate_calendar_token(coordinator).token
    urls = [f"/activities/calendar/{token}.ics"]
    urls += [f"/tasks/feed/{user}/{feed_token(user)}.ics" for user in (coordinator, holder)]
    db.session.commit()
    return urls


@pytest.fixture
def networks(make_user: Callable[..., Any]) -> TwoNetworks:
    a = plant_everywhere(make_user, prefix="netA")
    feeds_a = _feeds(a)
    other = Network(name="Réseau B", short_name="b")
    db.session.add(other)
    db.session.commit()
    with network_scope(other.id):
        b = plant_everywhere(make_user, prefix="netB", short_name="b", new_commune="87991")
        _feeds(b)
    return TwoNetworks(a, b, feeds_a)


def both(a: Planted, b: Planted) -> dict[str, list[Any]]:
    """Every URL parameter filled with the ids of either network."""
    keys = a.candidates.keys() | b.candidates.keys()
    return {k: list(dict.fromkeys(a.candidates.get(k, []) + b.candidates.get(k, []))) for k in keys}


@pytest.mark.slow
@pytest.mark.parametrize("who", [who for who in WHO if who != NATIONAL])
def test_network_a_sees_nothing_of_network_b(app: Flask, networks: TwoNetworks, who: str) -> None:
    a, b = networks.a, networks.b
    extra = [*a.extra_urls, *b.extra_urls, *networks.feeds_a]
    leaks, errors, own, pages = [], [], 0, 0
    for visit in crawl(app, a.people, who, both(a, b), extra):
        pages += 1
        body = visit.response.get_data()  # bytes: PDF and CSV files too
        if visit.response.status_code >= 500:
            errors.append(f"{visit.url}: {visit.response.status_code}")
        found = sorted({tag.decode() for tag in SENTINEL_B.findall(body)})
        if found:
            leaks.append(f"{visit.url} ({visit.rule.endpoint}): {', '.join(found)}")
        own += A_TAG.encode() in body
    assert pages > 50
    assert not errors
    assert not leaks, "network B's texts shown to network A:\n" + "\n".join(leaks)
    if who != "anonymous":
        assert own > 0, "the sweep never reached network A's own texts"


@pytest.mark.slow
def test_national_staff_see_no_personal_text_of_either_network(
    app: Flask, networks: TwoNetworks
) -> None:
    a, b = networks.a, networks.b
    planted = {**a.where, **b.where}
    personal = {tag for tag, where in planted.items() if where not in NOT_PERSONAL}
    year = f"from={a.candidates['year'][0]}-01-01&to={a.candidates['year'][0]}-12-31"
    extra = [*a.extra_urls, *b.extra_urls, f"/national/report?{year}", f"/national/?{year}"]
    leaks, errors, reached, shown = [], [], set(), set()
    for visit in crawl(app, a.people, NATIONAL, both(a, b), extra):
        status = visit.response.status_code
        if status >= 500:
            errors.append(f"{visit.url}: {status}")
        if status == 200:
            reached.add(visit.rule.endpoint)
        found = {tag.decode() for tag in SENTINEL_ANY.findall(visit.response.get_data())}
        shown |= found
        if found & personal:
            leaks.append(f"{visit.url} ({visit.rule.endpoint}): {sorted(found & personal)}")
    assert not errors
    assert not leaks, "personal texts shown to national staff:\n" + "\n".join(leaks)
    assert {"national.index", "national.report", "national.report_csv"} <= reached
    names = {tag for tag, where in planted.items() if where == "network name"}
    assert names <= shown, "the sweep never reached the networks' planted (public) names"


def test_network_b_people_see_their_own_texts(app: Flask, networks: TwoNetworks) -> None:
    from security_suite import client_for

    client = client_for(app, "coordinator", networks.b.people)
    page = client.get(f"/projects/{networks.b.people.project_id}").get_data(as_text=True)
    assert B_TAG in page
    assert A_TAG not in page
