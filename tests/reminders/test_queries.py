"""Which projects are late in their stage, and which have been left without news."""

from __future__ import annotations

from accompagnement.extensions import db
from accompagnement.projects.services import add_comment, fire_transition
from accompagnement.reminders.queries import overdue_projects, stale_projects


def test_a_project_over_its_stage_usual_duration_is_overdue(make_project, ago):
    make_project("Ressourcerie en retard", at=ago(100))  # premier_contact usually takes 90 days
    make_project("Ressourcerie à l'heure")

    overdue = overdue_projects()

    assert [(p.name, p.stage, p.usual_days, p.days_over) for p in overdue] == [
        ("Ressourcerie en retard", "premier_contact", 90, 10)
    ]
    assert overdue[0].stage_label.get("en") == "First contact"


def test_a_project_just_under_its_usual_duration_is_not_overdue(make_project, ago):
    make_project(at=ago(90))
    assert overdue_projects() == []


def test_an_untouched_project_is_stale_until_someone_acts(app, make_project, ago, coordinator):
    quiet = make_project("Projet silencieux", at=ago(61))
    make_project("Projet récent", at=ago(10))

    stale = stale_projects(60)
    assert [(p.name, p.idle_days) for p in stale] == [("Projet silencieux", 61)]
    assert [p.name for p in stale_projects()] == ["Projet silencieux"]  # STALE_PROJECT_DAYS

    add_comment(quiet.id, "Des nouvelles ?", user_id=coordinator.id)
    db.session.commit()
    assert stale_projects(60) == []


def test_projects_on_hold_are_not_reminded_of(make_project, ago, coordinator):
    paused = make_project("Projet en pause", at=ago(400))
    fire_transition(
        paused.id, "pause", user_id=coordinator.id, reason="Cherche un local", at=ago(400)
    )
    db.session.commit()
    assert overdue_projects() == []
    assert stale_projects(60) == []


def test_the_reminders_page_is_for_coordinators(
    reminders_client, sign_in, make_user, make_project, ago
):
    client = reminders_client
    make_project("Ressourcerie des Monts", at=ago(120))
    assert client.get("/reminders/").status_code == 302
    for role in ("holder", "partner", "member"):
        sign_in(client, make_user(role))
        assert client.get("/reminders/").status_code == 403
    sign_in(client, make_user("coordinator"))
    page = client.get("/reminders/")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("Ressourcerie des Monts") == 2  # late and stale
