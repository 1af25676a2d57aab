"""Importing yearly reports from CSV: all or nothing, every bad row listed, no duplicates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from accompagnement.extensions import db
from accompagnement.importing import ImportErrorList
from accompagnement.members.models import Member
from accompagnement.observatory.importer import import_reports
from accompagnement.observatory.models import ObservatoryReport

TODAY = date(2025, 6, 1)
GOOD = (
    "member;year;collected_dropoff;flow_furniture;flow_books;out_sale;out_disposal;turnover;"
    "sales_count;headcount;fte\n"
    "Ressourcerie du Pays de Tulle;2024;100,5;80;20,5;60;20;15 000;1500;6;4,5\n"
    "recyclerie de  guéret;2024;40;;;30;10;5000;;3;3\n"
)


def count_reports() -> int:
    return db.session.scalar(sa.select(sa.func.count(ObservatoryReport.id))) or 0


def run(text: str, user_id: int | None = None, encoding: str = "utf-8") -> Any:
    result = import_reports(text.encode(encoding), user_id=user_id, today=TODAY)
    db.session.commit()
    return result


def refused(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ImportErrorList) as caught:
        import_reports(text.encode(), user_id=None, today=TODAY)
    db.session.rollback()
    return [(row.line, row.message) for row in caught.value.rows]


def test_a_good_file_creates_the_reports(tulle: Member, gueret: Member) -> None:
    result = run(GOOD)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    report = db.session.scalars(
        sa.select(ObservatoryReport).where(ObservatoryReport.member_id == tulle.id)
    ).one()
    assert report.year == 2024
    assert report.collected_dropoff == Decimal("100.5")
    assert report.turnover == Decimal("15000.00")
    assert report.fte == Decimal("4.50")
    assert report.derived.average_basket == Decimal("10.00")
    other = db.session.scalars(
        sa.select(ObservatoryReport).where(ObservatoryReport.member_id == gueret.id)
    ).one()
    assert other.flow_furniture is None and other.sales_count is None


def test_importing_the_same_file_twice_changes_nothing(tulle: Member, gueret: Member) -> None:
    run(GOOD)
    revisions = db.session.execute(
        sa.select(ObservatoryReport.id, ObservatoryReport.revision)
    ).all()
    again = run(GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert count_reports() == 2
    assert (
        db.session.execute(sa.select(ObservatoryReport.id, ObservatoryReport.revision)).all()
        == revisions
    )


def test_a_changed_figure_updates_the_report_and_a_missing_column_keeps_its_value(
    tulle: Member, gueret: Member
) -> None:
    run(GOOD)
    result = run("member,year,volunteers\nRessourcerie du Pays de Tulle,2024,7\n")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    report = db.session.scalars(
        sa.select(ObservatoryReport).where(ObservatoryReport.member_id == tulle.id)
    ).one()
    assert (report.volunteers, report.collected_dropoff, report.revision) == (
        7,
        Decimal("100.5"),
        2,
    )


def test_members_can_be_named_by_number_and_files_may_be_windows_1252(tulle: Member) -> None:
    result = run(f"member;year;flow_books\n{tulle.id};2023;1,5\n", encoding="cp1252")
    assert result.created == 1


def test_every_bad_row_is_listed_and_nothing_is_imported(
    tulle: Member, gueret: Member, make_report: Callable[..., ObservatoryReport]
) -> None:
    make_report(gueret, 2023, collected_home=Decimal(10))
    text = (
        "member;year;collected_home;flow_books;out_sale;headcount;fte;women_percent\n"
        "Ressourcerie du Pays de Tulle;2024;10;10;5;2;1;50\n"  # 2: good
        "Ressourcerie Inconnue;2024;;;;;;\n"  # 3: unknown member
        ";2024;;;;;;\n"  # 4: no member
        "Ressourcerie du Pays de Tulle;1999;;;;;;\n"  # 5: absurd year
        "Ressourcerie du Pays de Tulle;2030;;;;;;\n"  # 6: future year
        "Recyclerie de Guéret;;;;;;;\n"  # 7: missing year
        "Recyclerie de Guéret;2024;-3;;;;;\n"  # 8: negative
        "Recyclerie de Guéret;2022;10;12;;;;\n"  # 9: mode and flow totals differ
        "Recyclerie de Guéret;2021;10;;11;;;\n"  # 10: more out than in
        "Recyclerie de Guéret;2020;;;;;;120\n"  # 11: percentage over 100
        "Recyclerie de Guéret;2019;;;;2;3;\n"  # 12: FTE above headcount
        "Ressourcerie du Pays de Tulle;2024;;;;;;\n"  # 13: same as line 2
        "Recyclerie de Guéret;2018;dix;;;;;\n"  # 14: not a number
    )
    errors = refused(text)
    assert errors == [
        (3, "Unknown member: Ressourcerie Inconnue."),
        (4, "The member is missing."),
        (5, "year: The year must be between 2000 and 2025."),
        (6, "year: The year must be between 2000 and 2025."),
        (7, "year: The year is missing."),
        (8, "collected_home: Must be zero or more."),
        (9, "The total by flow (12 t) differs from the total by collection mode (10 t)."),
        (10, "The tonnes going out (11 t) are more than the tonnes collected (10 t)."),
        (11, "women_percent: A percentage cannot be more than 100."),
        (12, "The FTE (3) cannot be more than the headcount (2)."),
        (13, "Same member and year as line 2."),
        (14, "collected_home: Enter a number, e.g. 12.5."),
    ]
    assert count_reports() == 1  # only the report made before the import


def test_rules_are_checked_against_the_stored_figures_a_file_leaves_out(
    gueret: Member, make_report: Callable[..., ObservatoryReport]
) -> None:
    make_report(gueret, 2023, collected_home=Decimal(10))
    assert refused("member;year;out_sale\nRecyclerie de Guéret;2023;12\n") == [
        (2, "The tonnes going out (12 t) are more than the tonnes collected (10 t).")
    ]


def test_unknown_or_missing_columns_are_refused_before_any_row(tulle: Member) -> None:
    errors = refused("member;year;flow_furnitur\nRessourcerie du Pays de Tulle;2024;3\n")
    assert len(errors) == 1 and errors[0][0] == 1
    assert errors[0][1].startswith("Unknown columns: flow_furnitur (expected: member, year, ")
    assert "collected_dechetterie" in errors[0][1] and "people_reached" in errors[0][1]
    assert refused("member;flow_books\nRessourcerie du Pays de Tulle;3\n") == [
        (1, "Missing columns: year.")
    ]


def test_an_empty_or_binary_file_is_refused() -> None:
    assert refused("") == [(1, "The file is empty.")]
    with pytest.raises(ImportErrorList):
        import_reports(b"\x00\x01\x02member", user_id=None, today=TODAY)


def test_the_command_imports_a_file(
    runner: FlaskCliRunner, tulle: Member, gueret: Member, tmp_path: Path
) -> None:
    path = tmp_path / "observatoire.csv"
    path.write_text(GOOD.replace("2024", str(date.today().year - 1)), encoding="utf-8")
    english = {"LANG": "en_US.UTF-8"}
    result = runner.invoke(args=["import", "observatory", str(path)], env=english)
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged" in result.output
    again = runner.invoke(args=["import", "observatory", str(path)], env=english)
    assert "0 created, 0 updated, 2 unchanged" in again.output
    assert count_reports() == 2


def test_the_command_lists_bad_rows_and_exits_with_an_error(
    runner: FlaskCliRunner, tulle: Member, tmp_path: Path
) -> None:
    path = tmp_path / "observatoire.csv"
    path.write_text("member,year,headcount\nNulle part,2024,-1\n", encoding="utf-8")
    result = runner.invoke(args=["import", "observatory", "--lang", "en", str(path)])
    assert result.exit_code == 1
    assert "Line 2: Unknown member: Nulle part." in result.output
    assert "Line 2: headcount: Must be zero or more." in result.output
    assert "Traceback" not in result.output
    assert count_reports() == 0
