"""`flask opendata export`: the package in a directory, and one translated line on bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from frictionless import validate

from accompagnement.opendata.package import DataPackage
from tests.opendata.conftest import YEAR


def _export(runner: FlaskCliRunner, *args: str) -> Any:
    return runner.invoke(args=["opendata", "export", *args])


def test_export_writes_the_package_into_the_directory(
    runner: FlaskCliRunner, published: Any, tmp_path: Path
) -> None:
    target = tmp_path / "limousin" / str(YEAR)

    result = _export(runner, "--network", "limousin", "--year", str(YEAR), str(target))

    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in target.iterdir())
    assert names == ["datapackage.json", "members.csv", "observatory.csv", "pipeline.csv"]
    assert validate(str(target / "datapackage.json")).valid
    # the page serves the same bytes: one code path
    files = DataPackage(published, YEAR).files()
    assert {n: (target / n).read_bytes() for n in names} == {
        n: text.encode() for n, text in files.items()
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--network", "nowhere", "--year", str(YEAR)], "aucun réseau n’a le nom court nowhere"),
        (["--network", "limousin", "--year", "deux mille"], "L'année doit être un nombre"),
        (["--network", "limousin", "--year", "1789"], "L'année doit être comprise entre 1990"),
        (["--network", "limousin", "--year", str(date.today().year + 1)], "L'année doit être"),
    ],
)
def test_bad_input_gives_one_translated_line(
    runner: FlaskCliRunner, published: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    result = _export(runner, *args, str(tmp_path / "out"))

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_an_unwritable_directory_gives_one_translated_line(
    runner: FlaskCliRunner, published: Any, tmp_path: Path
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")

    result = _export(runner, "--network", "limousin", "--year", str(YEAR), str(a_file / "out"))

    assert result.exit_code == 1
    assert "Impossible d'écrire dans" in result.output
    assert "Traceback" not in result.output
