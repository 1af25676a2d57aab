"""The open data package: a valid Frictionless Data Package of public figures only."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from frictionless import Package, validate

from accompagnement.config import ConfigError, from_environment
from accompagnement.opendata import licences
from accompagnement.opendata.package import DataPackage
from tests.opendata.conftest import PERSONAL, YEAR


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_exported_package_is_valid_for_frictionless(published: Any, tmp_path: Path) -> None:
    DataPackage(published, YEAR).write(tmp_path)

    report = validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    assert [r.name for r in package.resources] == ["observatory", "pipeline", "members"]
    assert all(r.schema.primary_key for r in package.resources)
    assert all(f.description for r in package.resources for f in r.schema.fields)


def test_the_licence_is_licence_ouverte_by_default(published: Any) -> None:
    licences = DataPackage(published, YEAR).descriptor()["licenses"]

    assert [licence["name"] for licence in licences] == ["etalab-2.0"]
    assert licences[0]["title"] == "Licence Ouverte / Open Licence version 2.0"


def test_a_network_can_publish_under_another_licence(
    app: Flask, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "OPENDATA_NETWORK_LICENCES", {"limousin": "odc-odbl-1.0"})

    licences = DataPackage(published, YEAR).descriptor()["licenses"]

    assert [licence["name"] for licence in licences] == ["odc-odbl-1.0"]


def test_the_observatory_holds_the_totals_of_the_year(published: Any) -> None:
    rows = {r["indicator"]: r for r in _rows(DataPackage(published, YEAR).csv("observatory"))}

    assert rows["reports"]["value"] == "2"
    assert rows["collected_dropoff"]["value"] == "100.0"  # 60.5 + 39.5; 2023's 999 apart
    assert rows["total_collected"]["value"] == "100.0"
    assert rows["headcount"]["value"] == "8"
    assert rows["headcount"]["over_time"] == "stock"
    assert rows["women_percent"]["value"] == "50.0"  # weighted share, not 50 + 50
    assert rows["recovery_rate"]["over_time"] == "derived"
    assert rows["average_basket"]["value"] == "10.00"
    assert rows["collected_dropoff"]["label"] == "Apport volontaire"


def test_a_year_without_reports_gives_unknown_values(published: Any) -> None:
    rows = {r["indicator"]: r for r in _rows(DataPackage(published, YEAR - 5).csv("observatory"))}

    assert rows["reports"]["value"] == "0"
    assert rows["collected_dropoff"]["value"] == ""


def test_the_pipeline_counts_projects_by_stage_and_departement(published: Any) -> None:
    rows = _rows(DataPackage(published, YEAR).csv("pipeline"))
    counts = {(r["stage"], r["departement"]): int(r["projects"]) for r in rows if r["projects"]}

    assert {key: n for key, n in counts.items() if n} == {
        ("premier_contact", "87"): 1,
        ("premier_contact", "23"): 1,
        ("premier_contact", ""): 1,
    }
    assert {r["departement"] for r in rows} == {"19", "23", "87", ""}
    assert {r["departement_name"] for r in rows if r["departement"] == "23"} == {"Creuse"}


def test_the_pipeline_of_a_year_before_the_projects_is_empty(published: Any) -> None:
    rows = _rows(DataPackage(published, YEAR - 1).csv("pipeline"))

    assert rows and all(r["projects"] == "0" for r in rows)


def test_the_member_directory_holds_public_fields_only(published: Any) -> None:
    rows = _rows(DataPackage(published, YEAR).csv("members"))

    assert rows == [
        {"year": str(YEAR), "name": "Recyclerie de Guéret", "kind": "recyclerie",
         "commune": "Guéret", "insee": "23096", "departement": "23",
         "functions": "collecte valorisation vente sensibilisation", "website": ""},
        {"year": str(YEAR), "name": "Ressourcerie du Pays de Tulle", "kind": "ressourcerie",
         "commune": "Tulle", "insee": "19272", "departement": "19",
         "functions": "collecte valorisation sensibilisation",
         "website": "https://tulle.example.org"},
    ]  # fmt: skip


def test_no_personal_data_in_any_file(published: Any) -> None:
    files = DataPackage(published, YEAR).files()

    assert set(files) == {"datapackage.json", "observatory.csv", "pipeline.csv", "members.csv"}
    found = [(name, s) for name, text in files.items() for s in PERSONAL if s in text]
    assert found == []


def test_titles_and_labels_follow_the_language(published: Any) -> None:
    english = DataPackage(published, YEAR, "en")

    assert json.loads(english.descriptor_json())["resources"][0]["title"] == (
        "Observatory of the member ressourceries"
    )
    rows = {r["indicator"]: r for r in _rows(english.csv("observatory"))}
    assert rows["collected_dropoff"]["label"] == "Drop-off (apport volontaire)"


def test_an_unknown_licence_stops_the_application() -> None:
    with pytest.raises(ConfigError, match="unknown licence 'cc-by-nc'"):
        licences.check({"OPENDATA_NETWORK_LICENCES": {"limousin": "cc-by-nc"}})
    with pytest.raises(ConfigError, match="OPENDATA_NETWORK_LICENCES must read"):
        from_environment("/tmp", {"OPENDATA_NETWORK_LICENCES": "limousin"})
    assert from_environment("/tmp", {"OPENDATA_NETWORK_LICENCES": "limousin=cc0-1.0"})[
        "OPENDATA_NETWORK_LICENCES"
    ] == {"limousin": "cc0-1.0"}
