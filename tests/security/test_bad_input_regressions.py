"""Bugs the form fuzzing found (checklist item 11: bad input never gives a 500), each kept as a
regression test with its exact input. All were 500 errors (or, for the FTE, a value beyond its
column stored on SQLite) before commit 54ce3b3:

- a NUL character in any text reaching PostgreSQL (psycopg DataError "PostgreSQL text fields
  cannot contain NUL (0x00) bytes"): now refused at the door with a 400 page;
- a holder id or a stage form's member id beyond the INTEGER range (PostgreSQL "integer out of
  range", SQLite OverflowError);
- 100000 FTE: accepted by the observatory's check, but the column is NUMERIC(7,2);
- "²" as a revision or a year: "²".isdigit() is true but int("²") raises ValueError;
- a member name with an accented capital saved twice on SQLite, whose lower() folded ASCII only:
  the duplicate check missed it and UNIQUE(members.name) raised IntegrityError.

And, fixed in commit 080b30e: the first version of the NUL door read only the first value of
each name (a NUL in a repeated field, a multiple choice or ?q=a&q=b, got past it), and a member's
web address with an unbalanced IPv6 bracket made urlsplit() raise ValueError: 500.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from security_fuzz import REPORT_YEAR, Cast, has_error
from security_suite import ANONYMOUS, client_for

NUL = "Ressourcerie\x00"


def _valid_activity(**changes: str) -> dict[str, str]:
    return {
        "date": "2024-01-02",
        "type": "animation",
        "title": "Atelier",
        "status": "done",
    } | changes


def _valid_member(**changes: str) -> dict[str, str]:
    return {
        "name": "Recyclerie",
        "kind": "ressourcerie",
        "insee": "87085",
        "functions": "vente",
    } | (changes)


# (method, url with {project}, form data) of every request found to fail with a NUL on PostgreSQL.
NOT_ALLOWED = "The request holds a character that is not allowed."
NUL_INPUTS = [
    ("GET", f"/projects/?q={NUL}", None),
    ("POST", "/projects/new", {"name": NUL, "workflow": "creation-ressourcerie"}),
    ("POST", "/projects/{project}/comments", {"body": NUL}),
    (
        "POST",
        "/projects/{project}/transition",
        {"trigger": "pause", "expected_state": "premier_contact", "reason": NUL},
    ),
    ("POST", "/projects/{project}/holders/invite", {"name": NUL, "email": "z@example.org"}),
    ("POST", "/admin/users/new", {"name": NUL, "email": "n@example.org", "role": "holder"}),
    ("POST", "/activities/new", _valid_activity(title=NUL)),
    ("POST", "/activities/new", _valid_activity(partner=NUL)),
    ("POST", "/activities/new", _valid_activity(notes=NUL)),
    ("POST", "/members/new", _valid_member(name=NUL)),
    ("POST", "/members/new", _valid_member(contact_name=NUL)),
    ("POST", "/members/new", _valid_member(insee="87990", departement="87", commune=NUL)),
    ("POST", "/members/new", _valid_member(insee="87\x00")),
]


@pytest.mark.parametrize(("method", "url", "data"), NUL_INPUTS)
def test_a_nul_character_is_refused_not_a_crash(
    cast: Cast, method: str, url: str, data: dict[str, str] | None
) -> None:
    response = cast.client.open(
        url.format(project=cast.people.project_id), method=method, data=data
    )
    assert response.status_code == 400
    assert NOT_ALLOWED in response.get_data(as_text=True)


def test_a_nul_character_in_a_login_is_refused_not_a_crash(app: Any, cast: Cast) -> None:
    visitor = client_for(app, ANONYMOUS, cast.people)
    response = visitor.post("/auth/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert NOT_ALLOWED in response.get_data(as_text=True)


def test_a_holder_id_beyond_the_integer_range_is_refused(cast: Cast) -> None:
    data = {"name": "Projet", "workflow": "creation-ressourcerie", "holders": str(10**20)}
    response = cast.client.post("/projects/new", data=data)
    assert response.status_code == 400
    assert has_error(response, "holders")


def test_a_member_id_beyond_the_integer_range_is_refused_in_a_stage_form(cast: Cast) -> None:
    project = cast.people.project_id
    data = {"visits-0-member": "999999999999", "action": "draft", "base_revision": "0"}
    response = cast.client.post(f"/projects/{project}/forms/visites/edit", data=data)
    assert response.status_code == 400
    assert has_error(response, "f-visits-0-member")


def test_an_fte_beyond_its_column_is_refused_with_a_message(cast: Cast) -> None:
    member, year = cast.people.member_org_id, REPORT_YEAR
    data = {"fte": "100000", "revision": "0"}
    response = cast.client.post(f"/observatory/members/{member}/{year}", data=data)
    assert response.status_code == 400
    assert has_error(response, "fte")


def _unicode_digit_requests(cast: Cast) -> dict[str, Callable[[], Any]]:
    client, project, member = cast.client, cast.people.project_id, cast.people.member_org_id
    csv = f"member;year\n{member};²\n".encode()
    return {
        "stage form base_revision": lambda: client.post(
            f"/projects/{project}/forms/premier_contact/edit", data={"base_revision": "²"}
        ),
        "observatory report revision": lambda: client.post(
            f"/observatory/members/{member}/{REPORT_YEAR}", data={"revision": "²"}
        ),
        "observatory ?year=": lambda: client.get("/observatory/?year=²"),
        "observatory reports ?year=": lambda: client.get("/observatory/reports?year=²"),
        "observatory CSV import year": lambda: client.post(
            "/observatory/import", data={"file": (io.BytesIO(csv), "rapports.csv")}
        ),
    }


@pytest.mark.parametrize(
    "where",
    [
        "stage form base_revision",
        "observatory report revision",
        "observatory ?year=",
        "observatory reports ?year=",
        "observatory CSV import year",
    ],
)
def test_a_superscript_digit_is_refused_not_a_crash(cast: Cast, where: str) -> None:
    response = _unicode_digit_requests(cast)[where]()
    assert response.status_code < 500


def test_a_member_name_with_an_accented_capital_saved_twice_is_refused(cast: Cast) -> None:
    data = {"name": "Ressourcerie Éco", "kind": "ressourcerie", "insee": "87085"}
    data["functions"] = "vente"
    assert cast.client.post("/members/new", data=data).status_code == 302
    again = cast.client.post("/members/new", data=data)
    assert again.status_code < 500
    assert has_error(again, "name")


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("POST", "/projects/{project}/forms/dla/edit", {"themes": ["strategie", "x\x00"]}),
        ("GET", "/projects/?q=Limoges&q=x%00", None),
    ],
)
def test_a_nul_character_in_a_repeated_field_is_refused_at_the_door(
    cast: Cast, method: str, url: str, data: dict[str, Any] | None
) -> None:
    response = cast.client.open(
        url.format(project=cast.people.project_id), method=method, data=data
    )
    assert NOT_ALLOWED in response.get_data(as_text=True)


@pytest.mark.parametrize("website", ["http://[x", "https://[::1", "example.org]"])
def test_a_malformed_web_address_is_refused_with_a_message(cast: Cast, website: str) -> None:
    data = {"name": "Recyclerie", "kind": "ressourcerie", "insee": "87085", "functions": "vente"}
    response = cast.client.post("/members/new", data=data | {"website": website})
    assert response.status_code < 500
    assert has_error(response, "website")
