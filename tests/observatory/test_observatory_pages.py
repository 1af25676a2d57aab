"""The observatory pages for each role: regional view, reports list, report form, import."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.services import find_report

LAST_YEAR = date.today().year - 1


@pytest.fixture
def two_reports(
    tulle: Member, gueret: Member, make_report: Callable[..., ObservatoryReport]
) -> None:
    make_report(
        tulle,
        LAST_YEAR,
        collected_dropoff=Decimal("100.0"),
        out_sale=Decimal(40),
        out_donation=Decimal(10),
        out_recycling=Decimal(30),
        flow_furniture=Decimal(70),
        flow_books=Decimal(30),
        turnover=Decimal(2000),
        sales_count=400,
        fte=Decimal(5),
    )
    make_report(gueret, LAST_YEAR, collected_home=Decimal("50.5"), flow_textile=Decimal("50.5"))
    make_report(tulle, LAST_YEAR - 1, collected_dropoff=Decimal("80.0"))  # fmt: skip


def signed_in(client: FlaskClient, auth: Any, user: Any) -> FlaskClient:
    auth.login(user)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/observatory/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_regional_view_adds_up_the_members_and_compares_years(
    client: FlaskClient, auth: Any, coordinator: Any, two_reports: None
) -> None:
    page = signed_in(client, auth, coordinator).get(f"/observatory/?year={LAST_YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2 reports received from 2 members" in html
    assert "150.5 t" in html  # 100 + 50.5
    assert "80 %" in html  # recovery rate of the one report giving outgoing tonnes
    assert "<svg" in html and 'role="img"' in html and "<table" in html
    assert str(LAST_YEAR - 1) in html and "80" in html  # the previous year in the comparison
    assert "Projects in each stage today" in html
    assert html.count("<h1") == 1


def test_a_year_without_report_and_a_junk_year_still_give_a_page(
    client: FlaskClient, auth: Any, coordinator: Any
) -> None:
    signed_in(client, auth, coordinator)
    assert "No report for 2001 yet." in client.get("/observatory/?year=2001").get_data(as_text=True)
    assert client.get("/observatory/?year=<script>").status_code == 200
    assert client.get("/observatory/reports?year=99999999999999").status_code == 200


def test_partners_read_the_aggregates_and_each_members_figures_but_edit_nothing(
    client: FlaskClient,
    auth: Any,
    make_user: Callable[..., Any],
    tulle: Member,
    two_reports: None,
) -> None:
    partner = make_user("partner", organisation="ADEME")
    signed_in(client, auth, partner)
    assert client.get("/observatory/").status_code == 200
    listing = client.get(f"/observatory/reports?year={LAST_YEAR}").get_data(as_text=True)
    assert "Ressourcerie du Pays de Tulle" in listing and "Recyclerie de Guéret" in listing
    assert "Last saved" not in listing  # who typed the figures is not theirs to know
    assert client.get(f"/observatory/members/{tulle.id}/{LAST_YEAR}").status_code == 403
    assert client.post(f"/observatory/members/{tulle.id}/{LAST_YEAR}", data={}).status_code == 403
    assert client.get("/observatory/import").status_code == 403


def test_holders_have_no_observatory(
    client: FlaskClient, auth: Any, make_user: Callable[..., Any]
) -> None:
    signed_in(client, auth, make_user("holder"))
    assert client.get("/observatory/").status_code == 403


def test_the_list_shows_the_members_who_have_not_reported(
    client: FlaskClient,
    auth: Any,
    coordinator: Any,
    make_member: Callable[..., Member],
    two_reports: None,
) -> None:
    make_member("Ressourcerie d'Aubusson", joined_on=date(LAST_YEAR, 6, 1))
    make_member("Ressourcerie d'Ussel", joined_on=date(LAST_YEAR + 1, 1, 15))
    make_member("Ressourcerie partie", left_on=date(LAST_YEAR - 1, 12, 31), status="former")
    html = (
        signed_in(client, auth, coordinator)
        .get(f"/observatory/reports?year={LAST_YEAR}")
        .get_data(as_text=True)
    )
    missing = html.split('id="h-missing"')[1].split('id="h-received"')[0]
    assert "Ressourcerie d&#39;Aubusson" in missing
    assert "Ussel" not in missing and "partie" not in missing and "Tulle" not in missing
    assert "1 member has not reported yet." in missing


def test_a_member_fills_in_its_report_through_the_form(
    client: FlaskClient,
    auth: Any,
    tulle: Member,
    tulle_account: Any,
    full_report: dict[str, str],
) -> None:
    signed_in(client, auth, tulle_account)
    url = f"/observatory/members/{tulle.id}/{LAST_YEAR}"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="revision"' in form.get_data(as_text=True)
    response = client.post(url, data={**full_report, "revision": "0"})
    assert response.status_code == 302
    report = find_report(tulle.id, LAST_YEAR)
    assert report is not None and report.headcount == 8
    page = client.get(url).get_data(as_text=True)
    assert "Computed from the saved report" in page and "50 %" in page  # reuse rate
    assert 'value="60,5"' in page or 'value="60.5"' in page


def test_a_member_gets_not_found_on_another_members_report(
    client: FlaskClient,
    auth: Any,
    tulle_account: Any,
    gueret: Member,
    full_report: dict[str, str],
) -> None:
    signed_in(client, auth, tulle_account)
    url = f"/observatory/members/{gueret.id}/{LAST_YEAR}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={**full_report, "revision": "0"}).status_code == 404
    assert find_report(gueret.id, LAST_YEAR) is None


def test_wrong_figures_come_back_with_messages_next_to_the_fields(
    client: FlaskClient,
    auth: Any,
    tulle: Member,
    tulle_account: Any,
    full_report: dict[str, str],
) -> None:
    signed_in(client, auth, tulle_account)
    wrong = {**full_report, "flow_books": "-4", "revision": "0"}
    page = client.post(f"/observatory/members/{tulle.id}/{LAST_YEAR}", data=wrong)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'id="flow_books-error">Must be zero or more.' in html
    assert 'aria-describedby="flow_books-error" aria-invalid="true"' in html
    assert 'value="-4"' in html  # what was typed is kept
    assert find_report(tulle.id, LAST_YEAR) is None

    inconsistent = {**full_report, "out_disposal": "50", "revision": "0"}
    html = client.post(f"/observatory/members/{tulle.id}/{LAST_YEAR}", data=inconsistent).get_data(
        as_text=True
    )
    assert 'id="outgoing-group-error"' in html
    assert "are more than the tonnes collected" in html


def test_a_stale_form_is_not_saved_and_shows_the_saved_figures(
    client: FlaskClient,
    auth: Any,
    coordinator: Any,
    tulle: Member,
    make_report: Callable[..., ObservatoryReport],
    full_report: dict[str, str],
) -> None:
    make_report(tulle, LAST_YEAR, volunteers=3)
    signed_in(client, auth, coordinator)
    page = client.post(
        f"/observatory/members/{tulle.id}/{LAST_YEAR}", data={**full_report, "revision": "0"}
    )
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    assert "Someone else" in html and "Saved by someone else: 3" in html
    assert 'name="revision" type="hidden" value="1"' in html
    db.session.expire_all()
    assert find_report(tulle.id, LAST_YEAR).volunteers == 3
    # Saving again, knowingly, from the revision now shown, works.
    again = client.post(
        f"/observatory/members/{tulle.id}/{LAST_YEAR}", data={**full_report, "revision": "1"}
    )
    assert again.status_code == 302


def test_an_absurd_year_in_the_address_is_a_clear_error(
    client: FlaskClient, auth: Any, coordinator: Any, tulle: Member
) -> None:
    signed_in(client, auth, coordinator)
    page = client.get(f"/observatory/members/{tulle.id}/1990")
    assert page.status_code == 400
    assert "The year must be between 2000" in page.get_data(as_text=True)
    assert client.get(f"/observatory/members/999999/{LAST_YEAR}").status_code == 404


def test_the_coordinator_imports_a_file_through_the_upload_form(
    client: FlaskClient, auth: Any, coordinator: Any, tulle: Member
) -> None:
    signed_in(client, auth, coordinator)
    good = f"member;year;flow_books\nRessourcerie du Pays de Tulle;{LAST_YEAR};3,5\n".encode()
    response = client.post(
        "/observatory/import",
        data={"file": (io.BytesIO(good), "obs.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert find_report(tulle.id, LAST_YEAR).flow_books == Decimal("3.5")

    bad = b"member;year;flow_books\nPersonne;2024;-1\n"
    page = client.post(
        "/observatory/import",
        data={"file": (io.BytesIO(bad), "obs.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert "Line 2: Unknown member: Personne." in html
    assert "Line 2: flow_books: Must be zero or more." in html


def test_the_import_page_documents_the_columns_and_offers_a_template(
    client: FlaskClient, auth: Any, coordinator: Any
) -> None:
    signed_in(client, auth, coordinator)
    html = client.get("/observatory/import").get_data(as_text=True)
    assert "<code>collected_dechetterie</code>" in html and "<code>people_reached</code>" in html
    template = client.get("/observatory/import/template.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert template.get_data(as_text=True).startswith("member,year,collected_dropoff,")


def test_a_partner_of_one_departement_sees_the_totals_of_its_members_only(
    client: FlaskClient,
    auth: Any,
    make_user: Callable[..., Any],
    tulle: Member,
    gueret: Member,
    two_reports: None,
) -> None:
    tulle.departement_code, gueret.departement_code = "19", "23"
    db.session.commit()
    partner = make_user("partner", organisation="CD23", departements=["23"])
    signed_in(client, auth, partner)
    page = client.get(f"/observatory/?year={LAST_YEAR}", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Members of your départements only (23)." in text
    assert "1 reports received from 1 members" in text
    assert "50.5 t" in text and "150.5" not in text  # Tulle's 100 t (Corrèze) stay out
