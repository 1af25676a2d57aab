"""CommuneField in the forms that ask for a commune: a typed name, postal code or INSEE code is
resolved by the server (JavaScript only suggests); an ambiguous or unknown text is refused with
candidates; what the commune stands for is derived, never typed again."""

from __future__ import annotations

from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects.models import Project


def new_project(client, commune: str):
    data = {"name": "Recyclerie", "workflow": "creation-ressourcerie", "commune": commune}
    return client.post("/projects/new", data=data)


def test_the_new_project_form_takes_a_typed_name(client, auth, coordinator) -> None:
    auth.login(coordinator)
    page = client.get("/projects/new").get_data(as_text=True)
    assert 'data-commune-search="/territory/communes"' in page and "<select" in page
    assert 'name="commune"' in page and 'type="text"' in page
    assert new_project(client, "gueret").status_code == 302
    assert db.session.scalars(select(Project.commune_insee)).one() == "23096"


def test_a_postal_code_served_by_one_commune_or_a_label_is_enough(client, auth, coordinator):
    auth.login(coordinator)
    assert new_project(client, "87000").status_code == 302  # Limoges alone
    assert new_project(client, "Felletin (23079)").status_code == 302
    assert new_project(client, "").status_code == 302  # the commune stays optional
    codes = db.session.scalars(select(Project.commune_insee).order_by(Project.id)).all()
    assert codes == ["87085", "23079", None]


def test_an_ambiguous_or_unknown_commune_is_refused_with_candidates(client, auth, coordinator):
    auth.login(coordinator)
    response = new_project(client, "saint-priest")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Saint-Priest (69290)" in html and "Saint-Priest (23234)" in html
    assert 'value="saint-priest"' in html  # what was typed stays in the input
    assert new_project(client, "Nulle-Part-sur-Mer").status_code == 400
    assert db.session.scalars(select(Project)).all() == []


def test_a_resolved_commune_shows_its_epci_and_departement(client, auth, coordinator) -> None:
    auth.login(coordinator)
    data = {"name": "", "workflow": "creation-ressourcerie", "commune": "23096"}
    html = client.post("/projects/new", data=data).get_data(as_text=True)  # no name: shown again
    assert html.count("Guéret (23096) · CA du Grand Guéret · 23 Creuse") == 1


def test_the_member_form_takes_a_typed_name_and_derives_the_departement(
    client, auth, coordinator
) -> None:
    auth.login(coordinator)
    page = client.get("/members/new").get_data(as_text=True)
    assert 'name="departement"' not in page  # derived, never typed again
    data = {"name": "La Trouvaille", "kind": "ressourcerie", "insee": "saint junien",
            "functions": ["vente"]}  # fmt: skip
    assert client.post("/members/new", data=data).status_code == 302
    member = db.session.scalars(select(Member)).one()
    assert (member.commune_insee, member.departement_code) == ("87154", "87")
    edit = client.get(f"/members/{member.id}/edit").get_data(as_text=True)
    assert 'value="Saint-Junien (87154)"' in edit


def test_a_former_commune_code_lands_on_the_current_commune(client, auth, coordinator) -> None:
    auth.login(coordinator)
    assert new_project(client, "75101").status_code == 302  # Paris 1er arrondissement
    assert db.session.scalars(select(Project.commune_insee)).one() == "75056"
