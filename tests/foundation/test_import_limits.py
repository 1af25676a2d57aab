"""Every import is bounded: a file too large or with too many rows is refused, nothing written."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from accompagnement.activities.importer import import_activities
from accompagnement.activities.models import Activity
from accompagnement.extensions import db
from accompagnement.history.importer import import_projects
from accompagnement.importing import ImportErrorList
from accompagnement.members.importer import import_members
from accompagnement.members.models import Member
from accompagnement.observatory.importer import import_reports
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.projects.models import Project
from accompagnement.syndicates.importer import import_syndicates
from accompagnement.territory.models import WasteSyndicate
from tests.conftest import english_locale

PASSWORD = "correct horse battery staple"
IMPORTS: dict[str, tuple[Callable[..., object], str, str, type]] = {
    "members": (import_members, "name,departement\n", "Ressourcerie {n},87\n", Member),
    "activities": (
        import_activities,
        "date,type,title\n",
        "2013-05-04,visite,Visite {n}\n",
        Activity,
    ),
    "observatory": (import_reports, "member,year\n", "Ressourcerie {n},2013\n", ObservatoryReport),
    "projects": (
        import_projects,
        "name,workflow,stage,date_premier_contact\n",
        "Projet {n},creation-ressourcerie,premier_contact,2013-05-04\n",
        Project,
    ),
    "syndicates": (
        import_syndicates,
        "syndicate,commune\n",
        "Syndicat {n},87085\n",
        WasteSyndicate,
    ),
}


in_english = pytest.fixture(english_locale)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def csv_of(name: str, rows: int, pad: int = 0) -> bytes:
    _function, header, row, _model = IMPORTS[name]
    body = "".join(row.format(n=n) for n in range(rows))
    return (header + body + "\n" * pad).encode()


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_a_file_with_too_many_rows_is_refused_and_nothing_is_written(
    name, app, monkeypatch, coordinator, in_english
):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    function, _header, _row, model = IMPORTS[name]
    before = count(model)
    with pytest.raises(ImportErrorList) as caught:
        function(csv_of(name, 4), user_id=coordinator.id)
    db.session.rollback()
    assert [str(e) for e in caught.value.rows] == [
        "Line 1: The file has more than 3 rows: split it into several files."
    ]
    assert count(model) == before


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_a_file_over_the_size_limit_is_refused_and_nothing_is_written(
    name, app, monkeypatch, coordinator, in_english
):
    monkeypatch.setitem(app.config, "IMPORT_MAX_MB", 1)
    function, _header, _row, model = IMPORTS[name]
    before = count(model)
    with pytest.raises(ImportErrorList) as caught:
        function(csv_of(name, 2, pad=1024 * 1024), user_id=coordinator.id)
    db.session.rollback()
    [message] = caught.value.lines()
    assert message.startswith(
        "Line 1: The file is too large (1.0 MB): an import takes at most 1 MB"
    )
    assert count(model) == before


def test_the_rows_at_the_limit_still_import(app, monkeypatch, coordinator):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    assert import_projects(csv_of("projects", 3), user_id=coordinator.id).created == 3


def test_the_command_says_why_and_exits_1(app, runner, monkeypatch, coordinator, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    path = tmp_path / "members.csv"
    path.write_bytes(csv_of("members", 4))
    result = runner.invoke(args=["import", "members", str(path)], env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 1
    assert "The file has more than 3 rows" in result.output
    assert count(Member) == 0


def test_the_page_says_why_in_french(app, client, monkeypatch, coordinator):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    client.post("/auth/login", data={"email": coordinator.email, "password": PASSWORD})
    response = client.post(
        "/activities/import",
        data={"file": (io.BytesIO(csv_of("activities", 4)), "a.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "plus de 3 lignes" in response.get_data(as_text=True)
    assert count(Activity) == 0


def test_an_upload_over_the_request_limit_gets_a_page_that_explains(
    app, english_client, monkeypatch, coordinator
):
    english_client.post("/auth/login", data={"email": coordinator.email, "password": PASSWORD})
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    big = FileStorage(io.BytesIO(csv_of("projects", 2, pad=2 * 1024 * 1024)), "p.csv")
    boundary, body = encode_multipart({"file": big})  # in memory: no temporary file left open
    response = english_client.post(
        "/admin/import/projects",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "may be at most 1 MB" in page
    assert count(Project) == 0
