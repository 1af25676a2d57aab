"""Plant an XSS payload in every free-text field of the app (security checklist item 10).

Each field gets its own tagged payload (`x01`, `x02`...), so a sweep can tell which fields reached
a page, escaped, and which page printed one raw. Values go in through the services, as a person
would type them; the few fields whose validation refuses markup (an e-mail address, a phone
number) are then written directly, as an import or an older version could have stored them:
escaping must not depend on input validation.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from security_suite import NATIONAL, People, Person

from accompagnement.extensions import db
from accompagnement.network.services import (
    OrganisationInput,
    Settings,
    save_organisation,
    setup_network,
)

# What must never reach a page unescaped: the payloads' tags, whatever wraps them.
DANGEROUS = ("<script>alert(", "<img src=x onerror", "\"'><img", "<svg onload")
NEW_COMMUNE = "87990"  # not among the communes of the demo territory


def escaped_marker(tag: str) -> str:
    """Return how a payload's tag reads once escaped by Jinja (quotes become &#34;)."""
    return f"alert(&#34;{tag}&#34;)"


def dangerous_in(page: str) -> list[str]:
    """Return the unescaped payload snippets found in a page."""
    return [snippet for snippet in DANGEROUS if snippet in page]


@dataclass
class Payloads:
    """A factory of tagged payloads that remembers where each one was planted."""

    where: dict[str, str] = field(default_factory=dict)
    prefix: str = ""  # tells the payloads of two plantings apart (one per network)

    def _tag(self, where: str) -> str:
        tag = f"{self.prefix}x{len(self.where) + 1:02d}"
        self.where[tag] = where
        return tag

    def __call__(self, where: str) -> str:
        """Return a payload (64 characters) breaking out of text, attributes and quotes."""
        tag = self._tag(where)
        return f'<script>alert("{tag}")</script>"\'><img src=x onerror=alert("{tag}")>'

    def short(self, where: str) -> str:
        """Return a payload of at most 30 characters, for the columns of 30 (an event handler
        when a network prefix makes the script tag too long)."""
        tag = self._tag(where)
        payload = f'<script>alert("{tag}")</script>'
        return payload if len(payload) <= 30 else f'<svg onload=alert("{tag}")>'

    def url(self, where: str) -> str:
        """Return a web address a member's website field accepts, breaking out of href."""
        return f'https://example.org/"><script>alert("{self._tag(where)}")</script>'

    def file_name(self, where: str) -> str:
        """Return an uploaded file name (no slash: the base name is kept)."""
        tag = self._tag(where)
        return f'<svg onload=alert("{tag}")>"\'><img src=x onerror=alert("{tag}")>.txt'


@dataclass(frozen=True)
class Planted:
    """The cast of the sweep, where each tag was planted, and the ids to fill URLs with."""

    people: People
    where: dict[str, str]
    candidates: dict[str, list[Any]]
    extra_urls: list[str]


