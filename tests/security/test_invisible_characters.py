"""Names that come from a file keep no control or bidirectional format character (#9)."""

from __future__ import annotations

import io
import unicodedata

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from security_suite import People, client_for
from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.importing import read_csv
from accompagnement.projects import documents
from accompagnement.projects.models import Document

INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def _visible(text: str) -> bool:
    return not any(unicodedata.category(ch) in INVISIBLE for ch in text)


@pytest.mark.parametrize(
    ("given_name", "kept"),
    [
        ("évil\u202egnp.txt", "évilgnp.txt"),
        ("rapport\u200b\u200d.pdf", "rapport.pdf"),
        ("\ufeffstatuts\u2066.pdf\u2069", "statuts.pdf"),
        ("ligne\u2028paragraphe\u2029.pdf", "ligneparagraphe.pdf"),
        ("c1\x85\x9b.txt", "c1.txt"),
    ],
)
def test_an_upload_name_loses_its_invisible_characters(given_name: str, kept: str) -> None:
    assert documents.clean_name(given_name) == kept


@given(st.text(max_size=80))
def test_no_stored_upload_name_holds_an_invisible_character(name: str) -> None:
    assert _visible(documents.clean_name(name))


def test_an_uploaded_document_is_listed_under_its_visible_name(app: Flask, people: People) -> None:
    holder = client_for(app, "holder", people)
    response = holder.post(
        f"/projects/{people.project_id}/documents",
        data={"file": (io.BytesIO(b"hello"), "\u00e9vil\u202egnp.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 302)
    names = db.session.scalars(
        select(Document.original_name).where(Document.project_id == people.project_id)
    ).all()
    assert names == ["évilgnp.txt"]


def test_a_csv_cell_loses_its_invisible_characters() -> None:
    _header, rows = read_csv("name;city\nRessourcerie\u202e ecnerolf;Li\u200bmoges\n".encode())
    assert rows[0].get("name") == "Ressourcerie ecnerolf"
    assert rows[0].get("city") == "Limoges"
