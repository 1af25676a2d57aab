"""Helpers of the form fuzzing tests (security checklist item 11): strategies of hostile input,
a cast created once per test, and snapshots of what a forged field could try to change.

The bugs the fuzzing found are kept as regression tests, each with its exact input, in
test_bad_input_regressions.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from security_planting import DANGEROUS, last_year
from security_suite import PAYLOAD, People, client_for, make_people

from accompagnement.extensions import db

INT32 = 2**31 - 1
REDIRECT = (302, 303)

FUZZ = settings(
    max_examples=30,
    deadline=None,
    # The cast is created once per test (a function-scoped fixture) and every example reuses
    # it: examples only add rows, and each one checks what it may and may not have changed.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any character a browser can send (UTF-8: no lone surrogates).
CHARACTERS = st.characters(codec="utf-8")
TRICKY = (
    "",
    " ",
    "\r\n",
    "\t\n ",
    "\u202e\u200b\ufeff",
    "😀🏳️‍🌈",
    "e\u0301",
    "' OR 1=1 --",
    "%(name)s %s {0}",
    "{{ 7*7 }}",
    "\x1b[31m\x07",
    "<>&\"'",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
)


def text(limit: int | None = None) -> st.SearchStrategy[str]:
    """Return hostile text: any unicode, tricky values, the XSS payload, lengths about `limit`."""
    options = [st.text(CHARACTERS, max_size=40), st.sampled_from(TRICKY), st.just(PAYLOAD)]
    if limit:
        options += [around(limit), around(limit)]  # weighted: lengths at the limit matter most
    return st.one_of(options)


def around(limit: int) -> st.SearchStrategy[str]:
    """Return text of `limit - 2` to `limit + 3` characters (a repeated short unit: cheap)."""
    units = st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=3)
    return st.builds(lambda unit, n: (unit * n)[:n], units, st.integers(limit - 2, limit + 3))


def revision_text(current: int) -> st.SearchStrategy[str]:
    """Return the revision a form was opened on: mostly the current one, else anything."""
    odd = st.one_of(st.sampled_from(["0", "-1", "99999999999", "²", f" {current} "]), text(5))
    return st.one_of(st.just(str(current)), st.just(str(current)), odd)


def words(max_size: int = 60) -> st.SearchStrategy[str]:
    """Return a plausible non-blank text: any characters, or the XSS payload."""
    plain = st.text(CHARACTERS, min_size=1, max_size=max_size).filter(str.strip)
    return st.one_of(plain, st.just(PAYLOAD))


def mixed(
    valid: dict[str, st.SearchStrategy[Any]], hostile: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Return form data: valid values, up to three of them hostile, up to two left out.

    Mostly valid input reaches the services and the database (a fully random form is refused
    by its first check); the hostile fields then test each check on its own.
    """

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        posted = {name: draw(strategy, label=name) for name, strategy in valid.items()}
        names = st.lists(st.sampled_from(sorted(hostile)), unique=True, max_size=3)
        for name in draw(names, label="hostile fields"):
            posted[name] = draw(hostile[name], label=f"hostile {name}")
        left_out = st.lists(st.sampled_from(sorted(posted)), unique=True, max_size=2)
        for name in draw(left_out, label="left out"):
            posted.pop(name)
        return posted

    return build()


def number_text() -> st.SearchStrategy[str]:
    """Return numbers as people type them, huge and odd ones included, or any text."""
    return st.one_of(
        st.integers(-(10**3), 10**15).map(str),
        st.decimals(-1, 10**12, places=3, allow_nan=False, allow_infinity=False).map(str),
        st.sampled_from(["1 234,5", "12,5 t", "100 %", "1e3", "NaN", "-0", "0,05", "99999,99"]),
        # The observatory's maxima and the first values beyond its columns.
        st.sampled_from(["10000", "100000", "1000000", "10000000", "1000000000", "2147483648"]),
        text(30),
    )


def ids(people: People, *names: str) -> st.SearchStrategy[str]:
    """Return ids as form values: those of the cast, odd numbers, or any text."""
    known = [str(getattr(people, name).id) for name in names]
    low, high = -(10**20), 10**20  # far beyond the columns' INTEGER
    return st.one_of(st.sampled_from(known), st.integers(low, high).map(str), text(12))


def forged(people: People, *legit: str) -> st.SearchStrategy[dict[str, str]]:
    """Return extra fields a form does not have, trying to change state, owner or role."""
    other = str(people.other_holder.id)
    values = st.one_of(
        st.sampled_from(["ouverte", "abandonne", "coordinator", "former", "1", "99", other]),
        text(20),
    )
    names = [name for name in FORGED_NAMES if name not in legit]
    return st.dictionaries(st.sampled_from(names), values, max_size=5)


FORGED_NAMES = (
    "state",
    "return_state",
    "owner_id",
    "project_id",
    "role",
    "user_id",
    "author_id",
    "created_by_id",
    "updated_by_id",
    "member_id",
    "holders",
    "status",
    "workflow_version",
    "lock_version",
    "revision",
    "active",
    "id",
    "created_at",
)


@dataclass(frozen=True)
class Cast:
    """The people of a fuzzing test, a second project (someone else's) and signed-in clients."""

    people: People
    other_project_id: int
    client: FlaskClient  # the coordinator's
    holder_client: FlaskClient  # the holder's, of project `people.project_id` only

    def client_of(self, who: str) -> FlaskClient:
        """Return the client of the coordinator or of the holder."""
        return {"coordinator": self.client, "holder": self.holder_client}[who]