def plant_everywhere(
    make_user: Callable[..., Any],
    prefix: str = "",
    short_name: str = "test",
    new_commune: str = NEW_COMMUNE,
) -> Planted:
    """Create users, members, projects, forms, activities... with a payload in every text, in
    the network in scope (`short_name` is given to it; `prefix` starts every tag)."""
    from accompagnement.projects.services import add_comment, create_project

    p = Payloads(prefix=prefix)
    coordinator = make_user("coordinator", name=f"Camille {p('coordinator name')}")
    holder = make_user("holder", name=f"Hugo {p('holder name')}")
    other_holder = make_user("holder", name=f"Hélène {p('other holder name')}")
    setup_network(Settings(name=f"Réseau {p('network name')}", short_name=short_name,
                           departements=["19", "23", "87"]))  # fmt: skip
    organisation = save_organisation(OrganisationInput(p("partner organisation")))
    partner = make_user("partner", name=f"Paula {p('partner name')}", departements=["87"])
    partner.organisation_id = organisation.id
    member_org, second_member = _members(p, coordinator.id, new_commune)
    member = make_user("member", name=f"Martine {p('member account name')}", member_id=member_org)
    national = make_user(NATIONAL, name="Nadia Nationale")  # of no network: nothing planted
    holder.phone = p.short("holder phone")
    project = create_project(
        f"Ressourcerie {p('project name')}",
        workflow_name="creation-ressourcerie",
        user_id=coordinator.id,
        holder_ids=[holder.id],
        commune_insee="87085",
    )
    joining = create_project(
        f"Adhésion {p('project name, adhesion-reseau')}",
        workflow_name="adhesion-reseau",
        user_id=coordinator.id,
        holder_ids=[holder.id],
        commune_insee="87085",
    )
    add_comment(project.id, p("comment of the coordinator"), user_id=coordinator.id)
    add_comment(project.id, p("comment of the holder"), user_id=holder.id)
    for each in (project, joining):
        _stage_forms(p, each.id, coordinator.id)
    document_id = _project_extras(p, project.id, coordinator.id)
    activity_ids = _activities(p, coordinator.id, member_org, second_member)
    year = last_year()
    _report(member_org, year, coordinator.id)
    saved_report = _saved_report(p, year, coordinator.id)
    db.session.commit()
    people = People(
        *(_person(u) for u in (coordinator, holder, other_holder, partner, member, national)),
        project_id=project.id,
        member_org_id=member_org,
    )
    candidates = {
        "project_id": [project.id, joining.id],
        "member_id": [member_org, second_member],
        "activity_id": activity_ids,
        "user_id": [u.id for u in (coordinator, holder, other_holder, partner, member)],
        "document_id": [document_id],
        "year": [year],
        "stage": _stage_keys(),
        "report_id": [saved_report],
    }
    db.session.remove()
    return Planted(people, p.where, candidates, _extra_urls(project.id, year, saved_report))


def _person(user: Any) -> Person:
    return Person(user.id, user.email, user.name, user.role)


def last_year() -> int:
    """Return the last full calendar year (the reports' default period)."""
    return dt.date.today().year - 1


def _members(p: Payloads, coordinator_id: int, new_commune: str) -> tuple[int, int]:
    """Create two members through the directory's service, one on a commune it creates."""
    from accompagnement.members.models import Member
    from accompagnement.members.services import create_member
    from accompagnement.members.validation import MemberInput

    first = create_member(
        MemberInput(
            name=f"Ressourcerie {p('member name')}",
            insee="87085",
            contact_name=p("member contact name"),
            website=p.url("member website"),
        ),
        user_id=coordinator_id,
    )
    second = create_member(
        MemberInput(
            name=f"Recyclerie {p('second member name')}",
            kind="recyclerie",
            insee=new_commune,
            commune=p("commune name (created with a member)"),
            departement="87",
            contact_email="contact@example.org",
            contact_phone="05 55 00 00 00",
        ),
        user_id=coordinator_id,
    )
    db.session.flush()
    # Refused by the member form's validation: stored directly, as an import could have.
    stored = db.session.get(Member, second.id)
    assert stored is not None
    stored.contact_email = p("member contact e-mail")
    stored.contact_phone = p.short("member contact phone")
    return first.id, second.id


def _form_fields(p: Payloads, where: str, fields: Any) -> dict[str, Any]:
    """Return raw form values: a payload in every text field, one item in every group."""
    raw: dict[str, Any] = {}
    for spec in fields or ():
        if spec.type in ("text", "long_text"):
            raw[spec.key] = p(f"{where}.{spec.key}")
        elif spec.type == "group":
            item = _form_fields(p, f"{where}.{spec.key}[0]", spec.fields)
            if item:
                raw[spec.key] = [item]
    return raw


def _stage_forms(p: Payloads, project_id: int, user_id: int) -> None:
    """Save a draft of every stage form that has a text field, a payload in each."""
    from accompagnement.projects.models import Project
    from accompagnement.projects.services import save_form, workflow_of

    project = db.session.get(Project, project_id)
    assert project is not None
    workflow = workflow_of(project)
    for stage in workflow.stages:
        if stage.form is None:
            continue
        raw = _form_fields(p, f"{workflow.name}/{stage.key}", stage.form.fields)
        if raw:
            save_form(project_id, stage.key, raw, user_id=user_id, submit=False, base_revision=0)


