"""Pages of the member directory: who sees what, forms, import, export, from a project."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import event, func, select

from accompagnement.audit.models import AuditEvent
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects.models import Project

CONTACT = "contact-zx@example.org"


@pytest.fixture
def directory(make_member):
    """Three members in three départements, one former, each with a contact."""
    return {
        "limoges": make_member(
            "Ressourcerie de Limoges", contact_email=CONTACT, contact_name="Zia Contact",
            contact_phone="05 55 00 00 01", website="https://limoges.example.org",
        ),
        "gueret": make_member(
            "Recyclerie de Guéret", commune_insee="23096", kind="recyclerie",
            does_collecte=False, contact_email="gueret-zx@example.org",
        ),
        "tulle": make_member(
            "Ancienne de Tulle", commune_insee="19272", status="former", left_on=date(2022, 1, 1),
            contact_email="tulle-zx@example.org",
        ),
    }  # fmt: skip


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_the_directory_lists_current_members_by_default(directory, coordinator, client, auth):
    auth.login(coordinator)

    html = page(client, "/members/")

    assert "Ressourcerie de Limoges" in html and "Recyclerie de Guéret" in html
    assert "Ancienne de Tulle" not in html
    assert CONTACT in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?departement=23", "Recyclerie de Guéret", "Ressourcerie de Limoges"),
        ("?status=former", "Ancienne de Tulle", "Ressourcerie de Limoges"),
        ("?status=all&function=collecte", "Ancienne de Tulle", "Recyclerie de Guéret"),
        ("?departement=<script>&status=nope&function=x", "Ressourcerie de Limoges", "Ancienne"),
    ],
)
def test_filters_narrow_the_list(directory, coordinator, client, auth, query, shown, hidden):
    auth.login(coordinator)
    html = page(client, "/members/" + query)
    assert shown in html and hidden not in html
    assert "<script>" not in html


def test_partners_see_the_directory_without_any_contact(directory, make_user, client, auth):
    auth.login(make_user("partner"))

    html = page(client, "/members/?status=all") + page(
        client, f"/members/{directory['limoges'].id}"
    )

    assert "Ressourcerie de Limoges" in html and "https://limoges.example.org" in html
    assert "-zx@example.org" not in html and CONTACT not in html
    assert "Zia Contact" not in html and "05 55 00 00 01" not in html


def test_a_member_account_sees_its_own_contact_only(directory, make_user, client, auth):
    own = make_user("member", member_id=directory["limoges"].id)
    auth.login(own)

    listing = page(client, "/members/?status=all")
    other = page(client, f"/members/{directory['gueret'].id}")
    mine = page(client, f"/members/{directory['limoges'].id}")

    assert CONTACT in listing and "gueret-zx@example.org" not in listing
    assert "gueret-zx@example.org" not in other
    assert CONTACT in mine and "05 55 00 00 01" in mine


def test_a_partner_limited_to_departements_sees_only_their_members(
    directory, make_user, client, auth
):
    auth.login(make_user("partner", departements=["23"]))

    html = page(client, "/members/?status=all")

    assert "Recyclerie de Guéret" in html
    assert "Ressourcerie de Limoges" not in html and "Ancienne de Tulle" not in html
    assert client.get(f"/members/{directory['limoges'].id}").status_code == 404


def test_holders_and_visitors_cannot_open_the_directory(directory, make_user, client, auth):
    assert client.get("/members/").status_code == 302
    auth.login(make_user("holder"))
    assert client.get("/members/").status_code == 403
    assert client.get(f"/members/{directory['limoges'].id}").status_code == 403


def test_an_unknown_member_is_a_404(coordinator, client, auth):
    auth.login(coordinator)
    assert client.get("/members/424242").status_code == 404


def test_names_and_websites_are_escaped(make_member, coordinator, client, auth):
    member = make_member('<img src=x onerror="alert(1)">', website='https://x.org/"><script>')
    auth.login(coordinator)

    for url in ("/members/", f"/members/{member.id}"):
        html = page(client, url)
        assert "<img src=x" not in html and "<script>" not in html


def test_a_coordinator_adds_a_member_through_the_form(coordinator, client, auth):
    auth.login(coordinator)
    assert "checked" in page(client, "/members/new")  # the four functions ticked by default

    response = client.post(
        "/members/new",
        data={
            "name": "Nouvelle ressourcerie", "kind": "ressourcerie", "insee": "87154",
            "departement": "", "joined_on": "2024-01-15", "functions": ["collecte", "vente"],
            "contact_email": "new@example.org",
        },
    )  # fmt: skip

    member = db.session.scalars(select(Member)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/members/{member.id}")
    assert (member.commune_insee, member.departement_code) == ("87154", "87")
    assert member.functions == ["collecte", "vente"]


def test_form_errors_are_shown_next_to_their_fields(coordinator, client, auth):
    auth.login(coordinator)

    response = client.post(
        "/members/new",
        data={"name": "X", "kind": "ressourcerie", "insee": "87085", "website": "javascript:x",
              "contact_phone": "call me"},
    )  # fmt: skip

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="website-error"' in html and 'id="contact_phone-error"' in html
    assert 'id="functions-error"' in html
    assert db.session.scalar(select(func.count()).select_from(Member)) == 0


def test_a_coordinator_edits_a_member(directory, coordinator, client, auth):
    member = directory["gueret"]
    auth.login(coordinator)
    form = page(client, f"/members/{member.id}/edit")
    assert 'value="Recyclerie de Guéret"' in form

    response = client.post(
        f"/members/{member.id}/edit",
        data={"name": "Recyclerie du Grand Guéret", "kind": "recyclerie", "insee": "23096",
              "functions": ["vente"]},
    )  # fmt: skip

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Member, member.id).name == "Recyclerie du Grand Guéret"


def test_a_coordinator_marks_a_former_member_then_reinstates_it(
    directory, coordinator, client, auth
):
    member = directory["limoges"]
    auth.login(coordinator)

    client.post(f"/members/{member.id}/former", data={"left_on": "2024-12-31"})
    db.session.expire_all()
    assert (member.status, member.left_on) == ("former", date(2024, 12, 31))

    client.post(f"/members/{member.id}/reinstate")
    db.session.expire_all()
    assert (member.status, member.left_on) == ("member", None)


def test_an_impossible_leaving_date_is_explained(directory, coordinator, client, auth):
    member = directory["limoges"]
    auth.login(coordinator)

    response = client.post(
        f"/members/{member.id}/former", data={"left_on": "1990-01-01"}, follow_redirects=True
    )

    assert "cannot leave before joining" in response.get_data(as_text=True)
    db.session.expire_all()
    assert member.status == "member"


def test_the_import_form_imports_a_file(coordinator, client, auth, territory):
    auth.login(coordinator)
    data = "name;commune;insee;departement;joined;functions\nLa Récup;Guéret;23096;23;;vente\n"

    response = client.post(
        "/members/import",
        data={"file": (io.BytesIO(data.encode("cp1252")), "membres.csv")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    assert db.session.scalars(select(Member.name)).all() == ["La Récup"]


def test_the_import_form_lists_every_bad_line(coordinator, client, auth, territory):
    auth.login(coordinator)
    data = b"name,commune,insee,departement,joined,functions\nA,Limoges,87085,87,x,vente\nB,,1,,,\n"

    response = client.post(
        "/members/import",
        data={"file": (io.BytesIO(data), "membres.csv")},
        content_type="multipart/form-data",
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 2: joined: x is not a date" in html
    assert "Line 3: insee:" in html and "Line 3: functions:" in html
    assert db.session.scalar(select(func.count()).select_from(Member)) == 0


def test_the_import_form_requires_a_file(coordinator, client, auth):
    auth.login(coordinator)
    assert client.post("/members/import", data={}).status_code == 400


def test_the_export_is_safe_in_a_spreadsheet_and_logged(make_member, coordinator, client, auth):
    make_member('=HYPERLINK("http://evil")', contact_name="@SUM(A1)", contact_phone="+33 5 55")
    make_member("Plain", contact_name="-1+2", website="https://plain.example.org")
    auth.login(coordinator)

    assert client.get("/members/export").status_code == 405
    response = client.post("/members/export")

    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert {r["name"] for r in rows} == {'\'=HYPERLINK("http://evil")', "Plain"}
    assert {r["contact_name"] for r in rows} == {"'@SUM(A1)", "'-1+2"}
    assert "'+33 5 55" in {r["contact_phone"] for r in rows}
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "members.exported"))
    assert event.one().detail == {"count": 2}


def opened_project(make_project, name: str = "Ressourcerie ouverte") -> Project:
    project = make_project(name, holders=[])
    project = db.session.get(Project, project.id)
    project.state = "ouverte"
    db.session.commit()
    return project


def test_the_from_project_endpoint_creates_the_member_once(make_project, coordinator, client, auth):
    project = opened_project(make_project)
    auth.login(coordinator)

    first = client.post(f"/projects/{project.id}/join-network")
    member = db.session.scalars(select(Member)).one()
    second = client.post(f"/projects/{project.id}/join-network", follow_redirects=True)

    assert first.status_code == 302
    assert first.headers["Location"].endswith(f"/members/{member.id}")
    assert member.project_id == project.id
    assert f'href="/projects/{project.id}"' in page(client, f"/members/{member.id}")
    assert "already a member" in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Member)) == 1


def test_the_from_project_endpoint_explains_a_refusal(make_project, coordinator, client, auth):
    project = make_project("Trop tôt", holders=[])
    auth.login(coordinator)

    response = client.post(f"/projects/{project.id}/join-network", follow_redirects=True)

    assert "opening or open" in response.get_data(as_text=True)
    assert client.post("/projects/98765/join-network").status_code == 404


WRITES = [
    ("post", "/members/new"),
    ("post", "/members/{id}/edit"),
    ("post", "/members/{id}/former"),
    ("post", "/members/{id}/reinstate"),
    ("post", "/members/import"),
    ("post", "/members/export"),
    ("post", "/projects/{project}/join-network"),
    ("get", "/members/new"),
    ("get", "/members/{id}/edit"),
    ("get", "/members/import"),
]


@pytest.mark.parametrize("role", ["partner", "member", "holder"])
def test_only_coordinators_reach_the_forms_and_actions(
    directory, make_project, make_user, client, auth, role
):
    member = directory["limoges"]
    project = opened_project(make_project)
    auth.login(make_user(role, member_id=member.id if role == "member" else None))

    for method, url in WRITES:
        target = url.format(id=member.id, project=project.id)
        response = getattr(client, method)(target, data={"name": "Hacked", "left_on": "2024-01-01"})
        assert response.status_code == 403, (method, target)
    db.session.expire_all()
    assert member.name == "Ressourcerie de Limoges" and member.status == "member"
    assert db.session.scalar(select(func.count()).select_from(Member)) == 3


def test_the_directory_runs_a_constant_number_of_queries(make_member, coordinator, client, auth):
    auth.login(coordinator)

    def statements_for(n: int) -> int:
        for i in range(n):
            make_member(f"M{n}-{i}", commune_insee=("87085", "23096", "19272")[i % 3])
        seen: list[str] = []

        def listener(_conn, _cursor, statement, *_args) -> None:
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/members/?status=all").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements_for(3) == statements_for(27)
