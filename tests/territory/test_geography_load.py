"""The vendored geography: what is loaded matches the files; a yearly update renames and merges
communes without losing what refers to them; a second load changes nothing."""

from __future__ import annotations

import csv
import gzip
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from accompagnement.auth.services import create_user
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects.services import create_project
from accompagnement.territory.loader import DATA_DIR, load_geography, read_geography
from accompagnement.territory.models import Commune, Departement, Region, WasteSyndicate
from accompagnement.territory.services import resolve_commune
from tests.conftest import only_network

FreshApp = Callable[..., tuple[Flask, str]]


def rows_of(name: str) -> list[dict[str, str]]:
    with gzip.open(DATA_DIR / f"{name}.csv.gz", "rt", encoding="utf-8", newline="") as text:
        return list(csv.DictReader(text))


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_loaded_geography_is_the_vendored_file() -> None:
    assert count(Commune) == len(rows_of("communes")) > 34_000
    assert count(Departement) == len(rows_of("departements")) == 109
    assert count(Region) == len(rows_of("regions"))
    codes = set(db.session.scalars(select(Departement.code)))
    assert {"2A", "2B", "971", "974", "976", "87", "23"} <= codes
    gueret = db.session.get(Commune, "23096")
    assert gueret is not None and gueret.name == "Guéret" and gueret.departement_code == "23"
    assert gueret.epci is not None and gueret.epci.siren == "200034825"
    assert gueret.epci.kind == "CA" and "23000" in gueret.postal_codes.split()
    assert gueret.departement.region is not None
    assert gueret.departement.region.name == "Nouvelle-Aquitaine"


def test_former_delegated_and_arrondissement_codes_resolve_to_the_current_commune() -> None:
    former = rows_of("aliases")[0]
    current = resolve_commune(former["code"])
    assert current is not None and current.insee == former["insee"]
    paris_1er = resolve_commune("75101")  # a municipal arrondissement
    assert paris_1er is not None and paris_1er.name == "Paris"
    assert resolve_commune("2a004") is not None  # Ajaccio, lower case
    assert resolve_commune("99999") is None
    assert resolve_commune("x") is None


def next_year(tmp_path: Path) -> Path:
    """A synthetic next COG: Felletin (23079) joins Aubusson (23008), Guéret is renamed."""
    directory = tmp_path / "cog"
    shutil.copytree(DATA_DIR, directory)
    communes = [r for r in rows_of("communes") if r["insee"] != "23079"]
    for row in communes:
        if row["insee"] == "23096":
            row["name"] = "Guéret-en-Marche"
    aliases = [*rows_of("aliases"), {"code": "23079", "name": "Felletin", "kind": "deleguee",
                                     "insee": "23008"}]  # fmt: skip
    for name, rows in (("communes", communes), ("aliases", aliases)):
        (directory / f"{name}.csv.gz").unlink()
        with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return directory


def test_a_yearly_update_repoints_what_referred_to_a_merged_commune(
    fresh_app: FreshApp, tmp_path: Path
) -> None:
    app, _url = fresh_app("cog_update")
    with app.app_context(), only_network():
        load_geography(db.session.connection())
        syndicate = WasteSyndicate(name="Evolis 23")
        db.session.add(syndicate)
        db.session.flush()
        db.session.get(Commune, "23079").syndicate_id = syndicate.id  # type: ignore[union-attr]
        coordinator = create_user("c@example.org", name="C", role="coordinator")
        project = create_project("Recyclerie de Felletin", workflow_name="creation-ressourcerie",
                                 user_id=coordinator.id, commune_insee="23079")  # fmt: skip
        member = Member(name="Le Grenier", commune_insee="23079", departement_code="23")
        db.session.add(member)
        db.session.commit()

        update = read_geography(next_year(tmp_path))
        report = load_geography(db.session.connection(), update)
        db.session.commit()
        db.session.expire_all()

        assert report.merged == {"23079": "23008"}
        assert report.counts["communes"] == (0, 1)  # Guéret renamed
        assert db.session.get(Commune, "23079") is None
        assert db.session.get(Commune, "23096").name == "Guéret-en-Marche"  # type: ignore[union-attr]
        assert db.session.get(type(project), project.id).commune_insee == "23008"
        assert db.session.get(Member, member.id).commune_insee == "23008"  # type: ignore[union-attr]
        assert db.session.get(Commune, "23008").syndicate_id == syndicate.id  # type: ignore[union-attr]
        assert resolve_commune("23079").insee == "23008"  # type: ignore[union-attr]

        again = load_geography(db.session.connection(), update)
        assert set(again.counts.values()) == {(0, 0)} and again.merged == {}


def test_a_commune_gone_without_successor_is_kept(fresh_app: FreshApp, tmp_path: Path) -> None:
    app, _url = fresh_app("cog_gone")
    with app.app_context():
        load_geography(db.session.connection())
        directory = next_year(tmp_path)
        (directory / "aliases.csv").write_text("code,name,kind,insee\n", encoding="utf-8")
        report = load_geography(db.session.connection(), read_geography(directory))
        assert report.kept == ["23079"] and db.session.get(Commune, "23079") is not None


def test_territory_load_runs_from_the_command_line_and_twice_changes_nothing(runner) -> None:
    result = runner.invoke(args=["territory", "load"], env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 0, result.output
    assert "communes: 0 added, 0 updated" in result.output


def test_a_missing_file_is_an_error_not_a_traceback(runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["territory", "load", "--file", str(tmp_path)])
    assert result.exit_code == 1
    assert "regions.csv.gz (or regions.csv) not found" in result.output


@pytest.mark.parametrize("name", ["communes", "aliases"])
def test_the_vendored_files_are_small(name: str) -> None:
    assert (DATA_DIR / f"{name}.csv.gz").stat().st_size < 1_000_000