def _project_extras(p: Payloads, project_id: int, user_id: int) -> int:
    """Add a checklist note, two transition reasons and a document; return the document id."""
    from accompagnement.projects.services import add_document, fire_transition, set_checklist_item

    set_checklist_item(
        project_id,
        "premier_contact",
        "welcome_interview",
        done=True,
        user_id=user_id,
        note=p("checklist note"),
    )
    fire_transition(project_id, "pause", user_id=user_id, reason=p("reason of a pause"))
    fire_transition(project_id, "resume", user_id=user_id, reason=p("reason of a resumption"))
    document = add_document(
        project_id,
        p.file_name("document file name"),
        io.BytesIO(b"Compte rendu de la visite\n"),
        user_id=user_id,
        stage="premier_contact",
    )
    return document.id


def _activities(p: Payloads, user_id: int, member_id: int, second_member: int) -> list[int]:
    """Log a done activity, a visit and a planned one, with payloads in their texts."""
    from accompagnement.activities.services import ActivityInput, create_activity

    year = last_year()
    done = create_activity(
        ActivityInput(
            date=dt.date(year, 3, 10),
            type="animation",
            title=p("activity title"),
            partner=p("activity partner"),
            notes=p("activity notes"),
            member_ids=[member_id],
            participants=12,
        ),
        user_id=user_id,
    )
    visit = create_activity(
        ActivityInput(
            date=dt.date(year, 5, 4),
            type="visite",
            visitor="collectivite",
            title=p("visit title"),
            member_ids=[second_member],
        ),
        user_id=user_id,
    )
    planned = create_activity(
        ActivityInput(
            date=dt.date.today() + dt.timedelta(days=40),
            type="formation",
            title=p("planned activity title"),
            partner=p("planned activity partner"),
        ),
        user_id=user_id,
    )
    return [done.id, visit.id, planned.id]


def _report(member_id: int, year: int, user_id: int) -> None:
    """Save an observatory report (figures only), so the member shows in its pages."""
    from accompagnement.observatory.services import save_report

    raw = {"collected_dropoff": "12,5", "flow_furniture": "12,5", "headcount": "4"}
    save_report(member_id, year, raw, user_id=user_id, base_revision=0)


def _stage_keys() -> list[str]:
    """Return the keys of the stages of every workflow (for /projects/<id>/forms/<stage>)."""
    from accompagnement.workflows.services import available, latest_workflow

    keys: dict[str, None] = {}
    for name in available().names():
        for stage in latest_workflow(name).stages:
            keys.setdefault(stage.key)
    return list(keys)


def _saved_report(p: Payloads, year: int, coordinator_id: int) -> int:
    """Save a named report of the partner's département, its narrative in two versions."""
    from accompagnement.reports.saved import ReportInput, create_report, save_narrative

    report = create_report(
        ReportInput(f"Comité {p('saved report name')}", f"{year}-01-01", f"{year}-12-31", "87"),
        user_id=coordinator_id,
    )
    texts = {key: p(f"saved report {key}") for key in ("highlights", "difficulties", "outlook")}
    save_narrative(report.id, texts, user_id=coordinator_id, base_version=0)
    save_narrative(report.id, {**texts, "outlook": p("saved report outlook, version 2")},
                   user_id=coordinator_id, base_version=1)  # fmt: skip
    return report.id


def _extra_urls(project_id: int, year: int, saved_report: int) -> list[str]:
    """Return pages behind a query string (filters, other periods, an old revision)."""
    this_year = year + 1
    return [
        f"/activities/?start={year}-01-01&end={this_year}-12-31",
        "/members/?status=all",
        f"/observatory/?year={year}",
        f"/observatory/reports?year={year}",
        f"/reports/?from={year}-01-01&to={this_year}-12-31",
        "/projects/?q=Ressourcerie",
        "/projects/?status=active",
        "/partners/?departement=87",
        f"/projects/{project_id}/forms/premier_contact?revision=1",
        f"/reports/saved/{saved_report}?version=1",  # its ids differ on PostgreSQL
    ]
