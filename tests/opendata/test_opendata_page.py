"""The public open data page and files: no sign-in, cacheable, 304, 404, escaped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask.testing import FlaskClient

from accompagnement.extensions import db
from accompagnement.opendata.package import DataPackage
from tests.opendata.conftest import PERSONAL, YEAR


def test_the_page_lists_every_file_of_every_year_signed_out(
    client: FlaskClient, published: Any
) -> None:
    response = client.get("/open/limousin/")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name in ("datapackage.json", "observatory.csv", "pipeline.csv", "members.csv"):
        assert f'href="/open/limousin/{YEAR}/{name}"' in page
    assert "Licence Ouverte / Open Licence version 2.0" in page
    assert "Set-Cookie" not in response.headers
    assert not [s for s in PERSONAL if s in page]


def test_the_files_are_the_package_s_files(client: FlaskClient, published: Any) -> None:
    files = DataPackage(published, YEAR).files()

    for name, text in files.items():
        response = client.get(f"/open/limousin/{YEAR}/{name}")
        assert response.status_code == 200, name
        assert response.get_data(as_text=True) == text
    assert client.get(f"/open/limousin/{YEAR}/members.csv").mimetype == "text/csv"


def test_answers_are_public_and_cacheable(client: FlaskClient, published: Any) -> None:
    for url in ("/open/limousin/", f"/open/limousin/{YEAR}/observatory.csv"):
        response = client.get(url)
        assert response.cache_control.public, url
        assert response.cache_control.max_age == 3600
        assert response.headers["ETag"]
        assert response.last_modified is not None


def test_a_client_that_has_the_file_gets_304(client: FlaskClient, published: Any) -> None:
    url = f"/open/limousin/{YEAR}/datapackage.json"
    first = client.get(url)

    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})

    assert (again.status_code, since.status_code) == (304, 304)
    assert again.get_data() == b""
    assert again.cache_control.public


def test_a_change_of_the_data_changes_the_etag(client: FlaskClient, published: Any) -> None:
    url = f"/open/limousin/{YEAR}/members.csv"
    first = client.get(url)
    published_name = "Ressourcerie du Pays de Tulle"
    db.session.execute(
        db.text("UPDATE members SET website = 'https://new.example.org' WHERE name = :n"),
        {"n": published_name},
    )
    db.session.commit()

    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert "https://new.example.org" in again.get_data(as_text=True)


def test_signed_in_the_page_is_not_stored(client: FlaskClient, published: Any, auth: Any,
                                          coordinator: Any) -> None:  # fmt: skip
    auth.login(coordinator)

    response = client.get("/open/limousin/")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_unknown_network_year_or_file_is_404(client: FlaskClient, published: Any) -> None:
    for url in (
        "/open/nowhere/",
        f"/open/nowhere/{YEAR}/datapackage.json",
        "/open/limousin/1789/datapackage.json",
        "/open/limousin/9999/observatory.csv",
        f"/open/limousin/{YEAR}/contacts.csv",
    ):
        assert client.get(url).status_code == 404, url


def test_names_are_escaped(client: FlaskClient, published: Any, make_member: Any) -> None:
    published.name = '<script>alert("réseau")</script>'
    db.session.commit()

    page = client.get("/open/limousin/").get_data(as_text=True)

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_queries_do_not_grow_with_the_rows(
    client: FlaskClient, published: Any, make_member: Any, make_project: Any, count_queries: Any
) -> None:
    def queries() -> int:
        with count_queries() as counted:
            for name in ("datapackage.json", "observatory.csv", "pipeline.csv", "members.csv"):
                assert client.get(f"/open/limousin/{YEAR}/{name}").status_code == 200
        return counted.count

    before = queries()
    for n in range(8):
        make_member(f"Ressourcerie numéro {n}", commune_insee="87085", departement_code="87")
        make_project(f"Projet {n}", commune="19031", at=datetime(YEAR, 6, 1, 12))

    assert queries() == before
