"""Waste syndicates: the coordinator's pages and `flask import syndicates`."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from accompagnement.extensions import db
from accompagnement.importing import ImportErrorList
from accompagnement.syndicates import queries, services
from accompagnement.syndicates.importer import import_syndicates
from accompagnement.territory.models import Commune, WasteSyndicate
from tests.conftest import english_locale

PASSWORD = "correct horse battery staple"
in_english = pytest.fixture(english_locale)


def served_by(name: str) -> list[str]:
    syndicate = services.by_name(name)
    assert syndicate is not None
    return [c.insee for c in queries.communes_of(syndicate.id)]


def count_syndicates() -> int:
    return db.session.scalar(select(func.count(WasteSyndicate.id))) or 0


@pytest.fixture
def signed_in(client, coordinator):  # noqa: ANN001, ANN201
    client.post("/auth/login", data={"email": coordinator.email, "password": PASSWORD})
    return client


def test_the_import_creates_syndicates_and_assigns_communes_and_is_idempotent(coordinator):
    data = "syndicate;commune\nSICTOM Nord;87085\nSICTOM Nord;23096\nSyndicat Sud;19272\n"
    result = import_syndicates(data.encode("cp1252"), user_id=coordinator.id)
    db.session.commit()
    assert (result.syndicates_created, result.communes_changed) == (2, 3)
    assert served_by("sictom nord") == ["23096", "87085"]

    again = import_syndicates(data.encode("cp1252"), user_id=coordinator.id)
    assert (again.syndicates_created, again.communes_changed, again.unchanged) == (0, 0, 3)


def test_bad_rows_are_named_by_line_and_column_and_nothing_is_written(coordinator, in_english):
    before = count_syndicates()
    data = b"syndicate,commune\nA,99999\n,87085\nB,23096\nC,23096\n"
    with pytest.raises(ImportErrorList) as caught:
        import_syndicates(data, user_id=coordinator.id)
    db.session.rollback()
    assert [(r.line, r.column) for r in caught.value.rows] == [
        (2, "commune"),
        (3, "syndicate"),
        (5, "commune"),
    ]
    assert "another syndicate on line 4" in caught.value.lines()[-1]
    assert count_syndicates() == before


def test_the_command_imports_and_refuses_with_exit_1(runner, coordinator, tmp_path):
    good = tmp_path / "s.csv"
    good.write_text("syndicate,commune\nNouveau syndicat,87085\n", encoding="utf-8-sig")
    assert runner.invoke(args=["import", "syndicates", str(good)]).exit_code == 0
    assert served_by("Nouveau syndicat") == ["87085"]
    bad = tmp_path / "bad.csv"
    bad.write_text("syndicate,commune\nX,00000\n")
    result = runner.invoke(args=["import", "syndicates", str(bad)])
    assert result.exit_code == 1


def test_the_list_is_paginated(signed_in):
    for n in range(60):
        db.session.add(WasteSyndicate(name=f"Syndicat {n:02d}"))
    db.session.commit()
    first = signed_in.get("/admin/syndicates/").get_data(as_text=True)
    second = signed_in.get("/admin/syndicates/?page=2").get_data(as_text=True)
    assert "Syndicat 00" in first and "Syndicat 59" not in first
    assert "Syndicat 59" in second


def test_create_rename_set_communes_and_delete_when_unused(signed_in, territory):
    response = signed_in.post("/admin/syndicates/", data={"name": "SYMTOM Test"})
    assert response.status_code == 302
    syndicate = services.by_name("SYMTOM Test")
    assert syndicate is not None
    url = f"/admin/syndicates/{syndicate.id}"

    assert signed_in.post(url + "/rename", data={"name": "SYMTOM Renommé"}).status_code == 302
    assert signed_in.post("/admin/syndicates/", data={"name": "symtom renommé"}).status_code == 400

    aubusson = db.session.get(Commune, "23008")
    assert aubusson is not None and aubusson.epci_id is not None
    of_epci = db.session.scalars(select(Commune.insee).where(Commune.epci_id == aubusson.epci_id))
    expected = sorted({"87085", "19272", *of_epci})
    assert "23008" in expected and len(expected) > 3
    response = signed_in.post(
        url + "/communes", data={"codes": "87085, 19272", "epci": aubusson.epci_id}
    )
    assert response.status_code == 302
    assert served_by("SYMTOM Renommé") == expected

    refused = signed_in.post(url + "/communes", data={"codes": "87085 12345"})
    assert refused.status_code == 400
    assert served_by("SYMTOM Renommé") == expected

    assert signed_in.post(url + "/delete").status_code == 302
    assert services.by_name("SYMTOM Renommé") is not None  # still serves communes

    assert signed_in.post(url + "/communes", data={"codes": ""}).status_code == 302
    assert (
        db.session.scalars(select(Commune).where(Commune.syndicate_id == syndicate.id)).all() == []
    )
    assert signed_in.post(url + "/delete").status_code == 302
    assert services.by_name("SYMTOM Renommé") is None


def test_the_import_page_round_trip(signed_in):
    response = signed_in.post(
        "/admin/syndicates/import",
        data={"file": (io.BytesIO(b"syndicate,commune\nPage,87085\n"), "s.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert served_by("Page") == ["87085"]


def test_a_holder_cannot_open_the_pages(client, auth, make_user):
    auth.login(make_user("holder"))
    assert client.get("/admin/syndicates/").status_code in (403, 404)
    assert client.post("/admin/syndicates/", data={"name": "X"}).status_code in (403, 404)
