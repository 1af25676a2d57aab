"""A person gets everything held about them, in JSON or CSV, and the export is logged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from accompagnement.audit.models import AuditEvent
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.privacy import services
from accompagnement.privacy.personal_data import REGISTRY
from tests.privacy.people import EMAIL, NEIGHBOUR_SECRET, PHONE, Scene


def exported(scene: Scene, email: str = EMAIL) -> dict[str, Any]:
    data = json.loads(services.export_person(email, fmt="json"))
    db.session.commit()
    return data


def test_the_export_holds_the_account_and_what_the_person_did(scene: Scene) -> None:
    data = exported(scene)
    tables = data["tables"]
    (account,) = tables["users"]
    assert (account["email"], account["name"], account["phone"]) == (EMAIL, "Maëlle Fictive", PHONE)
    assert [p["id"] for p in tables["projects"]] == [scene.project_id]
    assert [f["revision"] for f in tables["form_submissions"]] == [
        1,
        2,
    ]  # hers and the coordinator's
    assert {c["body"] for c in tables["comments"]} == {
        "Maëlle écrit : j'ai un local", "Rendez-vous pris"
    }  # fmt: skip
    assert [d["original_name"] for d in tables["documents"]] == ["Statuts Maëlle Fictive.pdf"]
    assert [t["note"] for t in tables["checklist_ticks"]] == ["Entretien à Felletin"]
    assert [(t["trigger"], t["reason"]) for t in tables["transition_records"]] == [
        ("create", None), ("pause", "Congé")
    ]  # fmt: skip
    assert [m["contact_phone"] for m in tables["members"]] == [PHONE]
    assert "auth.login" in {e["action"] for e in tables["audit_events"]}


def test_the_export_follows_the_registry_column_by_column(scene: Scene) -> None:
    tables = exported(scene)["tables"]
    for name, rows in tables.items():
        wanted = {c for c, kind in REGISTRY[name].columns.items() if kind.exported}
        for row in rows:
            assert set(row) == wanted, name


def test_the_export_holds_nothing_about_other_people_and_no_secret(scene: Scene) -> None:
    text = services.export_person(EMAIL, fmt="json")
    assert NEIGHBOUR_SECRET not in text
    assert "voisin.fictif@example.org" not in text
    assert "argon2" not in text and "password_hash" not in text and "session_token" not in text
    assert "storage_name" not in text


def test_the_csv_export_is_complete_and_safe_in_a_spreadsheet(scene: Scene) -> None:
    text = services.export_person(EMAIL, fmt="csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["table", "row", "column", "value"]
    cells = {(t, c): v for t, _row, c, v in rows[1:]}
    assert cells[("users", "email")] == EMAIL
    assert cells[("users", "phone")] == "'" + PHONE  # "+33..." would be read as a formula
    motivations = [v for t, _r, c, v in rows[1:] if t == "form_submissions" and c == "data"]
    assert any("HYPERLINK" in v for v in motivations)
    assert not any(v.startswith(("=", "+", "@")) for *_rest, v in rows[1:])


def test_every_export_is_logged_without_the_address(scene: Scene) -> None:
    services.export_person(EMAIL, fmt="csv")
    db.session.commit()
    (event,) = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "privacy.exported")
    ).all()
    assert event.detail["subject_id"] == scene.person_id
    assert event.detail["format"] == "csv"
    assert EMAIL not in json.dumps(event.detail)


def test_the_address_is_matched_whatever_its_case(scene: Scene) -> None:
    assert exported(scene, "  Maelle.Fictive@EXAMPLE.org ")["user_id"] == scene.person_id


def test_a_contact_without_an_account_is_exported_too(scene: Scene) -> None:
    from accompagnement.members.models import Member

    db.session.add(Member(name="Recyclerie Fictive", contact_email="sans.compte@example.org"))
    db.session.commit()
    data = exported(scene, "sans.compte@example.org")
    assert data["user_id"] is None
    assert [m["name"] for m in data["tables"]["members"]] == ["Recyclerie Fictive"]


def test_an_unknown_address_is_not_found(scene: Scene) -> None:
    with pytest.raises(NotFound):
        services.export_person("personne@example.org")


def test_the_export_command_writes_json_or_csv(
    scene: Scene, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(args=["privacy", "export", EMAIL])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["user_id"] == scene.person_id
    target = tmp_path / "export.csv"
    result = runner.invoke(
        args=["privacy", "export", EMAIL, "--format", "csv", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("table,row,column,value")
    logged = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "privacy.exported")
    )
    assert logged == 2


def test_the_export_command_explains_an_unknown_address(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["privacy", "export", "personne@example.org"])
    assert result.exit_code == 1
    assert "No personal data is held for this e-mail address" in result.output
    assert "Traceback" not in result.output
