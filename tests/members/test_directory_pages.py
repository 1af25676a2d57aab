"""The member directory at national scale (issue 10): fifty structures a page, the filters and
the page in the URL, and the same queries and page size for ten times more members."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.pagination import PER_PAGE
from tests.fixtures.queries import get_page

EN = {"Accept-Language": "en"}
ROW = re.compile(r'<a href="/members/\d+">(Structure [^<]+)</a>')


def _members(first: int, count: int, **fields: Any) -> None:
    db.session.execute(
        sa.insert(Member),
        [
            {"name": f"Structure {n:05d}", "commune_insee": "87085", "departement_code": "87",
             "status": "member", **fields}
            for n in range(first, first + count)
        ],
    )  # fmt: skip
    db.session.commit()


def test_the_directory_shows_fifty_structures_a_page_by_name(territory, coordinator, client, auth):
    _members(0, 70)
    auth.login(coordinator)
    first, _ = get_page(client, "/members/", EN)
    assert ROW.findall(first) == [f"Structure {n:05d}" for n in range(PER_PAGE)]
    assert "70 structures" in first and "Page 1 of 2" in first
    second, _ = get_page(client, "/members/?page=2", EN)
    assert ROW.findall(second) == [f"Structure {n:05d}" for n in range(50, 70)]


def test_the_filters_stay_in_the_page_links(territory, coordinator, client, auth):
    _members(0, 60)
    _members(60, 5, status="former")
    auth.login(coordinator)
    html, _ = get_page(client, "/members/?status=all&departement=87&function=vente", EN)
    links = re.findall(r'href="(/members/\?[^"]*page=2[^"]*)"', html)
    assert links and all(
        "status=all" in link and "departement=87" in link and "function=vente" in link
        for link in links
    )
    last, _ = get_page(client, "/members/?status=all&page=2", EN)
    assert "Structure 00064" in last and "65 structures" in last


def test_queries_and_page_size_do_not_grow_with_the_directory(territory, coordinator, client, auth):
    auth.login(coordinator)
    _members(0, 60)
    small_html, small_queries = get_page(client, "/members/", EN)
    _members(60, 600)
    big_html, big_queries = get_page(client, "/members/", EN)
    assert big_queries == small_queries
    assert len(big_html) < len(small_html) * 1.01  # only the totals are longer
