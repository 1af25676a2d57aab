"""Bad input never gives a 500 (ASVS V2.2.1, checklist item 11), forged fields change nothing
(item 7), and a value beyond its column is refused with a message, never truncated: the
network's forms (an activity, a member, an observatory report) and the login form, fuzzed with
Hypothesis.

As a signed-in coordinator (anonymous for the login; CSRF is off in the test app), Hypothesis
posts mostly valid forms with up to three hostile fields (arbitrary text, unicode, very long
values, odd numbers and dates) and up to two left out, plus extra forged fields. Every answer is
2xx/3xx/4xx and escapes what it echoes; existing projects, accounts and members are unchanged;
what a form saved is exactly what was typed. Bugs found: test_bad_input_regressions.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import assume, event, given
from hypothesis import strategies as st
from security_fuzz import (
    FUZZ,
    INT32,
    REDIRECT,
    REPORT_YEAR,
    Cast,
    around,
    check_answer,
    column_capacity,
    column_length,
    created_id,
    dates,
    forged,
    guarded,
    has_error,
    holds_nul,
    mixed,
    number_text,
    one_line,
    post_fuzzed,
    revision_text,
    text,
    typed,
    unchanged,
    words,
)
from security_suite import ANONYMOUS, PASSWORD, client_for, make_people

from accompagnement.extensions import db

# --- Activity ------------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_activity_form_survives_any_input(cast: Cast, data: st.DataObject) -> None:
    from accompagnement.activities.models import Activity, VisitorType
    from accompagnement.activities.services import NOTES_MAX
    from accompagnement.network.models import ActivityType

    limits = {
        "title": column_length(Activity, "title"),
        "partner": column_length(Activity, "partner"),
        "notes": column_length(Activity, "notes") or NOTES_MAX,
    }
    past = st.dates(dt.date(2000, 1, 1), dt.date.today()).map(dt.date.isoformat)
    types = [t.value for t in ActivityType if t != ActivityType.VISITE]
    valid = {
        "date": past,
        "type": st.sampled_from(types),
        "title": words(),
        "members": st.lists(st.just(str(cast.people.member_org_id)), max_size=1),
        "partner": st.one_of(st.just(""), words()),
        "participants": st.one_of(st.just(""), st.integers(0, 1000).map(str)),
        "notes": st.one_of(st.just(""), words(200)),
        "status": st.just("done"),
    }
    hostile = {
        "date": dates(),
        "end_date": dates(),
        "type": st.one_of(st.sampled_from([t.value for t in ActivityType]), text(40)),
        "title": text(limits["title"]),
        "members": st.lists(
            st.one_of(st.integers(-5, INT32).map(str), text(5)), min_size=1, max_size=3
        ),
        "visitor": st.one_of(st.sampled_from([v.value for v in VisitorType]), text(20)),
        "partner": text(limits["partner"]),
        "participants": number_text(),
        "notes": text(limits["notes"]),
        "status": st.one_of(st.sampled_from(["done", "planned"]), text(10)),
    }
    posted, response = post_fuzzed(data, cast, "/activities/new", valid, hostile)
    if response is None:
        return
    kept = {
        "title": one_line(posted.get("title")),
        "partner": typed(posted.get("partner")),
        "notes": typed(posted.get("notes")),
    }
    for name in (name for name, limit in limits.items() if len(kept[name]) > limit):
        assert response.status_code == 400, f"{name} longer than its column not refused"
        assert has_error(response, name), f"no message next to {name}"
    if response.status_code in REDIRECT:
        activity = db.session.get(Activity, created_id(response, "/activities/"))
        assert activity is not None
        assert (activity.title, activity.partner or "", activity.notes or "") == (
            kept["title"],
            kept["partner"],
            kept["notes"],
        )
        assert activity.created_by_id == cast.people.coordinator.id


# --- Member --------------------------------------------------------------------------------------


def _website(raw: str) -> str | None:
    """Return a web address as the directory keeps it (https:// added when missing)."""
    url = raw.strip()
    if not url:
        return None
    return url if "://" in url else "https://" + url


@FUZZ
@given(data=st.data())
def test_member_form_survives_any_input(cast: Cast, data: st.DataObject) -> None:
    from accompagnement.members.models import FUNCTIONS, Member
    from accompagnement.territory.models import Commune

    limits = {
        name: column_length(Member, name)
        for name in ("name", "contact_name", "contact_email", "contact_phone", "website")
    }
    long_url = st.integers(limits["website"] - 3, limits["website"] + 3).map(
        lambda n: ("https://example.org/" + "a" * n)[:n]
    )
    valid = {
        "name": words(),
        "kind": st.sampled_from(["ressourcerie", "recyclerie"]),
        "insee": st.just("87085"),
        "joined_on": st.one_of(st.just(""), st.dates(max_value=dt.date.today()).map(str)),
        "functions": st.lists(st.sampled_from(FUNCTIONS), min_size=1, unique=True),
        "contact_name": st.one_of(st.just(""), words()),
        "contact_email": st.sampled_from(["", "contact@example.org", "élise@exemple.fr"]),
        "contact_phone": st.sampled_from(["", "05 55 00 00 00", "+33 (0)5.55.00.00.00"]),
        "website": st.sampled_from(["", "https://example.org", "example.org/a?b=c"]),
    }
    hostile = {
        "name": text(limits["name"]),
        "kind": text(),
        # The commune is typed: an INSEE code, a postal code or a name, resolved by the server.
        "insee": st.one_of(
            st.sampled_from(["87990", "87991", "2A004", "", "gueret", "Limoges (87085)", "23000"]),
            text(40),
        ),
        "joined_on": dates(),
        "functions": st.lists(st.one_of(st.sampled_from(FUNCTIONS), text(12)), max_size=4),
        "contact_name": text(limits["contact_name"]),
        "contact_email": text(limits["contact_email"]),
        "contact_phone": st.one_of(
            around(limits["contact_phone"]).map(lambda t: re.sub(r"\D", "0", t)),
            text(limits["contact_phone"]),
        ),
        "website": st.one_of(
            st.sampled_from(["javascript:alert(1)", "http://x", "https://a b.org", "http://[x"]),
            long_url,
            text(limits["website"]),
        ),
    }
    posted, response = post_fuzzed(data, cast, "/members/new", valid, hostile)
    if response is None:
        return
    kept = {
        "name": one_line(posted.get("name")),
        "contact_name": one_line(posted.get("contact_name")),
        "contact_email": (posted.get("contact_email") or "").strip(),
        "contact_phone": one_line(posted.get("contact_phone")),
        "website": _website(posted.get("website") or "") or "",
    }
    for name in (name for name, limit in limits.items() if len(kept[name]) > limit):
        assert response.status_code not in REDIRECT, f"{name} longer than its column saved"
        # Typed too long: told at once. Made too long ("https://" added): told once the form's
        # other errors are corrected (the service checks it after the form).
        typed_too_long = len(posted.get(name) or "") > limits[name]
        assert has_error(response, name if typed_too_long else ""), f"no message for {name}"
    if response.status_code in REDIRECT:
        member = db.session.get(Member, created_id(response, "/members/"))
        assert member is not None
        assert (member.status, member.project_id, member.left_on) == ("member", None, None)
        assert member.name == kept["name"]
        assert (member.contact_name or "", member.contact_phone or "") == (
            kept["contact_name"],
            kept["contact_phone"],
        )
        assert (member.website or "") == kept["website"]
        # Whatever was typed, what is stored is a current commune of the geography.
        assert db.session.get(Commune, member.commune_insee) is not None


# --- Observatory report --------------------------------------------------------------------------


def _typed_figure(raw: str | None, unit: str) -> Decimal | None | str:
    """Return the number a person meant ("1 234,5 t"), None for a blank, "?" if none."""
    compact = re.sub(r"[\s\u00a0\u202f']", "", raw or "")
    compact = compact.removesuffix(unit) if unit else compact
    if not compact:
        return None
    try:
        number = Decimal(compact.replace(",", "."))
    except InvalidOperation:
        return "?"
    return number if number.is_finite() else "?"


@FUZZ
@given(data=st.data())
def test_observatory_report_form_survives_any_input(cast: Cast, data: st.DataObject) -> None:
    from accompagnement.observatory.indicators import INDICATORS
    from accompagnement.observatory.models import ObservatoryReport
    from accompagnement.observatory.services import find_report

    member_id, year = cast.people.member_org_id, REPORT_YEAR
    fields = {indicator.key: number_text() for indicator in INDICATORS}
    # Figures no rule ties to another: valid on their own.
    valid = {
        "turnover": st.decimals(0, 10**6, places=2).map(str),
        "women_percent": st.decimals(0, 100, places=1).map(lambda d: str(d).replace(".", ",")),
        **{key: st.integers(0, 10**6).map(str) for key in ("sales_count", "volunteers")},
    }
    posted = data.draw(mixed(valid, fields))
    db.session.remove()
    report = find_report(member_id, year)
    current = report.revision if report else 0
    posted["revision"] = data.draw(revision_text(current), label="revision")
    posted.update(data.draw(forged(cast.people, "revision", *fields)))
    before = guarded()

    response = cast.client.post(f"/observatory/members/{member_id}/{year}", data=posted)

    check_answer(cast.client, response)
    event(f"answer {response.status_code}")
    assert unchanged(before, guarded()) == []
    if holds_nul(posted):
        assert response.status_code == 400  # refused at the door, before any form
        return
    figures = {i.key: _typed_figure(posted.get(i.key), i.unit) for i in INDICATORS}
    if response.status_code in REDIRECT:
        saved = find_report(member_id, year)
        assert saved is not None and saved.updated_by_id == cast.people.coordinator.id
        for key, figure in figures.items():
            value = getattr(saved, key)
            assert value == figure, f"{key}: typed {posted.get(key)!r}, saved {value!r}"
            if value is not None:
                assert abs(value) < column_capacity(ObservatoryReport, key), key
    elif response.status_code != 409:  # an edit of a stale revision is refused first
        for key, figure in figures.items():
            if isinstance(figure, Decimal) and figure >= column_capacity(ObservatoryReport, key):
                assert response.status_code == 400
                assert has_error(response, key), f"no message next to {key}"


# --- Login ---------------------------------------------------------------------------------------


@pytest.fixture
def visitor(app: Flask, make_user: Callable[..., Any]) -> tuple[FlaskClient, Any]:
    people = make_people(make_user)
    return client_for(app, ANONYMOUS, people), people


@FUZZ
@given(data=st.data())
def test_login_form_survives_any_input(
    visitor: tuple[FlaskClient, Any], data: st.DataObject
) -> None:
    from accompagnement.auth.models import User
    from accompagnement.auth.passwords import MAX_LENGTH

    client, people = visitor
    limits = {"email": column_length(User, "email"), "password": MAX_LENGTH}
    emails = [people.coordinator.email, people.holder.email, "nobody@example.org"]
    fields = {
        "email": st.one_of(st.sampled_from(emails), text(limits["email"])),
        "password": text(limits["password"]),
        "remember": st.one_of(st.sampled_from(["y", ""]), text(5)),
        "next": st.one_of(st.sampled_from(["//evil.example", "/admin/users"]), text(20)),
    }
    posted = data.draw(st.fixed_dictionaries({}, optional=fields))
    assume(posted.get("password") != PASSWORD)
    posted.update(data.draw(forged(people, *fields)))
    before = guarded()

    response = client.post("/auth/login", data=posted)

    check_answer(client, response)
    event(f"answer {response.status_code}")
    assert response.status_code not in REDIRECT, "signed in without the password"
    assert client.get("/auth/account").status_code in REDIRECT  # still anonymous
    assert unchanged(before, guarded()) == []
    if holds_nul(posted):
        assert response.status_code == 400  # refused at the door, before any form
        return
    for name, limit in limits.items():
        if len(posted.get(name) or "") > limit:
            assert has_error(response, name), f"no message next to {name}"
