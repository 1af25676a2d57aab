"""The users page at national scale (issue 10): fifty accounts a page, the filters and the page
in the URL, and the same queries and page size for ten times more accounts."""

from __future__ import annotations

import re

import sqlalchemy as sa

from accompagnement.auth.models import NetworkMembership, User
from accompagnement.extensions import db
from accompagnement.pagination import PER_PAGE
from tests.fixtures.queries import get_page

EN = {"Accept-Language": "en"}
ROW = re.compile(r">(Personne \d+)<")


def _users(first: int, count: int, role: str = "holder") -> None:
    db.session.execute(
        sa.insert(User),
        [
            {"email": f"p{n}@example.org", "name": f"Personne {n:05d}",
             "session_token": f"token-{n}"}
            for n in range(first, first + count)
        ],
    )  # fmt: skip
    emails = [f"p{n}@example.org" for n in range(first, first + count)]
    ids = db.session.scalars(sa.select(User.id).where(User.email.in_(emails)))
    db.session.execute(
        sa.insert(NetworkMembership), [{"user_id": i, "role": role} for i in ids]
    )  # the role in the test's network
    db.session.commit()


def test_the_users_page_shows_fifty_accounts_a_page(coordinator, client, auth):
    _users(0, 80)
    auth.login(coordinator)
    first, _ = get_page(client, "/admin/users?role=holder", EN)
    assert ROW.findall(first) == [f"Personne {n:05d}" for n in range(PER_PAGE)]
    assert "80 accounts" in first and "Page 1 of 2" in first
    links = re.findall(r'href="(/admin/users\?[^"]*page=2[^"]*)"', first)
    assert links and all("role=holder" in link for link in links)
    second, _ = get_page(client, "/admin/users?role=holder&page=2", EN)
    assert ROW.findall(second) == [f"Personne {n:05d}" for n in range(50, 80)]


def test_queries_and_page_size_do_not_grow_with_the_accounts(coordinator, client, auth):
    auth.login(coordinator)
    _users(0, 60)
    small_html, small_queries = get_page(client, "/admin/users", EN)
    _users(60, 600)
    big_html, big_queries = get_page(client, "/admin/users", EN)
    assert big_queries == small_queries
    assert len(big_html) < len(small_html) * 1.01  # only the totals are longer