def make_cast(app: Flask, make_user: Callable[..., Any]) -> Cast:
    """Create the cast once for a test; every example of the test reuses it."""
    from accompagnement.projects.services import create_project

    people = make_people(make_user)
    other = create_project(
        "Projet d'une autre porteuse",
        workflow_name="creation-ressourcerie",
        user_id=people.coordinator.id,
        holder_ids=[people.other_holder.id],
        commune_insee="87085",
    )
    db.session.commit()
    other_id = other.id
    db.session.remove()
    return Cast(
        people,
        other_id,
        client_for(app, "coordinator", people),
        client_for(app, "holder", people),
    )


def guarded() -> dict[str, Any]:
    """Return what no form may change through a forged field: projects, accounts, members."""
    from accompagnement.auth.models import User
    from accompagnement.members.models import Member
    from accompagnement.projects.models import Project, project_holders

    db.session.remove()
    holders: dict[int, list[int]] = {}
    for project_id, user_id in db.session.execute(sa.select(project_holders)):
        holders.setdefault(project_id, []).append(user_id)
    snapshot = {
        "projects": {
            p.id: (
                p.name,
                p.state,
                p.return_state,
                p.workflow_version,
                sorted(holders.get(p.id, [])),
            )
            for p in db.session.scalars(sa.select(Project))
        },
        "users": {
            u.id: (u.email, u.name, u.role, u.active, u.member_id, u.session_token)
            for u in db.session.scalars(sa.select(User))
        },
        "members": {
            m.id: (m.name, m.status, m.project_id, m.left_on)
            for m in db.session.scalars(sa.select(Member))
        },
    }
    db.session.remove()
    return snapshot


def unchanged(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Name what changed among the rows that existed before (new rows are the form's job)."""
    return [
        f"{kind} {key}: {old} -> {after[kind].get(key)}"
        for kind, rows in before.items()
        for key, old in rows.items()
        if after[kind].get(key) != old
    ]


def check_answer(client: FlaskClient, response: Any) -> None:
    """Never a 500; no unescaped payload in the answer, nor on the page it redirects to."""
    assert response.status_code < 500, response.status_code
    pages = [response]
    if response.status_code in (301, 302, 303):
        pages.append(client.get(response.headers["Location"]))
        assert pages[-1].status_code < 500, pages[-1].status_code
    for page in pages:
        html = page.get_data(as_text=True)
        assert not [s for s in DANGEROUS if s in html], "payload unescaped in the answer"


def holds_nul(posted: Mapping[str, Any]) -> bool:
    """Say whether form data holds a NUL character (refused at the door: a 400 page)."""
    texts = [*posted, *(v for v in posted.values() if isinstance(v, str))]
    texts += [x for v in posted.values() if isinstance(v, list) for x in v]
    return any("\x00" in text for text in texts)


def has_error(response: Any, field_id: str) -> bool:
    """Say whether the answer shows an error message tied to a field (any field: "")."""
    page = response.get_data(as_text=True)
    field = re.escape(field_id) if field_id else '[^"]+'
    return bool(re.search(rf'<p class="error" id="{field}-error">\s*\S', page))


def column_length(model: Any, column: str) -> int | None:
    """Return the length of a string column (None for TEXT)."""
    return getattr(model.__table__.c[column].type, "length", None)


def column_capacity(model: Any, column: str) -> Decimal:
    """Return the first value a numeric or integer column cannot hold."""
    kind = model.__table__.c[column].type
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float) and kind.precision:
        return Decimal(10) ** (kind.precision - (kind.scale or 0))
    return Decimal(INT32 + 1)


def created_id(response: Any, prefix: str) -> int:
    """Return the id of the object a successful creation redirected to."""
    match = re.search(rf"{re.escape(prefix)}(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


REPORT_YEAR = last_year()


def typed(value: str | None) -> str:
    """Return a text as the app keeps it: trimmed, with Unix line ends."""
    return (value or "").strip().replace("\r\n", "\n")


def one_line(value: str | None) -> str:
    """Return a text as single-line fields keep it: inner runs of spaces made one."""
    return " ".join((value or "").split())


def dates() -> st.SearchStrategy[str]:
    """Return dates as typed in a date input, or anything else."""
    days = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    return st.one_of(days.map(dt.date.isoformat), days.map(lambda d: f"{d:%d/%m/%Y}"), text(12))


def post_checked(client: FlaskClient, url: str, posted: Mapping[str, Any]) -> Any | None:
    """Post hostile values: never a 500, nothing guarded changed, a NUL refused at the door.

    Return the answer to check further, or None when a NUL was refused (nothing more to see).
    """
    from hypothesis import event

    before = guarded()
    response = client.post(url, data=posted)
    check_answer(client, response)
    event(f"answer {response.status_code}")
    assert unchanged(before, guarded()) == []
    if holds_nul(posted):
        assert response.status_code == 400  # refused at the door, before any form
        return None
    return response


def post_fuzzed(
    data: st.DataObject,
    cast: Cast,
    url: str,
    valid: dict[str, st.SearchStrategy[Any]],
    hostile: dict[str, st.SearchStrategy[Any]],
) -> tuple[dict[str, Any], Any | None]:
    """Draw a mostly valid form with hostile and forged fields, post it as the coordinator and
    check it as post_checked does; return what was posted and the answer (None: NUL refused)."""
    posted = data.draw(mixed(valid, hostile))
    posted.update(data.draw(forged(cast.people, *hostile)))
    return posted, post_checked(cast.client, url, posted)
