"""Helpers of the cross-cutting security suite: one person per role, and a crawler of the URL map.

The crawler reads the routes from the app itself, so a route added by any feature is covered
without editing these tests. URL parameters are filled with the id of the first object of each
table (ids restart at 1 after every test) or with a plausible key for string parameters.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from accompagnement.access import NETWORK_ROLES as ROLES
from accompagnement.access import Role
from accompagnement.extensions import db

PASSWORD = "correct horse battery staple"
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
PAYLOAD = '<script>alert("x")</script>"\'><img src=x onerror=alert(1)>'
ANONYMOUS = "anonymous"
NATIONAL = Role.NATIONAL.value  # instance-wide staff: no network, every network's aggregates
WHO = (ANONYMOUS, *ROLES, NATIONAL)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# Values for string URL parameters, by parameter name; anything else gets "1".
SAMPLE_STRINGS = {
    "stage": "premier_contact",
    "workflow": "creation-ressourcerie",
    "workflow_name": "creation-ressourcerie",
    "name": "creation-ressourcerie",
    "code": "87",
    "departement": "87",
    "insee": "87085",
    "trigger": "start",
    "item": "entretien",
    "lang": "fr",
    "fmt": "csv",
    "format": "csv",
    "short_name": "test",  # the test's network (public pages: its door, its open data)
}


@dataclass(frozen=True)
class Person:
    """What tests need of an account, as plain values (ORM objects expire between requests)."""

    id: int
    email: str
    name: str
    role: str


@dataclass(frozen=True)
class People:
    """One account per role (national staff too), plus a second holder, a project and a member
    ressourcerie."""

    coordinator: Person
    holder: Person
    other_holder: Person
    partner: Person
    member: Person
    national: Person
    project_id: int
    member_org_id: int

    def of(self, role: str) -> Person:
        return getattr(self, role)


def _person(user: Any) -> Person:
    return Person(user.id, user.email, user.name, user.role)


def make_people(make_user: Callable[..., Any], name: str = "") -> People:
    """Create the cast of a security test; `name` is appended to every name and text."""
    from accompagnement.members.models import Member
    from accompagnement.projects.services import add_comment, create_project

    coordinator = make_user("coordinator", name=f"Camille Coordination{name}")
    holder = make_user("holder", name=f"Hugo Porteur{name}")
    other_holder = make_user("holder", name=f"Hélène Autre{name}")
    partner = make_user("partner", name=f"Paula Partenaire{name}", departements=["87"])
    member_org = Member(name=f"Ressourcerie du Limousin{name}", contact_name=f"Marc{name}")
    db.session.add(member_org)
    db.session.flush()
    member = make_user("member", name=f"Martine Membre{name}", member_id=member_org.id)
    national = make_user(NATIONAL, name=f"Nadia Nationale{name}")
    project = create_project(
        f"Ressourcerie de Limoges{name}",
        workflow_name="creation-ressourcerie",
        user_id=coordinator.id,
        holder_ids=[holder.id],
        commune_insee="87085",
    )
    add_comment(project.id, f"Premier échange{name}", user_id=coordinator.id)
    add_comment(project.id, f"Réponse{name}", user_id=holder.id)
    db.session.commit()
    people = People(
        *(_person(u) for u in (coordinator, holder, other_holder, partner, member, national)),
        project_id=project.id,
        member_org_id=member_org.id,
    )
    db.session.remove()
    return people


def login(client: FlaskClient, user: Any, password: str = PASSWORD, **data: str) -> FlaskClient:
    """Sign `user` in on `client` through the real form, and check it worked."""
    response = client.post("/auth/login", data={"email": user.email, "password": password, **data})
    assert response.status_code == 302, f"could not sign in {user.email}"
    return client


def client_for(app: Flask, who: str, people: People) -> FlaskClient:
    """Return a client signed in as the person of role `who` (anonymous: not signed in)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if who != ANONYMOUS:
        login(client, people.of(who))
    return client


def bearer_only(rule: Rule) -> bool:
    """Tell whether a route is the API's: it reads a bearer token, never the session cookie
    (without a token: 401, signed in or not; its roles are checked with tokens in tests/api)."""
    return rule.rule.startswith("/api/") and rule.endpoint not in {"api.openapi", "api.docs"}


def policy_of(app: Flask, endpoint: str) -> frozenset[str]:
    """Return who may call an endpoint, as declared with accompagnement.access."""
    return frozenset(getattr(app.view_functions[endpoint], "access_policy", frozenset()))


def rules(app: Flask, methods: set[str]) -> list[Rule]:
    """Return the rules (static files excepted) accepting one of `methods`, in a stable order."""
    found = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and set(rule.methods or ()) & methods
    ]
    return sorted(found, key=lambda rule: (rule.rule, rule.endpoint))


def sample_value(rule: Rule, name: str) -> Any:
    """Return a value for a URL parameter: 1 for ids, else a plausible key."""
    converter = rule._converters.get(name)  # noqa: SLF001 (no public accessor in Werkzeug)
    if converter is not None and type(converter).__name__ in {"IntegerConverter", "FloatConverter"}:
        return 1
    return SAMPLE_STRINGS.get(name, "1")


def build_url(app: Flask, rule: Rule) -> str:
    """Return a URL of the rule, its parameters filled with sample values."""
    values = {name: sample_value(rule, name) for name in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def build_urls(
    app: Flask, rule: Rule, candidates: Mapping[str, Sequence[Any]], limit: int = 60
) -> list[str]:
    """Return URLs of the rule for every combination of candidate parameter values.

    A parameter without candidates gets its sample value; at most `limit` URLs per rule.
    """
    names = sorted(rule.arguments)
    choices = [candidates.get(name) or [sample_value(rule, name)] for name in names]
    with app.test_request_context():
        return [
            url_for(rule.endpoint, **dict(zip(names, combination, strict=True)))
            for combination in itertools.islice(itertools.product(*choices), limit)
        ]


def rule_of(app: Flask, url: str) -> Rule:
    """Return the rule a URL of the app matches."""
    adapter = app.url_map.bind("localhost")
    rule, _arguments = adapter.match(url.split("?", 1)[0], method="GET", return_rule=True)
    return rule


def table_contents() -> dict[str, list[str]]:
    """Return every row of every table, as sorted text, read outside any open transaction."""
    db.session.remove()
    contents: dict[str, list[str]] = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            contents[table.name] = sorted(
                repr(tuple(row)) for row in conn.execute(sa.select(table))
            )
    return contents


def changed_tables(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    """Name the tables whose rows differ between two snapshots."""
    return [name for name in before if before[name] != after.get(name)]


@dataclass
class Visit:
    who: str
    rule: Rule
    url: str
    response: Any


def crawl(
    app: Flask,
    people: People,
    who: str,
    candidates: Mapping[str, Sequence[Any]] | None = None,
    extra: Iterable[str] = (),
) -> Iterator[Visit]:
    """GET every GET route of the app as `who`, then the `extra` URLs.

    Parameters are filled with sample values, or with every combination of `candidates` (real
    ids of planted objects: on PostgreSQL ids do not restart at 1 after each test).
    """
    client = client_for(app, who, people)
    for rule in rules(app, {"GET"}):
        urls = build_urls(app, rule, candidates) if candidates else [build_url(app, rule)]
        for url in urls:
            yield Visit(who, rule, url, client.get(url))
    for url in extra:
        yield Visit(who, rule_of(app, url), url, client.get(url))


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_of(html: str) -> str:
    """Return the CSRF token of the first form of a page."""
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)
