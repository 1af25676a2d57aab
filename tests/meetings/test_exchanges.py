"""The coordination records its exchanges with a project; their time adds up per stage, period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

import accompagnement.models  # noqa: F401  (every mapper first, as the app factory does)
from accompagnement.extensions import db
from accompagnement.meetings import queries, services
from accompagnement.meetings.models import Exchange

EN = {"Accept-Language": "en"}


def _form(**values: str) -> dict[str, str]:
    return {
        "day": "2026-03-10",
        "time": "14:00",
        "kind": "meeting",
        "minutes": "90",
        "participants": "Camille, Dominique",
        "notes": "Local trouvé à Guéret.",
        "next_steps": "Envoyer le projet de statuts",
        **values,
    }


def _exchanges() -> list[Exchange]:
    db.session.expire_all()
    return list(db.session.scalars(select(Exchange).order_by(Exchange.id)))


def test_a_coordinator_records_a_meeting_of_ninety_minutes(
    client: FlaskClient, auth: Any, coordinator: Any, project: Any
) -> None:
    auth.login(coordinator)
    answer = client.post(f"/projects/{project.id}/exchanges", data=_form(), headers=EN)
    assert answer.status_code == 302
    (made,) = _exchanges()
    assert (made.kind, made.minutes, made.stage) == ("meeting", 90, project.state)
    assert made.at == dt.datetime(2026, 3, 10, 13, 0)  # stored in UTC: 14:00 in Paris in March
    assert queries.to_local(made.at) == dt.datetime(2026, 3, 10, 14, 0)
    page = client.get(f"/projects/{project.id}/exchanges", headers=EN).get_data(as_text=True)
    assert "Local trouvé à Guéret." in page and "1 h 30" in page
    french = client.get(f"/projects/{project.id}/exchanges").get_data(as_text=True)
    assert "10/03/2026 14:00" in french  # shown at the local time it was typed


def test_bad_values_are_explained_and_nothing_is_saved(
    client: FlaskClient, auth: Any, coordinator: Any, project: Any
) -> None:
    auth.login(coordinator)
    answer = client.post(
        f"/projects/{project.id}/exchanges",
        data=_form(minutes="2000", day="31/02/2026", kind="party"),
        headers=EN,
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'id="minutes-error"' in page and 'id="day-error"' in page and 'id="kind-error"' in page
    assert "Local trouvé à Guéret." in page  # what was typed stays
    assert _exchanges() == []


def test_holders_and_partners_cannot_read_the_notes(
    client: FlaskClient, auth: Any, holder: Any, partner: Any, project: Any
) -> None:
    for person in (holder, partner):
        auth.login(person)
        assert client.get(f"/projects/{project.id}/exchanges").status_code == 403
        assert client.post(f"/projects/{project.id}/exchanges", data=_form()).status_code == 403
        assert client.get("/exchanges/time").status_code == 403
        auth.logout()
    assert _exchanges() == []


def test_a_change_made_meanwhile_is_not_overwritten(
    client: FlaskClient, auth: Any, coordinator: Any, project: Any
) -> None:
    auth.login(coordinator)
    client.post(f"/projects/{project.id}/exchanges", data=_form(), headers=EN)
    (made,) = _exchanges()
    first = _form(minutes="60", revision=str(made.revision))
    assert client.post(f"/projects/{project.id}/exchanges/{made.id}", data=first).status_code == 302
    late = _form(minutes="30", revision="1")  # read before the first change
    answer = client.post(f"/projects/{project.id}/exchanges/{made.id}", data=late, headers=EN)
    assert answer.status_code == 409 and "changed this exchange meanwhile" in answer.get_data(
        as_text=True
    )
    assert _exchanges()[0].minutes == 60


def test_time_adds_up_per_stage_coordinator_and_period_without_planned_ones(
    app: Any, coordinator: Any, make_user: Any, project: Any
) -> None:
    other = make_user("coordinator", name="Alex Coordination")
    for day, minutes, who in ((10, 90, coordinator), (20, 30, other), (25, 45, coordinator)):
        values = services.ExchangeInput(dt.datetime(2025, 5, day, 10), "meeting", minutes)
        services.record_exchange(project.id, values, user_id=who.id)
    ahead = queries.local_now() + dt.timedelta(days=7)
    services.record_exchange(
        project.id, services.ExchangeInput(ahead, "workshop", 120), user_id=coordinator.id
    )
    db.session.commit()

    spent = queries.time_spent(dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert (spent.total, spent.exchanges, spent.projects) == (165, 3, 1)
    assert spent.by_stage == [(project.workflow_name, project.state, 165)]
    assert dict(spent.by_coordinator) == {coordinator.name: 135, "Alex Coordination": 30}
    assert queries.time_spent(dt.date(2025, 5, 15), dt.date(2025, 5, 31)).total == 75
    far = queries.time_spent(dt.date(2025, 1, 1), ahead.date() + dt.timedelta(days=1))
    assert far.total == 165  # the planned workshop is not time spent yet


def test_a_planned_meeting_appears_on_the_holders_home(
    client: FlaskClient, auth: Any, coordinator: Any, holder: Any, project: Any
) -> None:
    ahead = queries.local_now() + dt.timedelta(days=3)
    values = services.ExchangeInput(ahead.replace(second=0, microsecond=0), "site_visit", 60)
    services.record_exchange(project.id, values, user_id=coordinator.id)
    db.session.commit()
    auth.login(holder)
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "Planned with the network" in page and "Visit on site" in page
    assert project.name in page


def test_the_report_shows_the_accompaniment_time_of_the_period(
    coordinator: Any, project: Any
) -> None:
    from accompagnement.reports.document import layout
    from accompagnement.reports.services import build_report

    values = services.ExchangeInput(dt.datetime(2025, 3, 10, 14), "meeting", 90)
    services.record_exchange(project.id, values, user_id=coordinator.id)
    db.session.commit()

    spent = build_report(dt.date(2025, 1, 1), dt.date(2025, 12, 31))["accompaniment_time"]
    assert (spent["minutes"], spent["hours"], spent["exchanges"], spent["projects"]) == (
        90,
        1.5,
        1,
        1,
    )
    assert spent["by_stage"] == [{"workflow": project.workflow_name, "stage": project.state,
                                  "label": "Premier contact", "minutes": 90}]  # fmt: skip
    section = next(s for s in layout(build_report(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
                                     "fr").sections if s.key == "time")  # fmt: skip
    assert section.rows == [["Premier contact", 1.5], ["Total", 1.5]]
    elsewhere = build_report(dt.date(2025, 1, 1), dt.date(2025, 12, 31), departements=["23"])
    assert elsewhere["accompaniment_time"]["minutes"] == 0  # the project is in Haute-Vienne


def test_next_steps_become_a_task_for_the_holders_in_one_click(
    client: FlaskClient, auth: Any, coordinator: Any, project: Any
) -> None:
    from accompagnement.tasks.models import Task

    values = services.ExchangeInput(
        dt.datetime(2026, 3, 10, 14),
        "meeting",
        90,
        next_steps="Envoyer le projet de statuts\npuis le budget prévisionnel",
    )
    made = services.record_exchange(project.id, values, user_id=coordinator.id)
    db.session.commit()
    auth.login(coordinator)
    page = client.get(f"/projects/{project.id}/exchanges", headers=EN).get_data(as_text=True)
    assert "Make a task of the next steps" in page

    answer = client.post(f"/tasks/from-exchange/{project.id}/{made.id}")
    assert answer.status_code == 302 and "/edit" in answer.headers["Location"]
    chosen = select(Task).where(
        Task.project_id == project.id, Task.title == "Envoyer le projet de statuts"
    )
    task = db.session.scalars(chosen).one()
    assert task.assignee == "holders" and task.due_on == dt.date(2026, 3, 24)
    assert task.notes is not None and "budget prévisionnel" in task.notes


def test_planned_meetings_are_in_the_personal_calendar_without_notes(
    client: FlaskClient, auth: Any, coordinator: Any, holder: Any, project: Any
) -> None:
    import re

    from icalendar import Calendar

    ahead = (queries.local_now() + dt.timedelta(days=5)).replace(hour=10, minute=0, second=0,
                                                                 microsecond=0)  # fmt: skip
    values = services.ExchangeInput(ahead, "site_visit", 90, notes="Secret de coordination")
    services.record_exchange(project.id, values, user_id=coordinator.id)
    db.session.commit()
    auth.login(holder)
    assert client.post("/tasks/feed/address").status_code == 302
    account = client.get("/auth/account").get_data(as_text=True)
    path = re.search(r'value="http://localhost(/tasks/feed/\d+/[A-Za-z0-9_-]+\.ics)"', account)
    assert path
    auth.logout()
    body = client.get(path.group(1)).data
    events = [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]
    (visit,) = [e for e in events if str(e["uid"]).startswith("exchange-")]
    assert str(visit["summary"]) == f"Visite sur site · {project.name}"
    assert visit.decoded("dtstart") == ahead.replace(tzinfo=dt.UTC)
    assert (visit.decoded("dtend") - visit.decoded("dtstart")) == dt.timedelta(minutes=90)
    assert b"Secret de coordination" not in body


def test_partners_see_the_time_as_totals_of_their_departements_never_notes(
    client: FlaskClient, auth: Any, coordinator: Any, make_user: Any, project: Any
) -> None:
    held = queries.local_now() - dt.timedelta(days=10)
    values = services.ExchangeInput(held, "meeting", 90, notes="Tensions dans le bureau")
    services.record_exchange(project.id, values, user_id=coordinator.id)
    db.session.commit()
    for departements, hours in ((["87"], "1.5 hours with 1 projects"), (["23"], "0 hours")):
        partner = make_user("partner", organisation="Département", departements=departements)
        auth.login(partner)
        page = client.get("/partners/", headers=EN).get_data(as_text=True)
        assert "Accompaniment time" in page and hours in page
        assert "Tensions dans le bureau" not in page
        auth.logout()
