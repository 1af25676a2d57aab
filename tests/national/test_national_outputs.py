"""The national report as a DOCX and from `flask national report`: the same figures as the page
(the networks' reports added up, tests/national/conftest.py), worded as national, without a
holder's personal data; the command refuses bad input clearly in the shell's language."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from accompagnement.national.services import national_document, national_report
from accompagnement.reports.document import Document, layout, number
from accompagnement.reports.exports import render_csv
from accompagnement.reports.services import build_report
from tests.national.conftest import SENTINELS, docx_tables, docx_text, pdf_text

START, END = date(2024, 1, 1), date(2024, 12, 31)
YEAR = ["--from", "2024-01-01", "--to", "2024-12-31"]
SHELLS = {"fr": "fr_FR.UTF-8", "en": "en_GB.UTF-8"}


@pytest.fixture
def signed_in(client: FlaskClient, national_user: Any, sign_in: Callable[..., None]) -> FlaskClient:
    sign_in(client, national_user)
    return client


def national(runner: FlaskCliRunner, *args: str, shell: str = "C.UTF-8") -> Any:
    """Run `flask national report` in a shell of the given locale."""
    env = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": shell}
    return runner.invoke(args=["national", "report", *args], env=env)


def tables_of(doc: Document) -> list[list[list[str]]]:
    """The tables a laid-out report should give: headers, then rows written in its language."""
    return [
        [list(s.headers), *[[number(cell, doc.lang) for cell in row] for row in s.rows]]
        for s in doc.sections
        if s.rows
    ]


def test_the_docx_holds_every_table_of_the_national_report(
    signed_in: FlaskClient, two_networks: int
) -> None:
    answer = signed_in.get("/national/report.docx?from=2024-01-01&to=2024-12-31&lang=fr")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename=rapport-national-2024-01-01-2024-12-31.docx"
    )
    tables = docx_tables(answer.data)
    assert tables == tables_of(national_document(START, END, "fr"))
    activities = next(t for t in tables if t[0][0] == "Type d'activité")
    assert ["Journées de rencontre entre ressourceries", "2", "3"] in activities  # 1 + 1, 2 + 1


def test_the_docx_figures_are_the_sum_of_the_networks(
    signed_in: FlaskClient, two_networks: int
) -> None:
    data = signed_in.get("/national/report.docx?from=2024-01-01&to=2024-12-31&lang=en").data
    observatory = next(t for t in docx_tables(data) if t[0][0] == "Indicator")
    assert ["Tonnes collected", "200.5"] in observatory  # 100 + 50.5 + 50
    assert ["Employees", "19"] in observatory  # 10 + 5 + 4
    assert ["Reuse rate (%)", "36.7"] in observatory  # pooled: 55 / 150
    assert "Ressourceries that joined a network" in docx_text(data)


def test_the_national_report_is_worded_as_national(
    signed_in: FlaskClient, two_networks: int
) -> None:
    for lang in ("fr", "en"):
        query = f"from=2024-01-01&to=2024-12-31&lang={lang}"
        page = signed_in.get(f"/national/report?{query}").get_data(as_text=True)
        words = [
            page,
            docx_text(signed_in.get(f"/national/report.docx?{query}").data),
            pdf_text(signed_in.get(f"/national/report.pdf?{query}").data),
            signed_in.get(f"/national/report.csv?{query}").get_data(as_text=True),
        ]
        for text in words:
            assert "régional" not in text.lower() and "regional" not in text.lower()
    sections = {s.key: s.title for s in national_document(START, END, "en").sections}
    assert sections["observatory"] == "National observatory (2024)"
    assert sections["activities"] == "Activities of the networks"
    assert sections["means_staff"] == "Staff time of the networks' coordinations (FTE)"
    assert national_document(START, END, "en").title == "National activity report"


def test_a_network_s_report_keeps_its_regional_wording(two_networks: int) -> None:
    doc = layout(build_report(START, END, None, "en"), "en")
    sections = {s.key: s.title for s in doc.sections}
    assert sections["observatory"] == "Regional observatory (2024)"
    assert sections["activities"] == "Network activities"


def test_the_command_writes_the_national_json(runner: FlaskCliRunner, two_networks: int) -> None:
    result = national(runner, *YEAR, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == json.loads(json.dumps(national_report(START, END, "fr")))
    assert data["observatory"]["collected_t"] == 200.5
    assert data["activities"]["journee_rencontre"] == {"count": 2, "ressourceries": 3}


def test_the_command_writes_the_same_csv_docx_and_pdf_as_the_pages(
    runner: FlaskCliRunner, signed_in: FlaskClient, two_networks: int
) -> None:
    query = "from=2024-01-01&to=2024-12-31&lang=en"
    csv = national(runner, *YEAR, "--format", "csv", "--lang", "en")
    assert csv.exit_code == 0, csv.output
    assert csv.output.splitlines() == render_csv(national_document(START, END, "en")).splitlines()
    assert "200.5" in csv.output
    docx = national(runner, *YEAR, "--format", "docx", "--lang", "en")
    page_docx = signed_in.get(f"/national/report.docx?{query}").data
    assert docx_tables(docx.stdout_bytes) == docx_tables(page_docx)
    pdf = national(runner, *YEAR, "--format", "pdf", "--lang", "en")
    assert "200.5" in pdf_text(pdf.stdout_bytes)
    assert "National observatory (2024)" in pdf_text(pdf.stdout_bytes)


def test_the_command_writes_to_a_file(
    runner: FlaskCliRunner, two_networks: int, tmp_path: Path
) -> None:
    target = tmp_path / "national.docx"
    result = national(runner, *YEAR, "--format", "docx", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b""
    assert ["Journées de rencontre entre ressourceries", "2", "3"] in next(
        t for t in docx_tables(target.read_bytes()) if t[0][0] == "Type d'activité"
    )


def test_the_command_says_why_it_cannot_write_a_file(
    runner: FlaskCliRunner, two_networks: int, tmp_path: Path
) -> None:
    result = national(runner, *YEAR, "--format", "csv", "--output", str(tmp_path / "no" / "x"))
    assert result.exit_code == 2
    assert "--output" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["json", "csv", "html", "docx", "pdf"])
def test_no_command_output_holds_a_holder_s_personal_data(
    runner: FlaskCliRunner, two_networks: int, fmt: str
) -> None:
    result = national(runner, *YEAR, "--format", fmt)
    assert result.exit_code == 0, result.output
    readers = {"docx": docx_text, "pdf": pdf_text}
    body = readers[fmt](result.stdout_bytes) if fmt in readers else result.output
    assert "LP1" in body  # the words were read: the opening's project is there
    for sentinel in SENTINELS:
        assert sentinel not in body


@pytest.mark.parametrize(
    ("dates", "hint", "words"),
    [
        (["--from", "2024-02-30", "--to", "2024-12-31"], "--from",
         {"fr": "AAAA-MM-JJ", "en": "YYYY-MM-DD"}),
        (["--from", "2024-06-01", "--to", "2024-01-01"], "--to",
         {"fr": "La date de fin", "en": "The end date must be on or after"}),
        (["--from", "demain", "--to", "2024-01-01"], "--from",
         {"fr": "AAAA-MM-JJ", "en": "YYYY-MM-DD"}),
        (["--to", "2024-01-01"], "--from", {"fr": "Saisissez une date", "en": "Enter a date."}),
    ],
)  # fmt: skip
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_command_refuses_bad_dates_in_the_shell_s_language(
    runner: FlaskCliRunner, two_networks: int, dates: list[str], hint: str,
    words: dict[str, str], lang: str,
) -> None:  # fmt: skip
    result = national(runner, *dates, "--format", "json", "--lang", "en", shell=SHELLS[lang])
    assert result.exit_code == 2
    assert hint in result.output and words[lang] in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_command_goes_over_every_network_and_takes_no_network(
    runner: FlaskCliRunner, two_networks: int
) -> None:
    assert national(runner, *YEAR, "--format", "json").exit_code == 0  # two networks: no refusal
    result = national(runner, *YEAR, "--network", "causses")
    assert result.exit_code == 2
    assert "--network" in result.output
