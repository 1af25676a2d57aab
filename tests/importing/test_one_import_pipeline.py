"""The five importers share one pipeline: French headers, the same readings, one command shape."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import url_for
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import Form

from accompagnement.activities.importer import import_activities
from accompagnement.activities.models import Activity
from accompagnement.extensions import db
from accompagnement.formfields import BoundedIntegerField
from accompagnement.history.importer import import_projects
from accompagnement.importing import ImportErrorList
from accompagnement.members.importer import import_members
from accompagnement.members.models import Member
from accompagnement.observatory.importer import import_reports
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.syndicates.importer import import_syndicates
from accompagnement.workflows.services import latest_workflow

MEMBER_FR = "nom;commune;code INSEE;département;adhésion;fonctions\n"
LIMOUSIN = "Ressourcerie du Limousin;Limoges;87085;87;{joined};collecte\n"
DATES = ["04/05/2013", "2013-05-04", "4/5/2013", "2013-5-4", " 04/05/2013 "]
BAD_DATES = ["31/02/2013", "2013/05/04", "04-05-2013", "4/5/13", "٠٤/٠٥/٢٠١٣"]
DECIMALS = ["1 280,5", "1280.5", "1\u202f280,5", "1\u00a0280.50", "1280,5"]
BAD_DECIMALS = ["1,280.5", "1e3", "douze", "١٢٨٠"]
CREATION = "creation-ressourcerie"
KINDS = ["members", "activities", "observatory", "projects", "syndicates", "means"]


class NumberForm(Form):
    n = BoundedIntegerField(minimum=0, maximum=10**6)


def count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def add_member(joined: str = "") -> None:
    import_members((MEMBER_FR + LIMOUSIN.format(joined=joined)).encode(), user_id=None)
    db.session.commit()


def test_members_are_imported_from_french_headers(territory):
    data = MEMBER_FR + LIMOUSIN.format(joined="01/09/2014")
    result = import_members(data.encode(), user_id=None)
    member = db.session.scalars(select(Member)).one()
    assert result.created == 1 and member.joined_on == date(2014, 9, 1)


def test_activities_are_imported_from_french_headers(coordinator):
    data = (
        "Date;Type;Titre;Ressourceries;Visiteur;Participants;Partenaire;Notes\n"
        "14/03/2013;animation;Atelier vélo;;;1 234;Région;\n"
    )
    result = import_activities(data.encode("cp1252"), user_id=coordinator.id)
    activity = db.session.scalars(select(Activity)).one()
    assert result.created == 1
    assert (activity.title, activity.participants, activity.partner) == (
        "Atelier vélo",
        1234,
        "Région",
    )


def test_observatory_reports_are_imported_from_french_headers(territory):
    add_member()
    data = (
        "adhérent;année;collecte apport volontaire;effectif;ETP\n"
        "Ressourcerie du Limousin;2024;12,5;6;4,5\n"
    )
    result = import_reports(data.encode(), user_id=None, today=date(2025, 6, 1))
    report = db.session.scalars(select(ObservatoryReport)).one()
    assert result.created == 1
    assert (report.collected_dropoff, report.headcount, report.fte) == (
        Decimal("12.5"), 6, Decimal("4.50"),
    )  # fmt: skip


def test_projects_are_imported_from_french_headers(coordinator):
    data = (
        "nom;parcours;étape;commune;porteur nom;porteur courriel;date_premier_contact;"
        "date_en_pause;motif_en_pause\n"
        "Recyclerie de Guéret;creation-ressourcerie;en_pause;23096;Léa Roux;lea@example.org;"
        "04/05/2013;2014-01-10;Recherche d'un local\n"
    )
    result = import_projects(data.encode(), user_id=coordinator.id)
    assert (result.created, result.holders_created) == (1, 1)
    reasons = db.session.scalars(select(TransitionRecord.reason)).all()
    assert "Recherche d'un local" in reasons


def test_syndicates_are_imported_from_french_headers(coordinator):
    result = import_syndicates(b"Syndicat;Commune\nSyndicat des Monts;87085\n", user_id=None)
    assert (result.syndicates_created, result.updated) == (1, 1)


def test_a_column_given_in_english_and_in_french_is_refused(territory):
    data = "name;nom;commune;insee;departement;joined;functions\nA;B;Limoges;87085;87;;collecte\n"
    with pytest.raises(ImportErrorList) as refused:
        import_members(data.encode(), user_id=None)
    assert "name" in refused.value.lines()[0]


# The same readings everywhere: a date, a decimal, a whole number.


def date_read_by(kind: str, text: str, user_id: int) -> date | None:
    """Import one row carrying `text` as a date; return the date read, None when refused."""
    try:
        if kind == "members":
            import_members((MEMBER_FR + LIMOUSIN.format(joined=text)).encode(), user_id=None)
            return db.session.scalars(select(Member.joined_on)).one()
        if kind == "activities":
            data = f"date,type,title\n{text},animation,Atelier\n"
            import_activities(data.encode(), user_id=user_id)
            return db.session.scalars(select(Activity.date)).one()
        data = f"name,workflow,stage,date_premier_contact\nP,{CREATION},premier_contact,{text}\n"
        import_projects(data.encode(), user_id=user_id)
        return db.session.scalars(select(Project.created_at)).one().date()
    except ImportErrorList:
        return None
    finally:
        db.session.rollback()  # nothing is kept: the next text starts from an empty database


def date_read_by_stage_form(text: str) -> date | None:
    form = latest_workflow(CREATION).clean_form("dla", {"phase_welcome": text}, submit=False)
    return None if form.errors else date.fromisoformat(form.data["phase_welcome"])


@pytest.mark.parametrize("kind", ["members", "activities", "projects", "stage form"])
def test_every_importer_and_the_stage_forms_read_the_same_dates(kind, coordinator):
    for text in DATES + BAD_DATES:
        if kind == "stage form":
            read = date_read_by_stage_form(text)
        else:
            read = date_read_by(kind, text, coordinator.id)
        expected = date(2013, 5, 4) if text in DATES else None
        assert read == expected, (kind, text)


@pytest.mark.parametrize("text", DECIMALS + BAD_DECIMALS)
def test_the_observatory_and_the_stage_forms_read_the_same_decimals(text, territory):
    add_member()
    expected = Decimal("1280.5") if text in DECIMALS else None
    form = latest_workflow(CREATION).clean_form("dla", {"days": text}, submit=False)
    assert (Decimal(form.data["days"]) if not form.errors else None) == expected
    data = f"member;year;collected_dropoff\nRessourcerie du Limousin;2024;{text}\n"
    try:
        import_reports(data.encode(), user_id=None, today=date(2025, 6, 1))
    except ImportErrorList:
        read = None
    else:
        read = db.session.scalars(select(ObservatoryReport.collected_dropoff)).one()
    assert read == expected


@pytest.mark.parametrize("text", ["1 234", "1\u202f234", "1234", "+1234", "12,5", "douze", "1e3"])
def test_forms_imports_and_stage_forms_read_the_same_whole_numbers(text, app, coordinator):
    expected = 1234 if text.strip("+").replace(" ", "").replace("\u202f", "") == "1234" else None
    form = latest_workflow(CREATION).clean_form(
        "premier_contact", {"population": text}, submit=False
    )
    assert (form.data.get("population") if not form.errors else None) == expected
    typed = NumberForm(formdata=MultiDict({"n": text}))
    assert (typed.n.data if typed.validate() else None) == expected
    data = f"date,type,title,participants\n2013-05-04,animation,A,{text}\n"
    try:
        import_activities(data.encode(), user_id=coordinator.id)
    except ImportErrorList:
        read = None
    else:
        read = db.session.scalars(select(Activity.participants)).one()
    assert read == expected


# One command shape.


@pytest.mark.parametrize("kind", KINDS)
def test_every_import_command_has_the_same_options(runner, kind):
    result = runner.invoke(args=["import", kind, "--help"])
    assert result.exit_code == 0
    for option in ("FILE", "--by", "--dry-run", "--lang"):
        assert option in result.output or option == "FILE" and "PATH" in result.output


@pytest.mark.parametrize("kind", KINDS)
def test_every_import_command_refuses_a_bad_file_the_same_way(
    runner, coordinator, tmp_path: Path, kind
):
    path = tmp_path / "vide.csv"
    path.write_text("colonne inconnue\nx\n", encoding="utf-8")
    english = runner.invoke(args=["import", kind, "--lang", "en", str(path)])
    french = runner.invoke(args=["import", kind, "--lang", "fr", str(path)])
    assert english.exit_code == french.exit_code == 1
    assert "Nothing was imported: the file has errors." in english.output
    assert "Rien n'a été importé\u00a0: le fichier contient des erreurs." in french.output
    assert "Line 1: Missing columns" in english.output
    assert "Traceback" not in english.output + french.output


def test_a_dry_run_checks_the_file_and_writes_nothing(runner, territory, tmp_path: Path):
    path = tmp_path / "adherents.csv"
    path.write_text(MEMBER_FR + LIMOUSIN.format(joined="01/09/2014"), encoding="utf-8")
    dry = runner.invoke(args=["import", "members", "--dry-run", "--lang", "en", str(path)])
    assert dry.exit_code == 0, dry.output
    assert "nothing was written" in dry.output and "1 created" in dry.output
    assert count(Member) == 0
    real = runner.invoke(args=["import", "members", "--lang", "fr", str(path)])
    assert real.exit_code == 0 and count(Member) == 1


def test_by_records_the_import_under_a_coordinator_and_refuses_anyone_else(
    runner, coordinator, make_user, tmp_path: Path
):
    path = tmp_path / "syndicats.csv"
    path.write_text("syndicat,commune\nSyndicat des Monts,87085\n", encoding="utf-8")
    holder = make_user("holder")
    refused = runner.invoke(
        args=["import", "syndicates", "--by", holder.email, "--lang", "en", str(path)]
    )
    assert refused.exit_code == 2 and "not an active coordinator" in refused.output
    done = runner.invoke(args=["import", "syndicates", "--by", coordinator.email, str(path)])
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_activity_types_are_read_in_french_and_english_whatever_the_language(
    runner, tmp_path: Path, lang
):
    path = tmp_path / "activites.csv"
    path.write_text(
        "date;type;titre\n14/03/2013;Réunion de coordination;A\n15/03/2013;Technical day;B\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", "activities", "--lang", lang, str(path)])
    assert result.exit_code == 0, result.output
    assert sorted(db.session.scalars(select(Activity.type))) == [
        "journee_technique",
        "reunion_coordination",
    ]


def test_the_example_files_import_as_they_are(coordinator):
    examples = Path(__file__).parents[2] / "docs" / "examples"
    members = import_members((examples / "adherents.csv").read_bytes(), user_id=None)
    activities = import_activities((examples / "activites.csv").read_bytes(), user_id=None)
    reports = import_reports(
        (examples / "observatoire.csv").read_bytes(), user_id=None, today=date(2025, 6, 1)
    )
    syndicates = import_syndicates((examples / "syndicats.csv").read_bytes(), user_id=None)
    projects = import_projects(
        (examples / "projets-historique.csv").read_bytes(), user_id=coordinator.id
    )
    assert (members.created, activities.created, reports.created) == (3, 3, 2)
    assert (syndicates.created, syndicates.updated + syndicates.unchanged) == (0, 3)
    assert projects.created == 4
    meeting = db.session.scalars(select(Activity).where(Activity.participants == 12)).one()
    assert sorted(m.name for m in meeting.members) == [
        "Recyclerie de Guéret",
        "Ressourcerie du Limousin",
    ]


@pytest.mark.parametrize(
    ("endpoint", "french"),
    [
        ("members.import_csv", "adhésion"),
        ("activities.import_file", "titre"),
        ("observatory.import_file", "collecte apport volontaire"),
        ("history.import_projects_page", "parcours"),
        ("syndicates.import_file", "syndicat"),
        ("means.import_file", "libellé"),
    ],
)
def test_every_import_page_is_the_shared_page_with_the_french_column_names(
    client, auth, coordinator, endpoint, french
):
    auth.login(coordinator)
    url = url_for(endpoint)
    page = client.get(url).get_data(as_text=True)
    assert f"<code>{french}</code>" in page
    assert 'name="file"' in page and "1 234,5" in page
    refused = client.post(
        url,
        data={"file": (io.BytesIO(b"colonne inconnue\nx\n"), "f.csv")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "Ligne 1\u00a0: Colonnes manquantes" in refused.get_data(as_text=True)  # French page
