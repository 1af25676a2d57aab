"""The golden test: the Limousin programme of the ADEME sheet, built through the imports only.

The sheet (seed/fiche-optigede-dynamique-regionale-limousin.txt) reports, for 2012-02-15 to
2014-08-15: 17 meeting days, 19 awareness actions by 6 ressourceries, 21 animations by 5, 20
visits (6 by local authorities, 14 by project holders), 6 conferences, 4 new members, 1 FTE and
62 000 € of which 13 000 € of other costs. The files of tests/reports/seed/ hold that
programme (and a meeting the day before and the day after it, which must not count); the network
and its partner organisations are set up with `flask network`, everything else goes through
`flask import members|activities|means`.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

SEED = Path(__file__).parent / "seed"
FUNDERS = ("ADEME", "Région Limousin", "DREAL Limousin", "CD23", "SYDED 87", "Limousin Actif")
PERIOD = ["--from", "2012-02-15", "--to", "2014-08-15"]


def invoke(runner: Any, *args: str) -> Any:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def programme(runner: Any, territory: None) -> None:
    """Set the network up and import the seed files, as a coordinator would from a shell."""
    invoke(runner, "network", "setup", "--name", "Dynamique Régionale des ressourceries du "
           "Limousin", "--short-name", "limousin", "--departements", "19,23,87")  # fmt: skip
    for funder in FUNDERS:
        invoke(runner, "network", "organisation", funder)
    for kind, name in (("members", "membres"), ("activities", "activites"), ("means", "moyens")):
        invoke(runner, "import", kind, "--lang", "fr", str(SEED / f"{name}.csv"))


def test_the_json_report_gives_every_figure_of_the_sheet(runner: Any, programme: None) -> None:
    report = json.loads(invoke(runner, "report", *PERIOD, "--format", "json").output)
    activities = report["activities"]
    assert activities["journee_rencontre"]["count"] == 17
    assert activities["sensibilisation"] == {"count": 19, "ressourceries": 6}
    assert activities["animation"] == {"count": 21, "ressourceries": 5}
    assert report["visits"]["total"] == 20
    assert report["visits"]["by_visitor"] == {"collectivite": 6, "porteur_projet": 14, "autre": 0}
    assert activities["colloque"]["count"] == 6
    assert report["new_members"] == 4
    means = report["means"]
    assert means["staff"]["average_fte"] == 1
    assert means["staff"]["by_year"] == {"2012": 1, "2013": 1, "2014": 1}
    assert means["budget"]["total"] == {"staff": 49000, "other": 13000, "total": 62000}
    assert means["funding"]["total"] == 62000
    assert {f["funder"] for f in means["funding"]["by_funder"]} == set(FUNDERS)


# Every figure of the seed sheet as the French report writes its row.
SHEET_ROWS = [
    "Journées de rencontre entre ressourceries 17",
    "Actions de sensibilisation 19 6",
    "Animations 21 5",
    "Participations à des colloques ou réunions de partenaires 6",
    "Par des collectivités territoriales 6",
    "Par des porteurs de projet 14",
    "Total des visites 20",
    "Ressourceries ayant rejoint le réseau 4",
    "Total 1 1 1 1",  # FTE in 2012, 2013, 2014 and over the period
    "Autres charges 5 000 5 000 3 000 13 000",
    "Budget total 22 000 25 000 15 000 62 000",
]


def pdf_text(data: bytes) -> str:
    """The PDF's text on one line: table cells wrapped over lines and every space made plain."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[\s\u202f\u00a0]+", " ", text)


def test_the_pdf_shows_every_figure_of_the_sheet(runner: Any, programme: None) -> None:
    result = runner.invoke(args=["report", *PERIOD, "--format", "pdf", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    text = pdf_text(result.stdout_bytes)
    assert [figure for figure in SHEET_ROWS if figure not in text] == [], text


def docx_rows(data: bytes) -> list[str]:
    """Every table row of the DOCX as one line of its cells, read back with python-docx."""
    from docx import Document as read_docx

    assert data[:2] == b"PK"
    document = read_docx(io.BytesIO(data))
    rows = [" ".join(cell.text for cell in row.cells) for t in document.tables for row in t.rows]
    return [re.sub(r"[\s\u202f\u00a0]+", " ", row).strip() for row in rows]


def test_the_editable_docx_shows_every_figure_of_the_sheet(runner: Any, programme: None) -> None:
    result = runner.invoke(args=["report", *PERIOD, "--format", "docx", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    rows = docx_rows(result.stdout_bytes)
    assert [f for f in SHEET_ROWS if not any(row.startswith(f) for row in rows)] == [], rows
