"""Importing activities from CSV: all or nothing, every bad line reported, nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from accompagnement.activities.importer import import_activities
from accompagnement.activities.models import Activity
from accompagnement.extensions import db
from accompagnement.importing import ImportErrorList

HEADER = "date,type,title,ressourceries,visitor,participants,partner,notes\n"


@pytest.fixture
def network(make_member):  # noqa: ANN001, ANN201
    return [
        make_member(n) for n in ("Ressourcerie de Tulle", "Recyclerie de Guéret", "Court-Circuit")
    ]


def count_activities() -> int:
    return db.session.scalar(select(sa.func.count(Activity.id))) or 0


def rejected(data: bytes, user_id: int | None = None) -> list[tuple[int, str]]:
    with pytest.raises(ImportErrorList) as caught:
        import_activities(data, user_id=user_id)
    db.session.rollback()
    return [(r.line, r.message) for r in caught.value.rows]


def test_a_good_file_creates_every_activity_with_its_ressourceries(coordinator, network):
    data = (
        HEADER
        + "2013-03-14,journee_rencontre,Rencontre à Tulle,"
        + '"Ressourcerie de Tulle;Court-Circuit",,23,,\n'
        + "21/09/2013,sensibilisation,Faîte de la récup,recyclerie de guéret,,120,Région,"
        + '"Stand, atelier"\n'
        + "2013-10-02,visite,Visite des élus,Court-Circuit,collectivite,6,Communauté de communes,\n"
    ).encode()
    result = import_activities(data, user_id=coordinator.id)
    db.session.commit()

    assert (result.created, result.skipped) == (3, 0)
    rows = db.session.scalars(select(Activity).order_by(Activity.date)).all()
    assert [(a.date.isoformat(), a.type, a.status) for a in rows] == [
        ("2013-03-14", "journee_rencontre", "done"),
        ("2013-09-21", "sensibilisation", "done"),
        ("2013-10-02", "visite", "done"),
    ]
    assert [m.name for m in rows[0].members] == ["Court-Circuit", "Ressourcerie de Tulle"]
    assert rows[1].notes == "Stand, atelier"
    assert (rows[2].visitor, rows[2].participants, rows[2].partner) == (
        "collectivite",
        6,
        "Communauté de communes",
    )


def test_every_bad_row_is_reported_and_nothing_is_written(coordinator, network):
    data = (
        HEADER
        + "2013-03-14,journee_rencontre,Bonne ligne,Court-Circuit,,,,\n"  # 2: fine
        + "2013-02-30,animation,Date impossible,,,,,\n"  # 3
        + "hier,animation,Pas une date,,,,,\n"  # 4
        + "2013-04-01,apero,Type inconnu,,,,,\n"  # 5
        + "2013-04-02,animation,Ressourcerie inconnue,Court-Circuit;La Belle Brocante,,,,\n"  # 6
        + "2013-04-03,visite,Visiteur manquant,Court-Circuit,,,,\n"  # 7
        + "2013-04-04,visite,Visiteur inconnu,Court-Circuit,ministre,,,\n"  # 8
        + "2013-04-05,animation,Visiteur hors visite,Court-Circuit,autre,,,\n"  # 9
        + "2013-04-06,animation,Participants négatifs,,,-4,,\n"  # 10
        + "2013-04-07,animation,Participants en lettres,,,douze,,\n"  # 11
        + "2013-04-08,animation,,,,,,\n"  # 12: no title
        + "2013-03-14,journee_rencontre,Bonne ligne,,,,,\n"  # 13: same as line 2
        + "2013-04-09,visite,Visite sans ressourcerie,,autre,,,\n"  # 14
        + f"{dt.date.today() + dt.timedelta(days=9):%Y-%m-%d},animation,{'x' * 201},,,,,\n"  # 15
    ).encode()

    problems = rejected(data, coordinator.id)

    lines = sorted({line for line, _ in problems})
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    text = dict(problems)
    assert "bad date" in text[3] and "bad date" in text[4]
    assert "unknown type 'apero'" in text[5]
    assert "unknown ressourcerie 'La Belle Brocante'" in text[6]
    assert "visitor" in text[7] and "ministre" in text[8]
    assert "only for visits" in text[9]
    assert "negative" in text[10] and "douze" in text[11]
    assert "title" in text[12]
    assert "line 2" in text[13]
    assert "ressourcerie visited" in text[14]
    assert "200" in text[15]
    assert count_activities() == 0


def test_a_windows_1252_semicolon_file_with_quoted_names_is_read(coordinator, network):
    data = (
        "date;type;title;ressourceries;visitor;participants;partner;notes\r\n"
        "14/03/2013;journee_rencontre;Journée à Guéret;"
        '"Recyclerie de Guéret;Court-Circuit";;12;;Café offert\r\n'
        "02/10/2013;visite;Visite d'élus;Recyclerie de Guéret;collectivite;5;Creuse Grand Sud;\r\n"
    ).encode("cp1252")
    result = import_activities(data, user_id=coordinator.id)
    db.session.commit()
    assert result.created == 2
    first = db.session.scalars(select(Activity).order_by(Activity.date)).first()
    assert first.title == "Journée à Guéret"
    assert sorted(m.name for m in first.members) == ["Court-Circuit", "Recyclerie de Guéret"]


def test_an_unquoted_separator_in_a_semicolon_file_is_explained(coordinator, network):
    data = (
        "date;type;title;ressourceries;visitor;participants;partner;notes\n"
        "14/03/2013;journee_rencontre;Journée;Recyclerie de Guéret;Court-Circuit;;12;Région;Café\n"
    ).encode()
    problems = rejected(data, coordinator.id)
    assert {line for line, _ in problems} == {2}
    assert any("quote a cell" in message for _, message in problems)


def test_importing_the_same_file_twice_duplicates_nothing(coordinator, network, runner, tmp_path):
    path = tmp_path / "activites.csv"
    path.write_text(
        HEADER
        + "2013-03-14,journee_rencontre,Rencontre,Court-Circuit,,,,\n"
        + "2013-03-15,animation,Atelier,Court-Circuit,,,,\n",
        encoding="utf-8",
    )
    first = runner.invoke(args=["import", "activities", str(path)])
    second = runner.invoke(args=["import", "activities", str(path)])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert count_activities() == 2
    assert "0" in second.output.split()[0]  # "0 activities imported, 2 already in the log"


def test_the_command_exits_1_and_lists_every_bad_line(coordinator, network, runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "2013-13-01,animation,A,,,,,\n2013-01-01,fete,B,,,,,\n")
    result = runner.invoke(args=["import", "activities", str(path)])
    assert result.exit_code == 1
    assert "2" in result.output and "3" in result.output  # both line numbers
    assert count_activities() == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"date,title\n2013-01-01,x\n", "type"),  # a required column is missing
        (HEADER.replace("notes", "remarks").encode() + b"2013-01-01,animation,A,,,,,\n", "remarks"),
        (HEADER.encode(), "no activity"),
        (b"\x00\x01\x02binary", "text"),
    ],
)
def test_an_unreadable_file_is_refused_on_line_1(coordinator, data, expected):
    problems = rejected(data, coordinator.id)
    assert problems[0][0] == 1
    assert expected in problems[0][1]


def test_types_may_be_written_as_their_label(coordinator, network):
    data = (HEADER + "2013-05-05,Coordination meeting,Réunion,,,,,\n").encode()
    assert import_activities(data, user_id=coordinator.id).created == 1


def test_only_a_coordinator_imports(make_user, network):
    from accompagnement.errors import Forbidden

    with pytest.raises(Forbidden):
        import_activities(HEADER.encode(), user_id=make_user("partner").id)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: (HEADER + t).encode()))
)
def test_any_file_is_imported_or_refused_with_reasons_never_crashes(coordinator, data):
    try:
        import_activities(data, user_id=None)
    except ImportErrorList as error:
        assert error.rows and all(r.line >= 1 and r.message for r in error.rows)
    finally:
        db.session.rollback()
