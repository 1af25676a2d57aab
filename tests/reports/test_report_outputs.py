"""The report as a page, a PDF, CSV and JSON, on the web and on the command line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader
from report_dates import END, START

from accompagnement.members.models import Member
from accompagnement.network.services import (
    OrganisationInput,
    Settings,
    save_organisation,
    setup_network,
)
from accompagnement.reports.document import layout
from accompagnement.reports.exports import render_csv, render_pdf
from accompagnement.reports.services import build_report

PERIOD = {"from": "2024-01-01", "to": "2024-12-31"}


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_the_french_wording_and_the_figures(
    network_year: dict[str, Member],
) -> None:
    data = render_pdf(layout(build_report(START, END), "fr"))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Journées de rencontre entre ressourceries" in text
    assert "Rapport d'activité au comité de pilotage" in text
    assert "Période du 1 janvier 2024 au 31 décembre 2024" in text
    assert "Par des collectivités territoriales" in text
    assert "Région Limousin" in text
    assert "150,5" in text  # tonnes collected, with a decimal comma


def test_the_pdf_works_without_any_system_font(network_year: dict[str, Member]) -> None:
    data = render_pdf(layout(build_report(START, END), "fr"), use_system_font=False)
    assert b"DejaVu" not in data
    text = pdf_text(data)
    assert "Journées de rencontre entre ressourceries" in text
    assert "Chiffre d'affaires des ventes (€)" in text
    assert "150,5" in text


def test_the_pdf_can_be_in_english(network_year: dict[str, Member]) -> None:
    text = pdf_text(render_pdf(layout(build_report(START, END), "en")))
    assert "Meeting days between ressourceries" in text and "150.5" in text


def test_the_csv_is_safe_against_formulas(
    network_year: dict[str, Member], make_user: Callable[..., Any]
) -> None:
    save_organisation(OrganisationInput('=HYPERLINK("http://evil.example")'))
    text = render_csv(layout(build_report(START, END), "fr"))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    # Each section's own header line names its columns (the first line stays generic).
    assert rows[0][:3] == ["Rubrique", "Libellé", "Valeur"]
    assert ["Activités du réseau", "Type d'activité", "Nombre", "Ressourceries concernées"] in rows
    assert ["Activités du réseau", "Journées de rencontre entre ressourceries", "2", "2"] in rows
    assert ["Observatoire régional (2024)", "Indicateur", "2024"] in rows
    assert ["Observatoire régional (2024)", "Tonnes collectées", "150,5"] in rows
    partners = [row[1] for row in rows if row[0] == "Partenaires"][1:]  # after its header
    assert partners == [
        '\'=HYPERLINK("http://evil.example")',
        "ADEME",
        "Limousin Actif",
        "Région Limousin",
    ]


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_the_page_shows_the_report_of_the_period(
    role: str,
    client: FlaskClient,
    auth: Any,
    make_user: Callable[..., Any],
    network_year: dict[str, Member],
) -> None:
    auth.login(make_user(role))
    page = client.get("/reports/", query_string={**PERIOD, "lang": "fr"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Journées de rencontre entre ressourceries" in html
    assert "Période du 1 janvier 2024 au 31 décembre 2024" in html
    assert html.count("<h1") == 1
    assert 'href="/reports/report.pdf?' in html and "no-print" in html


def test_the_page_defaults_to_the_last_full_year(
    client: FlaskClient, auth: Any, coordinator: Any
) -> None:
    from accompagnement.reports.period import last_full_year

    auth.login(coordinator)
    start, end = last_full_year()
    html = client.get("/reports/").get_data(as_text=True)
    assert f'value="{start.isoformat()}"' in html and f'value="{end.isoformat()}"' in html


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"from": "2024-13-01", "to": "2024-12-31"}, "Enter a date as YYYY-MM-DD"),
        ({"from": "2024-06-01", "to": "2024-01-01"}, "The end date must be on or after"),
        ({"from": "", "to": "2024-01-01"}, "Enter a date."),
        ({"from": "<script>", "to": "x" * 500}, "Enter a date as YYYY-MM-DD"),
    ],
)
def test_a_wrong_period_is_explained_next_to_the_fields(
    client: FlaskClient, auth: Any, coordinator: Any, period: dict[str, str], message: str
) -> None:
    auth.login(coordinator)
    page = client.get("/reports/", query_string=period, headers={"Accept-Language": "en"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html and "<script>" not in html
    assert client.get("/reports/report.pdf", query_string=period).status_code == 400
    assert client.get("/reports/report.csv", query_string=period).status_code == 400
    answer = client.get("/reports/report.json", query_string=period)
    assert answer.status_code == 400 and answer.json is not None and answer.json["errors"]


def test_the_downloads_of_a_period(
    client: FlaskClient, auth: Any, coordinator: Any, network_year: dict[str, Member]
) -> None:
    auth.login(coordinator)
    pdf = client.get("/reports/report.pdf", query_string={**PERIOD, "lang": "fr"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    assert "Journées de rencontre" in pdf_text(pdf.data)
    sheet = client.get("/reports/report.csv", query_string={**PERIOD, "lang": "en"})
    assert sheet.mimetype == "text/csv"
    assert "Meeting days between ressourceries,2,2" in sheet.get_data(as_text=True)
    data = client.get("/reports/report.json", query_string=PERIOD)
    assert data.json == build_report(START, END)
    assert list(data.json["activities"])[0] == "journee_rencontre"  # documented order kept


@pytest.mark.parametrize("role", ["holder", "member"])
def test_holders_and_members_have_no_report(
    role: str, client: FlaskClient, auth: Any, make_user: Callable[..., Any]
) -> None:
    auth.login(make_user(role))
    for url in ("/reports/", "/reports/report.pdf", "/reports/report.csv", "/reports/report.json"):
        assert client.get(url).status_code == 403


def test_the_command_writes_every_format(
    runner: FlaskCliRunner, network_year: dict[str, Member], tmp_path: Path
) -> None:
    args = ["report", "--from", "2024-01-01", "--to", "2024-12-31"]
    as_json = runner.invoke(args=[*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == build_report(START, END)

    as_html = runner.invoke(args=[*args, "--format", "html"])
    assert as_html.exit_code == 0
    assert as_html.output.startswith("<!doctype html>")
    assert "Journées de rencontre entre ressourceries" in as_html.output

    as_csv = runner.invoke(args=[*args, "--format", "csv", "--lang", "en"])
    assert "Meeting days between ressourceries,2,2" in as_csv.output

    as_pdf = runner.invoke(args=[*args, "--format", "pdf"])
    assert as_pdf.exit_code == 0 and as_pdf.stdout_bytes.startswith(b"%PDF")
    assert "Journées de rencontre" in pdf_text(as_pdf.stdout_bytes)


@pytest.mark.parametrize(
    ("dates", "hint"),
    [
        (["--from", "2024-02-30", "--to", "2024-12-31"], "--from"),
        (["--from", "2024-06-01", "--to", "2024-01-01"], "--to"),
        (["--from", "demain", "--to", "2024-01-01"], "--from"),
    ],
)
def test_the_command_refuses_bad_dates_clearly(
    runner: FlaskCliRunner, dates: list[str], hint: str
) -> None:
    result = runner.invoke(args=["report", *dates, "--format", "json"])
    assert result.exit_code == 2
    assert hint in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_command_refuses_in_the_shell_s_language_whatever_the_report_s(
    app: Any,
) -> None:
    english_shell = app.test_cli_runner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_GB"})
    result = english_shell.invoke(
        args=["report", "--from", "2024-06-01", "--to", "2024-01-01", "--lang", "fr"]
    )
    assert result.exit_code == 2
    assert "The end date must be on or after the start date." in result.output


def test_the_command_writes_to_a_file(
    runner: FlaskCliRunner, network_year: dict[str, Member], tmp_path: Path
) -> None:
    target = tmp_path / "rapport.json"
    result = runner.invoke(args=["report", "--from", "2024-01-01", "--to", "2024-12-31",
                                 "--format", "json", "--output", str(target)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(
        json.dumps(build_report(START, END, None, "fr"))
    )


def test_the_network_s_title_texts_and_organisations_head_every_format(
    network_year: dict[str, Member],
) -> None:
    settings = Settings(
        name="Réseau des ressourceries du Plateau",
        short_name="test",
        departements=["19", "23", "87"],
        report_title="Bilan 2024 du réseau",
        report_intro="Une année de rencontres.",
        report_footer="Merci à nos financeurs.",
    )
    setup_network(settings)
    doc = layout(build_report(START, END), "fr")
    assert (doc.title, doc.subtitle) == ("Bilan 2024 du réseau", settings.name)
    text = pdf_text(render_pdf(doc))
    for expected in ("Bilan 2024 du réseau", settings.name, "Une année de rencontres.",
                     "Merci à nos financeurs.", "Limousin Actif"):  # fmt: skip
        assert expected in text
    assert "Rapport d'activité au comité de pilotage" not in text


def test_activity_rows_are_named_by_the_activity_types_in_the_report_language(
    network_year: dict[str, Member],
) -> None:
    # the interface is in English here (conftest); the report is French: one catalogue, two uses
    from flask_babel import force_locale

    from accompagnement.activities.models import TYPE_PLURAL_LABELS, ActivityType

    doc = layout(build_report(START, END), "fr")
    with force_locale("fr"):
        expected = [str(TYPE_PLURAL_LABELS[kind]) for kind in ActivityType]
    assert [row[0] for row in doc.sections[0].rows] == expected
    assert expected[0] == "Journées de rencontre entre ressourceries"
    assert doc.sections[0].title == "Activités du réseau"
