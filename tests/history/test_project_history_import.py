"""Importing a network's existing projects with their history: the records, the statistics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from sqlalchemy import func, select

from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.history.importer import import_projects
from accompagnement.importing import ImportErrorList
from accompagnement.partners.queries import dashboard
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.reports.queries import states_at
from accompagnement.workflows.services import CHECKED
from tests.conftest import english_locale

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "projets-historique.csv"
HEADER = (
    "name,commune,workflow,stage,"
    "date_premier_contact,date_visites,date_dla,date_en_pause,reason_en_pause\n"
)


in_english = pytest.fixture(english_locale)


def records(name: str) -> list[tuple[str, str | None, str, str, str | None, str | None]]:
    project = db.session.scalars(select(Project).where(Project.name == name)).one()
    rows = db.session.scalars(
        select(TransitionRecord)
        .where(TransitionRecord.project_id == project.id)
        .order_by(TransitionRecord.id)
    )
    return [
        (r.trigger, r.from_state, r.to_state, r.at.date().isoformat(), r.reason, r.source)
        for r in rows
    ]


def rejected(data: bytes, user_id: int) -> list[tuple[int, str | None, str]]:
    with pytest.raises(ImportErrorList) as caught:
        import_projects(data, user_id=user_id)
    db.session.rollback()
    return [(r.line, r.column, r.message) for r in caught.value.rows]


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_example_file_writes_each_project_history_with_its_past_dates(coordinator):
    result = import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()

    assert (result.created, result.skipped, result.holders_created) == (4, 0, 4)
    assert records("Ressourcerie du Pays de Tulle") == [
        ("create", None, "premier_contact", "2013-05-04", None, "import"),
        ("advance", "premier_contact", "visites", "2013-06-20", None, "import"),
        ("advance", "visites", "dla", "2013-09-12", None, "import"),
        ("advance", "dla", "etude_faisabilite", "2014-01-15", None, "import"),
        ("advance", "etude_faisabilite", "ouverture", "2015-03-03", None, "import"),
        ("open", "ouverture", "ouverte", "2015-10-01", None, "import"),
    ]
    assert records("La Trouvaille")[-1] == (
        "pause", "visites", "en_pause", "2014-11-30", "Recherche d'un local", "import",
    )  # fmt: skip
    paused = db.session.scalars(select(Project).where(Project.name == "La Trouvaille")).one()
    assert (paused.state, paused.return_state) == ("en_pause", "visites")
    assert paused.state_changed_at == dt.datetime(2014, 11, 30)
    assert paused.created_at == dt.datetime(2014, 2, 10)
    assert sorted(h.email for h in paused.holders) == [
        "lea.roux@example.org",
        "paul.martin@example.org",
    ]
    users = {r.user_id for r in db.session.scalars(select(TransitionRecord))}
    assert users == {coordinator.id}


def test_the_funnel_and_median_times_come_from_the_imported_dates(coordinator):
    import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()

    board = dashboard(coordinator, "creation-ressourcerie", None)
    funnel = {c.stage: c.count for c in board.funnel}
    assert funnel["premier_contact"] == 4
    assert funnel["visites"] == 3
    assert funnel["ouverte"] == 1
    times = {t.stage: t for _label, t in board.times}
    # Days in premier_contact: Tulle 47, La Trouvaille 50, Bellac 72, Monts 167 (then abandoned).
    assert times["premier_contact"].median_days == pytest.approx((50 + 72) / 2)
    assert times["dla"].median_days == pytest.approx(
        (dt.date(2014, 1, 15) - dt.date(2013, 9, 12)).days
    )


def test_report_states_at_a_past_date_replay_the_imported_history(coordinator):
    import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()

    on_2014 = states_at(dt.datetime(2014, 1, 1))
    assert on_2014 == {
        ("creation-ressourcerie", "dla"): 1,
        ("creation-ressourcerie", "abandonne"): 1,
    }
    on_2015 = states_at(dt.datetime(2015, 1, 1))
    assert on_2015[("creation-ressourcerie", "en_pause")] == 1
    assert on_2015[("creation-ressourcerie", "etude_faisabilite")] == 1


def test_importing_the_same_file_twice_adds_nothing(coordinator):
    import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()
    before = (count(Project), count(TransitionRecord), count(User))

    again = import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()

    assert (again.created, again.skipped, again.holders_created) == (0, 4, 0)
    assert (count(Project), count(TransitionRecord), count(User)) == before


def test_a_windows_1252_semicolon_file_with_french_dates_imports(coordinator):
    data = (
        "name;commune;workflow;stage;date_premier_contact;date_visites\n"
        "Ressourcerie Créative;23096;creation-ressourcerie;visites;04/05/2013;01/06/2013\n"
    ).encode("cp1252")
    import_projects(data, user_id=coordinator.id)
    db.session.commit()
    assert records("Ressourcerie Créative")[-1][2:4] == ("visites", "2013-06-01")


def test_a_utf8_file_with_a_bom_imports(coordinator):
    data = (
        "\ufeffname,workflow,stage,date_premier_contact\n"
        "Écho,creation-ressourcerie,premier_contact,2013-05-04\n"
    )
    result = import_projects(data.encode("utf-8"), user_id=coordinator.id)
    assert result.created == 1
    again = import_projects(data.replace("Écho", "ÉCHO").encode("utf-8"), user_id=coordinator.id)
    assert (again.created, again.skipped) == (0, 1)  # the same project, whatever the case


def test_every_bad_cell_is_named_by_line_and_column_and_nothing_is_written(coordinator):
    data = (
        HEADER
        + "A,99999,creation-ressourcerie,visites,2013-05-04,2013-06-01,,,\n"  # unknown commune
        + "B,,nope,visites,2013-05-04,,,,\n"  # unknown workflow
        + "C,,creation-ressourcerie,visites,2013-05-04,31/02/2013,,,\n"  # bad date
        + "D,,creation-ressourcerie,visites,2013-05-04,2013-04-01,,,\n"  # going backwards
        + "E,,creation-ressourcerie,visites,2013-05-04,2013-06-01,2013-07-01,,\n"  # after current
        + "F,,creation-ressourcerie,nulle_part,2013-05-04,,,,\n"  # unknown stage
        + "G,,creation-ressourcerie,dla,2013-05-04,,2013-07-01,,\n"  # a stage skipped
        + "H,,creation-ressourcerie,visites,,2013-06-01,,,\n"  # no start date
        + "I,,creation-ressourcerie,premier_contact,2013-05-04,,,,pourquoi\n"  # reason, no date
        + "J,,creation-ressourcerie,premier_contact,2999-01-01,,,,\n"  # in the future
        + ",,creation-ressourcerie,premier_contact,2013-05-04,,,,\n"  # no name
        + "K,,creation-ressourcerie,premier_contact,2013-05-04,,,,\n"
        + "k,,creation-ressourcerie,premier_contact,2013-05-04,,,,\n"  # same project as above
    ).encode()
    errors = rejected(data, coordinator.id)

    assert [(line, column) for line, column, _ in errors] == [
        (2, "commune"),
        (3, "workflow"),
        (4, "date_visites"),
        (5, "date_visites"),
        (6, "date_dla"),
        (7, "stage"),
        (8, "date_dla"),
        (9, "date_premier_contact"),
        (10, "reason_en_pause"),
        (11, "date_premier_contact"),
        (12, "name"),
        (14, "name"),
    ]
    assert count(Project) == 0 and count(TransitionRecord) == 0


def test_a_date_column_of_a_stage_the_workflow_does_not_have_is_named(coordinator, in_english):
    data = (
        "name,workflow,stage,date_candidature,date_visites\n"
        "Adhésion,adhesion-reseau,candidature,2013-05-04,2013-06-01\n"
    ).encode()
    assert rejected(data, coordinator.id) == [
        (2, "date_visites", "visites is not a stage of adhesion-reseau")
    ]


def test_unknown_columns_are_refused_on_line_1(coordinator):
    data = b"name,workflow,stage,date_mars\nA,creation-ressourcerie,premier_contact\n"
    [(line, _column, message)] = rejected(data, coordinator.id)
    assert line == 1 and "date_mars" in message


def test_a_holder_email_of_another_role_is_refused(coordinator):
    data = (
        "name,workflow,stage,date_premier_contact,holder_email\n"
        f"A,creation-ressourcerie,premier_contact,2013-05-04,{coordinator.email}\n"
    ).encode()
    [(line, column, _message)] = rejected(data, coordinator.id)
    assert (line, column) == (2, "holder_email")


def test_an_existing_holder_is_matched_by_email(coordinator, make_user):
    holder = make_user("holder", email="deja@example.org")
    data = (
        b"name,workflow,stage,date_premier_contact,holder_email\n"
        b"A,creation-ressourcerie,premier_contact,2013-05-04,DEJA@example.org\n"
    )
    result = import_projects(data, user_id=coordinator.id)
    assert result.holders_created == 0
    assert result.projects[0].holders == [holder]


def test_holders_are_created_without_a_password_and_no_email_is_sent(app, coordinator, monkeypatch):
    from accompagnement.outbox.models import OutboxMessage

    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")  # mail would be possible
    import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()

    holders = db.session.scalars(select(User).where(User.role == "holder")).all()
    assert len(holders) == 4
    assert all(h.password_hash is None for h in holders)
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_report_of_a_past_period_counts_the_imported_moves(coordinator):
    from accompagnement.reports.services import build_report

    import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()

    report = build_report(dt.date(2013, 1, 1), dt.date(2013, 12, 31))["projects"]
    # 2013: Tulle created, visites, dla; Monts abandoned (creations are not movements).
    assert report["transitions"] == 3
    assert report["opened"] == 0
    assert report["by_stage"]["dla"] == 1
    assert report["by_stage"]["abandonne"] == 1
    assert build_report(dt.date(2015, 1, 1), dt.date(2015, 12, 31))["projects"]["opened"] == 1


def test_the_project_page_says_the_moves_were_imported(coordinator, english_client):
    import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()
    project = db.session.scalars(select(Project).where(Project.name == "La Trouvaille")).one()
    english_client.post(
        "/auth/login", data={"email": coordinator.email, "password": "correct horse battery staple"}
    )
    response = english_client.get(f"/projects/{project.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert page.count("(imported from the network") == 3


def history_file(projects: int) -> bytes:
    lines = [
        "name,commune,workflow,stage,holder_name,holder_email,date_premier_contact,date_visites"
    ]
    lines += [
        f"Projet {n},87085,creation-ressourcerie,visites,Holder {n},h{n}@example.org,"
        "2013-05-04,2013-06-01"
        for n in range(projects)
    ]
    return ("\n".join(lines) + "\n").encode()


def statements(coordinator, data: bytes) -> int:  # noqa: ANN001
    # Each import is a request (or command) of its own: the workflow registry then reads the
    # database's versions once (workflows.services.registry), in both measurements alike.
    g.pop(CHECKED, None)
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        import_projects(data, user_id=coordinator.id)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    db.session.rollback()
    return sum(1 for s in seen if s.lstrip().upper().startswith("SELECT"))


def test_checking_a_file_reads_the_database_a_constant_number_of_times(coordinator):
    assert statements(coordinator, history_file(5)) == statements(coordinator, history_file(50))
