"""The means page: a coordinator enters a year's lines; nobody else opens it."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from accompagnement.extensions import db
from accompagnement.means.models import BudgetLine, StaffTime


def test_a_coordinator_adds_changes_and_deletes_lines_of_a_year(
    client, auth, make_network, coordinator
):
    make_network(organisations=["ADEME"])
    auth.login(coordinator)
    added = client.post("/means/2013", data={"kind": "staff_time", "label": "Ressourcerie A",
                                            "value": "0,6"})  # fmt: skip
    assert added.status_code == 302 and added.headers["Location"].endswith("/means/?year=2013")
    client.post(
        "/means/2013", data={"kind": "other_costs", "label": "Impression", "value": "5 000"}
    )
    client.post("/means/2013", data={"kind": "funding", "label": "ADEME", "value": "12 000"})
    page = client.get("/means/?year=2013").get_data(as_text=True)
    assert "Ressourcerie A" in page and "Impression" in page and "ADEME" in page
    assert "12\u202f000" in page and "Autres charges" in page
    client.post("/means/2013", data={"kind": "staff_time", "label": "Ressourcerie A", "value": "1"})
    staff = db.session.scalars(select(StaffTime)).one()
    assert str(staff.fte) == "1.00"
    deleted = client.post(f"/means/staff/{staff.id}/delete")
    assert deleted.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(StaffTime)) == 0


def test_a_wrong_line_is_shown_again_with_its_message_and_nothing_saved(client, auth, coordinator):
    auth.login(coordinator)
    refused = client.post("/means/2013", data={"kind": "funding", "label": "Inconnu", "value": "5"})
    assert refused.status_code == 400
    assert "financeur inconnu" in refused.get_data(as_text=True)
    refused = client.post("/means/2013", data={"kind": "staff_costs", "label": "X", "value": "-1"})
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(BudgetLine)) == 0


def test_a_year_out_of_range_and_a_missing_line_are_not_found(client, auth, coordinator):
    auth.login(coordinator)
    assert client.post("/means/1990", data={"kind": "staff_time", "label": "A",
                                           "value": "1"}).status_code == 404  # fmt: skip
    assert client.post("/means/budget/999/delete").status_code == 404
    assert client.get("/means/?year=abc").status_code == 200


@pytest.mark.parametrize("role", ["holder", "partner"])
def test_only_coordinators_open_the_means(client, auth, make_user, role):
    auth.login(make_user(role))
    assert client.get("/means/").status_code in (403, 404)
    assert client.post("/means/2013", data={"kind": "staff_time", "label": "A",
                                           "value": "1"}).status_code in (403, 404)  # fmt: skip
    assert db.session.scalar(select(func.count()).select_from(StaffTime)) == 0


def test_the_upload_page_imports_all_or_nothing(client, auth, coordinator):
    auth.login(coordinator)
    bad = client.post(
        "/means/import",
        data={
            "file": (io.BytesIO("année;type;libellé;valeur\n2013;temps;A;0\n".encode()), "m.csv")
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "Ligne 2" in bad.get_data(as_text=True)
    good = client.post(
        "/means/import",
        data={
            "file": (io.BytesIO("année;type;libellé;valeur\n2013;temps;A;0,5\n".encode()), "m.csv")
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 302 and good.headers["Location"].endswith("year=2013")
    assert db.session.scalar(select(func.count()).select_from(StaffTime)) == 1
