"""Shared CSV helpers: formula-safe export, tolerant reader, the `import` command group."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from accompagnement.csvsafe import safe_cell, write_csv
from accompagnement.importing import (
    ImportErrorList,
    RowError,
    check_columns,
    import_group,
    read_csv,
    register,
)


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+33 5 55", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x")'],
)
def test_cells_a_spreadsheet_would_evaluate_are_prefixed_with_a_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Limoges", "Limoges"),
        ("a=b", "a=b"),
        (None, ""),
        (-3, "-3"),
        (Decimal("-1.5"), "-1.5"),
        (2.5, "2.5"),
        (True, "1"),
        (date(2024, 3, 1), "2024-03-01"),
    ],
)
def test_other_cells_are_written_as_they_are(value, expected):
    assert safe_cell(value) == expected


def test_write_csv_neutralises_every_cell_including_the_header():
    text = write_csv([["=evil()", 3], ["ok", None]], ["@name", "n"], delimiter=";")

    rows = list(csv.reader(io.StringIO(text), delimiter=";"))

    assert rows == [["'@name", "n"], ["'=evil()", "3"], ["ok", ""]]


def test_read_csv_reads_utf8_with_a_bom_and_commas():
    header, rows = read_csv("\ufeffName, Commune\nÉcrin,Guéret\n".encode())

    assert header == ["name", "commune"]
    assert [(r.line, r.values) for r in rows] == [(2, {"name": "Écrin", "commune": "Guéret"})]


def test_read_csv_reads_windows_1252_with_semicolons():
    data = "name;commune\r\nLa Récup';Guéret\r\n".encode("cp1252")

    header, rows = read_csv(data)

    assert header == ["name", "commune"]
    assert rows[0].values == {"name": "La Récup'", "commune": "Guéret"}


def test_read_csv_reads_tabs():
    _header, rows = read_csv(b"a\tb\n1\t2\n")
    assert rows[0].values == {"a": "1", "b": "2"}


def test_line_numbers_follow_the_file_across_blank_lines_and_multiline_cells():
    data = b'name,note\n\nA,"two\nlines"\n;\nB,x\n'

    _header, rows = read_csv(data)

    assert [(r.line, r.get("name")) for r in rows] == [(3, "A"), (5, ";"), (6, "B")]


def test_extra_cells_are_kept_aside():
    _header, rows = read_csv(b"a,b\n1,2,3,\n")
    assert rows[0].extra == ["3"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"a,b\x00\n", "not a text file"),
        (b"a,a\n1,2\n", "twice"),
        (b"\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
        (b'a,b\n1,"unterminated\n', "Malformed CSV"),
    ],
)
def test_unreadable_files_give_a_clear_error_and_no_exception(data, message):
    with pytest.raises(ImportErrorList) as caught:
        read_csv(data)
    assert message in " ".join(caught.value.lines())


def test_check_columns_lists_missing_and_unknown_columns_on_line_1():
    errors = check_columns(["name", "colour"], ["name", "insee"], ["kind"])

    assert [e.line for e in errors] == [1, 1]
    assert "insee" in errors[0].message
    assert "colour" in errors[1].message


def test_import_error_list_sorts_lines_and_is_an_invalid_input():
    error = ImportErrorList([RowError(5, "b"), RowError(2, "a")])

    assert [r.line for r in error.rows] == [2, 5]
    assert error.status == 400
    assert error.errors == {"line 2": "a", "line 5": "b"}


def test_the_import_group_is_registered_once_with_the_members_command(app):
    register(app)
    register(app)

    assert app.cli.commands["import"] is import_group
    assert "members" in import_group.commands


@pytest.mark.parametrize("value", ["=1+1", "+33 5", "@x", "-2", "plain", "'quoted", "'"])
def test_reading_back_an_export_gives_the_original_text(value):
    _header, rows = read_csv(write_csv([[value]], ["v"]).encode())
    assert rows[0].get("v") == value.strip()
