"""CSV import of the member directory: all or nothing, every bad row listed, no duplicates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from accompagnement.audit.models import AuditEvent
from accompagnement.extensions import db
from accompagnement.importing import ImportErrorList
from accompagnement.members.exports import members_csv
from accompagnement.members.importer import import_members
from accompagnement.members.models import Member
from accompagnement.territory.models import Commune

HEADER = "name,commune,insee,departement,joined,functions\n"
GOOD = (
    HEADER
    + "Ressourcerie du Limousin,Limoges,87085,87,2014-09-01,"
    + "collecte;valorisation;vente;sensibilisation\n"
    + 'Recyclerie de Guéret,Guéret,23096,,01/02/2019,"collecte;vente"\n'
    + "Le Monde Allant Vers,Eymoutiers,87064,87,,sensibilisation\n"
)


def members() -> dict[str, Member]:
    return {m.name: m for m in db.session.scalars(select(Member))}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_good_file_creates_every_member(territory):
    result = import_members(GOOD.encode(), user_id=None)
    db.session.commit()

    found = members()
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    limousin = found["Ressourcerie du Limousin"]
    assert (limousin.commune_insee, limousin.departement_code) == ("87085", "87")
    assert limousin.joined_on == date(2014, 9, 1)
    assert limousin.functions == ["collecte", "valorisation", "vente", "sensibilisation"]
    assert limousin.kind == "ressourcerie" and limousin.status == "member"
    gueret = found["Recyclerie de Guéret"]
    assert gueret.departement_code == "23"  # derived from the INSEE code
    assert gueret.joined_on == date(2019, 2, 1)
    assert gueret.functions == ["collecte", "vente"]
    assert found["Le Monde Allant Vers"].joined_on is None
    assert db.session.scalars(select(AuditEvent.action)).all() == ["members.imported"]


def test_a_windows_1252_file_with_semicolons_is_read(territory):
    text = (
        "Name;Commune;INSEE;Departement;Joined;Functions;Kind;Contact_name\r\n"
        "Recyclerie de Guéret;Guéret;23096;23;31/12/2020;collecte, valorisation;"
        "Recyclerie;Zoé Lefèvre\r\n"
    )
    import_members(text.encode("cp1252"), user_id=None)

    member = members()["Recyclerie de Guéret"]
    assert member.kind == "recyclerie"
    assert member.contact_name == "Zoé Lefèvre"
    assert member.functions == ["collecte", "valorisation"]


def test_importing_the_same_file_twice_creates_no_duplicate(territory):
    import_members(GOOD.encode(), user_id=None)
    db.session.commit()

    again = import_members(GOOD.encode(), user_id=None)
    db.session.commit()

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert count(Member) == 3


def test_a_known_name_is_updated_ignoring_case_and_accents_and_blank_cells_keep_values(
    make_member,
):
    make_member(
        "Recyclerie de Guéret",
        commune_insee="23096",
        contact_email="contact@example.org",
        kind="recyclerie",
        joined_on=date(2010, 1, 1),
    )
    text = HEADER + "RECYCLERIE DE GUERET,Guéret,23096,23,,collecte\n"

    result = import_members(text.encode(), user_id=None)

    member = members()["RECYCLERIE DE GUERET"]
    assert (result.created, result.updated) == (0, 1)
    assert member.functions == ["collecte"]
    assert member.contact_email == "contact@example.org"
    assert member.kind == "recyclerie"
    assert member.joined_on == date(2010, 1, 1)
    assert count(Member) == 1


def test_an_unknown_commune_is_created_from_its_insee_code_name_and_departement(territory):
    text = HEADER + "Ressourcerie de Meymac,Meymac,19136,19,2021-05-01,collecte\n"
    text += "Autre à Meymac,Meymac,19136,19,2021-05-01,vente\n"

    import_members(text.encode(), user_id=None)
    db.session.commit()

    assert db.session.get(Commune, "19136").name == "Meymac"
    assert members()["Autre à Meymac"].commune_insee == "19136"


BAD_ROWS = [
    (",Limoges,87085,87,2014-09-01,collecte", "name:"),
    ("x" * 201 + ",Limoges,87085,87,2014-09-01,collecte", "name:"),
    ("A1,Limoges,8708,87,2014-09-01,collecte", "insee:"),
    ("A2,Tulle,87085,87,2014-09-01,collecte", "87085 is Limoges"),
    ("A3,Limoges,87085,19,2014-09-01,collecte", "Limoges is in département 87"),
    ("A4,Ailleurs,99123,99,2014-09-01,collecte", "Unknown département 99"),
    ("A5,Nulle part,19999,87,2014-09-01,collecte", "not in département 87"),
    ("A6,,19999,19,2014-09-01,collecte", "give the name of the commune"),
    ("A7,Limoges,87085,87,2014-13-45,collecte", "joined: 2014-13-45 is not a date"),
    ("A8,Limoges,87085,87,2999-01-01,collecte", "future"),
    ("A9,Limoges,87085,87,2014-09-01,collecte;réparation", "unknown reparation"),
    ("A10,Limoges,87085,87,2014-09-01,", "at least one function"),
    ("A11,Limoges,87085,87,2014-09-01,collecte,extra", "More cells than columns"),
    ("Ressourcerie du Limousin,Limoges,87085,87,2014-09-01,vente", "already appears on line 2"),
]


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_written(territory):
    text = HEADER + "Ressourcerie du Limousin,Limoges,87085,87,2014-09-01,collecte\n"
    text += "\n".join(row for row, _ in BAD_ROWS) + "\n"
    communes = count(Commune)

    with pytest.raises(ImportErrorList) as caught:
        import_members(text.encode(), user_id=None)
    db.session.rollback()

    lines = caught.value.lines()
    for index, (_row, expected) in enumerate(BAD_ROWS, start=3):
        matching = [s for s in lines if s.startswith(f"Line {index}:")]
        assert matching, f"line {index} not reported: {lines}"
        assert any(expected in s for s in matching), (index, expected, matching)
    assert not any(s.startswith("Line 2:") for s in lines)
    assert count(Member) == 0
    assert count(Commune) == communes


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("kind,website,contact_email,contact_phone", None),
        ("", "Unknown columns: colour"),
    ],
)
def test_optional_columns_are_checked_and_unknown_columns_refused(territory, columns, message):
    header = HEADER.strip() + ("," + columns if columns else ",colour") + "\n"
    values = ",recyclerie,javascript:alert(1),not-an-email,abc" if columns else ",blue"
    text = header + "A,Limoges,87085,87,2014-09-01,collecte" + values + "\n"

    with pytest.raises(ImportErrorList) as caught:
        import_members(text.encode(), user_id=None)

    lines = " ".join(caught.value.lines())
    if message:
        assert message in lines
    else:
        assert "website:" in lines and "contact_email:" in lines and "contact_phone:" in lines


def test_a_missing_column_is_reported_on_line_1(territory):
    with pytest.raises(ImportErrorList) as caught:
        import_members(b"name,commune\nA,Limoges\n", user_id=None)
    assert caught.value.lines() == [
        "Line 1: Missing columns: insee, departement, joined, functions."
    ]


def test_a_file_without_rows_is_refused(territory):
    with pytest.raises(ImportErrorList):
        import_members(HEADER.encode(), user_id=None)


def test_the_export_imports_back_unchanged(make_member):
    make_member("=Formula", contact_phone="+33 5 55 00 00 00", website="https://example.org")
    make_member("Recyclerie", commune_insee="23096", kind="recyclerie", does_vente=False)
    text = "".join(members_csv(user_id=None))

    result = import_members(text.encode("utf-8"), user_id=None)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert members()["=Formula"].contact_phone == "+33 5 55 00 00 00"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: (HEADER + t).encode()))
def test_any_input_gives_members_or_a_list_of_errors_never_a_crash(territory, data):
    try:
        import_members(data, user_id=None)
    except ImportErrorList as error:
        assert error.rows
    finally:
        db.session.rollback()


def test_the_command_imports_a_file(runner, territory, csv_file):
    path = csv_file(GOOD)

    result = runner.invoke(args=["import", "members", str(path)], env={"LANG": "en_US.UTF-8"})

    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert count(Member) == 3


def test_the_command_lists_errors_and_writes_nothing(app, runner, territory, csv_file):
    path = csv_file(
        HEADER + "A,Limoges,87085,87,hier,collecte\nB,Limoges,87085,87,,vol\n", "cp1252"
    )

    with app.app_context():  # a fresh context, as on the command line: no request, no locale
        result = runner.invoke(args=["import", "members", str(path)], env={"LANG": "en_US.UTF-8"})

    assert result.exit_code == 1
    assert "2" in result.output and "joined: hier" in result.output
    assert "3" in result.output and "functions: " in result.output and "vol" in result.output
    assert count(Member) == 0
