"""Limits match the database columns (checklist item 11): a text exactly as long as its column
is saved whole, one character more is refused with a message next to the field and nothing is
saved; a figure the column cannot hold is refused. Limits are read from the models, so a column
made shorter without its form makes these tests fail. "é" is used: lengths are characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from security_fuzz import REDIRECT, REPORT_YEAR, Cast, column_capacity, column_length, has_error

from accompagnement.extensions import db


def _last(model: Any, attribute: str) -> Callable[[Cast], Any]:
    """Return a reader of an attribute of the newest row of a model."""

    def read(_cast: Cast) -> Any:
        db.session.remove()
        row = db.session.scalars(sa.select(model).order_by(model.id.desc()).limit(1)).first()
        return getattr(row, attribute, None)

    return read


def _form_value(stage: str, path: str) -> Callable[[Cast], Any]:
    """Return a reader of a value of the newest revision of a stage form (`group.0.key`)."""

    def read(cast: Cast) -> Any:
        from accompagnement.projects.queries import latest_form

        db.session.remove()
        saved = latest_form(cast.people.project_id, stage)
        value: Any = saved.data if saved else {}
        for part in path.split("."):
            value = value[int(part)] if isinstance(value, list) else (value or {}).get(part)
        return value

    return read


def _notes_max() -> int:
    from accompagnement.activities.services import NOTES_MAX

    return NOTES_MAX


def _email(length: int) -> str:
    """Return a valid e-mail address of exactly `length` characters (labels of 63 at most)."""
    domain, rest = [], length - len("a" * 64 + "@") - len(".org")
    while rest > 0:
        label = min(63, rest - (1 if domain else 0))
        rest -= label + (1 if domain else 0)
        domain.append("b" * label)
    return "a" * 64 + "@" + ".".join(domain) + ".org"


@dataclass(frozen=True)
class Limit:
    """One text input, the form around it, and how to read back what was saved."""

    name: str
    url: str
    field: str
    limit: Callable[[], int]
    stored: Callable[[Cast], Any]
    others: dict[str, str] = field(default_factory=dict)
    make: Callable[[int], str] = lambda n: "é" * n
    input_id: str = ""
    saved_status: tuple[int, ...] = REDIRECT


def _limits() -> list[Limit]:
    from accompagnement.activities.models import Activity
    from accompagnement.auth.models import User
    from accompagnement.members.models import Member
    from accompagnement.projects.models import Comment, Project

    activity = {"date": "2024-01-02", "type": "animation", "title": "Atelier", "status": "done"}
    member = {"name": "Recyclerie", "kind": "ressourcerie", "insee": "87085", "functions": "vente"}
    draft = {"action": "draft", "base_revision": "0"}
    edit = "/projects/{project}/forms/{stage}/edit"
    return [
        Limit(
            "activity title",
            "/activities/new",
            "title",
            lambda: column_length(Activity, "title"),
            _last(Activity, "title"),
            activity,
        ),
        Limit(
            "activity partner",
            "/activities/new",
            "partner",
            lambda: column_length(Activity, "partner"),
            _last(Activity, "partner"),
            activity,
        ),
        Limit(
            "activity notes (TEXT: the service's limit)",
            "/activities/new",
            "notes",
            _notes_max,
            _last(Activity, "notes"),
            activity,
        ),
        Limit(
            "member name",
            "/members/new",
            "name",
            lambda: column_length(Member, "name"),
            _last(Member, "name"),
            member,
        ),
        Limit(
            "member contact name",
            "/members/new",
            "contact_name",
            lambda: column_length(Member, "contact_name"),
            _last(Member, "contact_name"),
            member | {"name": "Recyclerie 2"},
        ),
        Limit(
            "member contact e-mail",
            "/members/new",
            "contact_email",
            lambda: column_length(Member, "contact_email"),
            _last(Member, "contact_email"),
            member | {"name": "Recyclerie 3"},
            _email,
        ),
        Limit(
            "member contact phone",
            "/members/new",
            "contact_phone",
            lambda: column_length(Member, "contact_phone"),
            _last(Member, "contact_phone"),
            member | {"name": "Recyclerie 4"},
            lambda n: "0" * n,
        ),
        Limit(
            "member website",
            "/members/new",
            "website",
            lambda: column_length(Member, "website"),
            _last(Member, "website"),
            member | {"name": "Recyclerie 5"},
            lambda n: ("https://example.org/" + "a" * n)[:n],
        ),
        Limit(
            "project name",
            "/projects/new",
            "name",
            lambda: column_length(Project, "name"),
            _last(Project, "name"),
            {"workflow": "creation-ressourcerie"},
        ),
        Limit(
            "comment (TEXT: the service's limit)",
            "/projects/{project}/comments",
            "body",
            lambda: 5000,
            _last(Comment, "body"),
        ),
        Limit(
            "holder invited to a project",
            "/projects/{project}/holders/invite",
            "name",
            lambda: column_length(User, "name"),
            _last(User, "name"),
            {"email": "nouvelle@example.org"},
        ),
        Limit(
            "account invited by a coordinator",
            "/admin/users/new",
            "name",
            lambda: column_length(User, "name"),
            _last(User, "name"),
            {"email": "invitee@example.org", "role": "holder"},
        ),
        Limit(
            "stage form text (premier_contact.project_name)",
            edit.replace("{stage}", "premier_contact"),
            "project_name",
            lambda: 200,
            _form_value("premier_contact", "project_name"),
            draft,
            input_id="f-project_name",
        ),
        Limit(
            "stage form long text (premier_contact.motivations)",
            edit.replace("{stage}", "premier_contact"),
            "motivations",
            lambda: 5000,
            _form_value("premier_contact", "motivations"),
            draft,
            input_id="f-motivations",
        ),
        Limit(
            "stage form group text (premier_contact.communes.name, max_length 100)",
            edit.replace("{stage}", "premier_contact"),
            "communes-0-name",
            lambda: 100,
            _form_value("premier_contact", "communes.0.name"),
            draft,
            input_id="f-communes-0-name",
        ),
        Limit(
            "stage form text with max_length 300 (ouverture.address)",
            edit.replace("{stage}", "ouverture"),
            "address",
            lambda: 300,
            _form_value("ouverture", "address"),
            draft,
            input_id="f-address",
        ),
    ]


LIMITS = _limits()


@pytest.mark.parametrize("case", LIMITS, ids=[case.name for case in LIMITS])
def test_a_text_as_long_as_its_column_is_kept_whole_and_one_more_is_refused(
    cast: Cast, case: Limit
) -> None:
    url = case.url.format(project=cast.people.project_id)
    limit = case.limit()
    before = case.stored(cast)

    refused = cast.client.post(url, data=case.others | {case.field: case.make(limit + 1)})
    assert refused.status_code in (200, 400), refused.status_code
    assert has_error(refused, case.input_id or case.field), "no message next to the field"
    assert case.stored(cast) == before, "saved although refused"

    accepted = cast.client.post(url, data=case.others | {case.field: case.make(limit)})
    assert accepted.status_code in case.saved_status, accepted.status_code
    assert case.stored(cast) == case.make(limit), "not saved whole"


def test_the_stage_form_limits_are_those_of_the_workflow() -> None:
    """The limits above are the workflow's: a changed definition shows up here first."""
    from accompagnement.engine.values import DEFAULT_MAX_LENGTH
    from accompagnement.workflows.services import latest_workflow

    workflow = latest_workflow("creation-ressourcerie")
    communes = workflow.stage("premier_contact").field("communes")
    assert communes is not None and communes.subfield("name") is not None
    assert communes.subfield("name").max_length == 100  # type: ignore[union-attr]
    assert workflow.stage("ouverture").field("address").max_length == 300  # type: ignore[union-attr]
    assert DEFAULT_MAX_LENGTH == {"text": 200, "long_text": 5000, "organisation": 200}


def _indicators() -> list[str]:
    from accompagnement.observatory.indicators import INDICATORS

    return [indicator.key for indicator in INDICATORS]


@pytest.mark.parametrize("key", _indicators())
def test_the_largest_figure_accepted_fits_its_column(cast: Cast, key: str) -> None:
    from accompagnement.observatory.indicators import BY_KEY
    from accompagnement.observatory.models import ObservatoryReport
    from accompagnement.observatory.services import find_report

    member, largest = cast.people.member_org_id, BY_KEY[key].maximum
    url = f"/observatory/members/{member}/{REPORT_YEAR}"

    beyond = cast.client.post(url, data={key: str(column_capacity(ObservatoryReport, key))})
    assert beyond.status_code == 400 and has_error(beyond, key)

    response = cast.client.post(url, data={key: str(largest), "revision": "0"})
    assert response.status_code < 500
    if response.status_code in REDIRECT:
        db.session.remove()
        saved = getattr(find_report(member, REPORT_YEAR), key)
        assert saved == largest < column_capacity(ObservatoryReport, key)
