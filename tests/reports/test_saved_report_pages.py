"""Saved reports on the web: create, write the narrative, conflicts, versions, freeze, compare,
and the narrative in every format (page, PDF, CSV, JSON, DOCX)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document as read_docx
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.reports import saved
from accompagnement.reports.models import NarrativeVersion, SavedReport
from accompagnement.reports.saved import ReportInput
from tests.fixtures.accounts import login

HIGHLIGHTS = "Deux ressourceries ont rejoint le réseau.\n\nUne journée technique à Guéret."
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def signed_in(app: Flask, user: Any) -> FlaskClient:
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def committee(network_year: dict[str, Member], coordinator: Any) -> int:
    report = saved.create_report(
        ReportInput("Comité de pilotage 2024", "2024-01-01", "2024-12-31"), user_id=coordinator.id
    )
    saved.save_narrative(
        report.id, {"highlights": HIGHLIGHTS, "outlook": "Ouvrir à Felletin."},
        user_id=coordinator.id, base_version=0,
    )  # fmt: skip
    db.session.commit()
    return report.id


def test_a_coordinator_creates_a_report_then_writes_its_narrative(
    app: Flask, network_year: dict[str, Member], coordinator: Any
) -> None:
    client = signed_in(app, coordinator)
    form = client.get("/reports/saved/new").get_data(as_text=True)
    answer = client.post("/reports/saved/new", data={
        "csrf_token": csrf_of(form), "name": "Comité de pilotage 2024", "start": "2024-01-01",
        "end": "2024-12-31", "departement": "",
    })  # fmt: skip
    assert answer.status_code == 302
    report = db.session.query(SavedReport).one()
    assert answer.headers["Location"] == f"/reports/saved/{report.id}/narrative"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    answer = client.post(f"/reports/saved/{report.id}/narrative", data={
        "csrf_token": csrf_of(page), "base_version": "0", "highlights": HIGHLIGHTS,
        "difficulties": "", "outlook": "",
    })  # fmt: skip
    assert answer.status_code == 302
    view = client.get(f"/reports/saved/{report.id}").get_data(as_text=True)
    assert '<h2 id="report-highlights">Faits marquants</h2>' in view
    assert "<p>Deux ressourceries ont rejoint le réseau.</p>" in view
    assert "<p>Une journée technique à Guéret.</p>" in view
    assert "Comité de pilotage 2024" in client.get("/reports/saved/").get_data(as_text=True)


def test_a_refused_creation_says_why_next_to_the_field(
    app: Flask, network_year: dict[str, Member], coordinator: Any
) -> None:
    client = signed_in(app, coordinator)
    form = client.get("/reports/saved/new").get_data(as_text=True)
    answer = client.post("/reports/saved/new", data={
        "csrf_token": csrf_of(form), "name": "Bilan", "start": "2024-06-01", "end": "2024-01-01",
    })  # fmt: skip
    assert answer.status_code == 400
    assert (
        "La date de fin doit être identique ou postérieure à la date de début."
        in answer.get_data(as_text=True)
    )
    assert db.session.query(SavedReport).count() == 0


def test_two_coordinators_editing_at_once_lose_nothing(
    app: Flask, committee: int, coordinator: Any, make_user: Callable[..., Any]
) -> None:
    second = make_user("coordinator", name="Dominique Second")
    first_client, second_client = signed_in(app, coordinator), signed_in(app, second)
    url = f"/reports/saved/{committee}/narrative"
    first_form = first_client.get(url).get_data(as_text=True)
    second_form = second_client.get(url).get_data(as_text=True)
    assert 'name="base_version" type="hidden" value="1"' in first_form
    data = {"base_version": "1", "difficulties": "", "outlook": ""}
    won = second_client.post(url, data={**data, "csrf_token": csrf_of(second_form),
                                         "highlights": "Texte de Dominique"})  # fmt: skip
    lost = first_client.post(url, data={**data, "csrf_token": csrf_of(first_form),
                                        "highlights": "Texte de Camille"})  # fmt: skip
    assert won.status_code == 302 and lost.status_code == 409
    page = lost.get_data(as_text=True)
    assert "Dominique Second" in page and "Texte de Camille" in page  # what was typed is kept
    assert "Texte de Dominique" in page  # next to the saved text
    assert 'name="base_version" type="hidden" value="2"' in page  # a second save is knowing
    assert [v.highlights for v in db.session.query(NarrativeVersion).order_by("number")] == [
        HIGHLIGHTS, "Texte de Dominique",
    ]  # fmt: skip


def test_old_versions_are_listed_and_readable_by_coordinators(
    app: Flask, committee: int, coordinator: Any
) -> None:
    saved.save_narrative(committee, {"highlights": "Version deux"}, user_id=coordinator.id,
                         base_version=1)  # fmt: skip
    db.session.commit()
    client = signed_in(app, coordinator)
    versions = client.get(f"/reports/saved/{committee}/versions").get_data(as_text=True)
    assert "Version 2" in versions and "Version 1" in versions
    assert "Camille Coordination" in versions
    old = client.get(f"/reports/saved/{committee}?version=1").get_data(as_text=True)
    assert "Une journée technique à Guéret." in old and "Version deux" not in old
    assert "version 1" in old
    assert client.get(f"/reports/saved/{committee}?version=9").status_code == 404


def test_a_partner_reads_the_current_report_but_not_its_drafts(
    app: Flask, committee: int, partner: Any
) -> None:
    client = signed_in(app, partner)
    page = client.get(f"/reports/saved/{committee}")
    assert page.status_code == 200 and "Une journée technique à Guéret." in page.get_data(
        as_text=True
    )
    assert "Camille Coordination" not in page.get_data(as_text=True)
    assert client.get(f"/reports/saved/{committee}?version=1").status_code == 404
    assert client.get(f"/reports/saved/{committee}/versions").status_code == 403
    assert client.get(f"/reports/saved/{committee}/narrative").status_code == 403
    assert client.post(f"/reports/saved/{committee}/freeze").status_code in (400, 403)
    assert db.session.get(SavedReport, committee).frozen_at is None


def test_a_limited_partner_gets_404_on_a_report_of_the_whole_network(
    app: Flask, committee: int, make_user: Callable[..., Any]
) -> None:
    creuse = make_user("partner", departements=["23"])
    client = signed_in(app, creuse)
    assert client.get(f"/reports/saved/{committee}").status_code == 404
    assert client.get(f"/reports/saved/{committee}/report.json").status_code == 404
    assert "Comité de pilotage 2024" not in client.get("/reports/saved/").get_data(as_text=True)


def test_a_narrative_with_markup_comes_out_as_text_in_every_format(
    app: Flask, committee: int, coordinator: Any
) -> None:
    saved.save_narrative(committee, {"highlights": PAYLOAD, "outlook": "=1+1"},
                         user_id=coordinator.id, base_version=1)  # fmt: skip
    db.session.commit()
    client = signed_in(app, coordinator)
    page = client.get(f"/reports/saved/{committee}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    rows = list(csv.reader(io.StringIO(
        client.get(f"/reports/saved/{committee}/report.csv").get_data(as_text=True).lstrip("\ufeff")
    ), delimiter=";"))  # fmt: skip
    assert ["Perspectives", "Paragraphe 1", "'=1+1"] in rows
    docx = read_docx(io.BytesIO(client.get(f"/reports/saved/{committee}/report.docx").data))
    assert PAYLOAD in [p.text for p in docx.paragraphs]


def test_the_narrative_appears_in_every_format(
    app: Flask, committee: int, coordinator: Any
) -> None:
    client = signed_in(app, coordinator)
    base = f"/reports/saved/{committee}/report"
    pdf = client.get(f"{base}.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Comité de pilotage 2024" in text and "Faits marquants" in text
    assert "Une journée technique à Guéret." in text and "Perspectives" in text
    rows = list(csv.reader(io.StringIO(client.get(f"{base}.csv").get_data(as_text=True)),
                           delimiter=";"))  # fmt: skip
    assert ["Faits marquants", "Paragraphe 2", "Une journée technique à Guéret."] in rows
    assert ["Activités du réseau", "Journées de rencontre entre ressourceries", "2", "2"] in rows
    data = json.loads(client.get(f"{base}.json").data)
    assert data["narrative"]["highlights"] == HIGHLIGHTS and data["narrative"]["version"] == 1
    assert data["saved_report"]["name"] == "Comité de pilotage 2024"
    assert data["activities"]["journee_rencontre"]["count"] == 2
    html = client.get(f"{base}.html?lang=en").get_data(as_text=True)
    assert '<h2 id="report-highlights">Highlights</h2>' in html
    assert client.get(f"{base}.exe").status_code == 404


def test_freezing_then_a_late_correction_shows_on_the_comparison_page(
    app: Flask,
    committee: int,
    coordinator: Any,
    partner: Any,
    make_activity: Callable[..., Any],
    network_year: dict[str, Member],
) -> None:
    client = signed_in(app, coordinator)
    view = client.get(f"/reports/saved/{committee}").get_data(as_text=True)
    answer = client.post(f"/reports/saved/{committee}/freeze", data={"csrf_token": csrf_of(view)})
    assert answer.status_code == 302
    make_activity("2024-03-03", "journee_rencontre", members=[network_year["c"]])
    data = json.loads(client.get(f"/reports/saved/{committee}/report.json").data)
    assert data["activities"]["journee_rencontre"]["count"] == 2  # as presented
    assert data["saved_report"]["frozen_at"] is not None
    page = client.get(f"/reports/saved/{committee}").get_data(as_text=True)
    assert "Chiffres figés le" in page
    for who in (client, signed_in(app, partner)):
        compare = who.get(f"/reports/saved/{committee}/compare").get_data(as_text=True)
        assert "2 chiffres ont changé depuis que le rapport a été figé" in compare
        assert "<code>activities.journee_rencontre.count</code></th>\n" in compare
        row = compare.split("<code>activities.journee_rencontre.count</code>")[1][:120]
        assert re.search(r"<td class=\"num\">2</td>\s*<td class=\"num\">3</td>", row)


def test_the_list_of_saved_reports_is_paginated(
    app: Flask, network_year: dict[str, Member], coordinator: Any
) -> None:
    for year in range(2000, 2030):
        saved.create_report(ReportInput(f"Comité {year}", f"{year}-01-01", f"{year}-12-31"),
                            user_id=coordinator.id)  # fmt: skip
    db.session.commit()
    client = signed_in(app, coordinator)
    first = client.get("/reports/saved/").get_data(as_text=True)
    second = client.get("/reports/saved/?page=2").get_data(as_text=True)
    assert "Comité 2029" in first and "Comité 2005" in first and "Comité 2004" not in first
    assert "Comité 2004" in second and "Comité 2000" in second and "Comité 2029" not in second


def test_the_list_and_the_versions_run_as_many_queries_for_many_as_for_few(
    app: Flask, committee: int, coordinator: Any, make_user: Callable[..., Any]
) -> None:
    from tests.fixtures.queries import get_page

    client = signed_in(app, coordinator)
    authors = [make_user("coordinator", password=None) for _ in range(3)]

    def grow(start: int, stop: int) -> None:
        for n in range(start, stop):
            saved.create_report(ReportInput(f"Comité {n}", "2024-01-01", "2024-12-31"),
                                user_id=coordinator.id)  # fmt: skip
            saved.save_narrative(committee, {"highlights": f"Version {n}"},
                                 user_id=authors[n % 3].id, base_version=n)  # fmt: skip
        db.session.commit()

    grow(1, 3)
    _page, few_list = get_page(client, "/reports/saved/")
    _page, few_versions = get_page(client, f"/reports/saved/{committee}/versions")
    grow(3, 20)
    page, many_list = get_page(client, "/reports/saved/")
    versions, many_versions = get_page(client, f"/reports/saved/{committee}/versions")
    assert "Comité 19" in page and "Version 20" in versions
    assert (many_list, many_versions) == (few_list, few_versions)
