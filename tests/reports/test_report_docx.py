"""The editable DOCX read back with python-docx (headings, tables, narrative); the command."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document as read_docx
from docx.document import Document as Docx
from flask import Flask
from flask.testing import FlaskCliRunner
from report_dates import END, START

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.reports import saved
from accompagnement.reports.document import layout
from accompagnement.reports.editable import render_docx
from accompagnement.reports.saved import ReportInput
from accompagnement.reports.services import build_report
from tests.fixtures.accounts import login

HIGHLIGHTS = "Deux ressourceries ont rejoint le réseau.\nL'une à Guéret.\n\nUne journée technique."


def opened(data: bytes) -> Docx:
    assert data[:2] == b"PK"  # a zip container, as every DOCX
    return read_docx(io.BytesIO(data))


def headings(docx: Docx) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.paragraphs if p.style.name.startswith(("Head",
            "Title"))]  # fmt: skip


def table_titled(docx: Docx, first_header: str) -> list[list[str]]:
    for table in docx.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows[0][0] == first_header:
            return rows
    raise AssertionError(f"no table starts with {first_header!r}")


@pytest.fixture
def committee(network_year: dict[str, Member], coordinator: Any) -> Any:
    report = saved.create_report(
        ReportInput("Comité de pilotage 2024", "2024-01-01", "2024-12-31"), user_id=coordinator.id
    )
    saved.save_narrative(report.id, {"highlights": HIGHLIGHTS, "difficulties": "Peu de bénévoles."},
                         user_id=coordinator.id, base_version=0)  # fmt: skip
    db.session.commit()
    return report


def test_every_section_is_a_heading_and_a_table(network_year: dict[str, Member]) -> None:
    doc = layout(build_report(START, END), "fr")
    docx = opened(render_docx(doc))
    assert ("Title", "Rapport d'activité au comité de pilotage") in headings(docx)
    assert [text for style, text in headings(docx) if style == "Heading 1"] == [
        section.title for section in doc.sections
    ]
    activities = table_titled(docx, "Type d'activité")
    assert activities[0] == ["Type d'activité", "Nombre", "Ressourceries concernées"]
    assert ["Journées de rencontre entre ressourceries", "2", "2"] in activities
    observatory = table_titled(docx, "Indicateur")
    assert ["Tonnes collectées", "150,5"] in observatory  # the report language's decimal comma
    assert docx.core_properties.title == "Rapport d'activité au comité de pilotage"
    assert docx.core_properties.language == "fr"


def test_the_narrative_comes_before_the_figures_with_its_paragraphs(committee: Any) -> None:
    version = saved.current_version(committee.id)
    docx = opened(render_docx(saved.saved_layout(committee, version, "fr")))
    titles = [text for style, text in headings(docx) if style == "Heading 1"]
    assert titles[:3] == ["Faits marquants", "Difficultés", "Activités du réseau"]
    assert ("Title", "Comité de pilotage 2024") in headings(docx)
    texts = [p.text for p in docx.paragraphs]
    # a line break inside a paragraph stays one paragraph with a break; a blank line splits
    assert "Deux ressourceries ont rejoint le réseau.\nL'une à Guéret." in texts
    assert "Une journée technique." in texts and "Peu de bénévoles." in texts
    assert "Perspectives" not in titles  # an empty part has no heading


def test_a_frozen_report_says_so_and_shows_its_snapshot(
    committee: Any, coordinator: Any, make_activity: Callable[..., Any],
    network_year: dict[str, Member],
) -> None:  # fmt: skip
    saved.freeze(committee.id, user_id=coordinator.id)
    db.session.commit()
    make_activity("2024-03-03", "journee_rencontre", members=[network_year["c"]])
    docx = opened(render_docx(saved.saved_layout(committee, None, "en")))
    assert any(p.text.startswith("Figures as frozen on") for p in docx.paragraphs)
    assert ["Meeting days between ressourceries", "2", "2"] in table_titled(
        docx, "Type of activity"
    )


def test_the_live_report_downloads_as_docx(
    app: Flask, network_year: dict[str, Member], coordinator: Any
) -> None:
    client = app.test_client()
    login(client, coordinator.email)
    answer = client.get("/reports/report.docx?from=2024-01-01&to=2024-12-31")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename=rapport-2024-01-01-2024-12-31.docx"
    )
    assert ["Journées de rencontre entre ressourceries", "2", "2"] in table_titled(
        opened(answer.data), "Type d'activité"
    )


def test_the_command_writes_a_saved_report_by_name_or_id(
    runner: FlaskCliRunner, committee: Any
) -> None:
    result = runner.invoke(args=["report", "--saved", "Comité de pilotage 2024", "--format",
                                 "docx"])  # fmt: skip
    assert result.exit_code == 0, result.output
    docx = opened(result.stdout_bytes)
    assert "Une journée technique." in [p.text for p in docx.paragraphs]
    result = runner.invoke(args=["report", "--saved", str(committee.id), "--format", "json"])
    data = json.loads(result.output)
    assert data["narrative"]["difficulties"] == "Peu de bénévoles."
    assert data["saved_report"]["name"] == "Comité de pilotage 2024"


def test_the_command_writes_a_period_as_docx(
    runner: FlaskCliRunner, network_year: dict[str, Member]
) -> None:
    result = runner.invoke(args=["report", "--from", "2024-01-01", "--to", "2024-12-31",
                                 "--format", "docx", "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ["Meeting days between ressourceries", "2", "2"] in table_titled(
        opened(result.stdout_bytes), "Type of activity"
    )


def test_the_command_names_an_unknown_saved_report_clearly(
    runner: FlaskCliRunner, committee: Any
) -> None:
    result = runner.invoke(args=["report", "--saved", "Comité de 1999"])
    assert result.exit_code == 2
    assert "--saved" in result.output and "Comité de 1999" in result.output
    assert "Traceback" not in result.output
