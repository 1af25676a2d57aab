"""Documents: allowed types checked by extension and content, a size limit, generated storage
names outside static/, downloads as attachments to the project's people only."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.projects.models import Document

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = office({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = office({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = office({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})


def upload(client: Any, project: Any, name: str, content: bytes, stage: str = "") -> Any:
    data = {"file": (io.BytesIO(content), name), "stage": stage}
    return client.post(
        f"/projects/{project.id}/documents", data=data, content_type="multipart/form-data"
    )


def stored() -> list[Document]:
    return list(db.session.scalars(select(Document)))


def files_in(app: Any) -> list[Path]:
    return sorted(p for p in Path(app.config["UPLOAD_DIR"]).iterdir() if p.is_file())


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Étude de gisement.pdf", PDF, "application/pdf"),
        ("plan.PNG", PNG, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("statuts.docx", DOCX, "application/vnd.openxmlformats-officedocument"),
        ("budget.xlsx", XLSX, "application/vnd.openxmlformats-officedocument"),
        ("compte-rendu.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("budget.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("communes.csv", "insee;nom\n87085;Limoges\n".encode("cp1252"), "text/csv"),
        ("notes.txt", "Réunion du 3 mars".encode(), "text/plain"),
    ],
)
def test_allowed_files_are_stored_under_a_generated_name(
    client, auth, app, holder, project, name, content, content_type
):
    auth.login(holder)
    response = upload(client, project, name, content, stage="premier_contact")
    assert response.status_code == 302
    (document,) = stored()
    assert (document.original_name, document.stage, document.size) == (
        name,
        "premier_contact",
        len(content),
    )
    assert document.content_type.startswith(content_type)
    assert document.uploaded_by_id == holder.id
    (path,) = files_in(app)
    assert path.name == document.storage_name != name
    assert path.read_bytes() == content
    assert "static" not in path.parts


@pytest.mark.parametrize(
    "name", ["page.html", "script.js", "image.svg", "setup.exe", "archive.zip", "noextension"]
)
def test_other_types_are_refused(client, auth, app, holder, project, name):
    auth.login(holder)
    response = upload(client, project, name, b"hello")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="error" id="file-error">This type of file is not accepted.</p>' in html
    assert stored() == [] and files_in(app) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"not a pdf at all"),
        ("photo.jpg", PNG),
        ("plan.png", PDF),
        ("statuts.docx", XLSX),
        ("statuts.docx", b"PK\x03\x04 broken zip"),
        ("budget.ods", ODT),
        ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("notes.txt", PDF + b"\x00\x01"),
        ("table.csv", PNG),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(
    client, auth, app, holder, project, name, content
):
    auth.login(holder)
    response = upload(client, project, name, content)
    assert response.status_code == 400
    assert "The content of the file does not match its type." in response.get_data(as_text=True)
    assert stored() == [] and files_in(app) == []


def test_an_empty_file_or_no_file_is_refused(client, auth, holder, project):
    auth.login(holder)
    assert upload(client, project, "vide.txt", b"").status_code == 400
    response = client.post(f"/projects/{project.id}/documents", data={"stage": ""})
    assert response.status_code == 400
    assert stored() == []


def test_a_too_large_upload_gets_the_413_page(client, auth, app, holder, project, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    auth.login(holder)
    response = upload(client, project, "gros.pdf", PDF + b"0" * 4096)
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    assert stored() == [] and files_in(app) == []


def test_a_download_is_an_attachment_with_nosniff(client, auth, holder, project):
    auth.login(holder)
    upload(client, project, "Étude gisement.pdf", PDF)
    (document,) = stored()
    response = client.get(f"/projects/{project.id}/documents/{document.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%C3%89tude%20gisement.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_only_the_projects_people_may_download(
    client, auth, coordinator, holder, other_holder, partner, project
):
    auth.login(holder)
    upload(client, project, "notes.txt", b"Compte rendu")
    auth.logout()
    (document,) = stored()
    url = f"/projects/{project.id}/documents/{document.id}"
    expected = {coordinator: 200, holder: 200, other_holder: 404, partner: 403}
    for user, status in expected.items():
        auth.login(user)
        assert client.get(url).status_code == status, user.role
        auth.logout()
    assert client.get(url).status_code == 302  # anonymous: the login page


def test_a_document_is_only_reachable_through_its_own_project(
    client, auth, coordinator, project, make_project
):
    auth.login(coordinator)
    upload(client, project, "notes.txt", b"Compte rendu")
    (document,) = stored()
    other = make_project("Autre projet", holders=[])
    assert client.get(f"/projects/{other.id}/documents/{document.id}").status_code == 404


def test_the_page_lists_documents_with_download_links(client, auth, coordinator, project):
    auth.login(coordinator)
    upload(client, project, "<img src=x onerror=alert(1)>.txt", b"plan")
    (document,) = stored()
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'href="/projects/{project.id}/documents/{document.id}"' in html
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in html
