"""The personal calendar feed: a secret address made and replaced from the account page, the
person's tasks as all-day events or to-dos, nothing for a wrong address."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from icalendar import Calendar

from accompagnement.extensions import db
from accompagnement.tasks import services
from accompagnement.tasks.models import PersonalFeedKey
from accompagnement.tasks.services import TaskInput

FEED = re.compile(r'value="http://localhost(/tasks/feed/\d+/[A-Za-z0-9_-]+\.ics)"')


@pytest.fixture
def project(make_project: Callable, holder: Any) -> Any:
    return make_project("Ressourcerie des Monts", holders=[holder])


def _feed_path(client: Any) -> str:
    match = FEED.search(client.get("/auth/account").get_data(as_text=True))
    assert match, "no feed address on the account page"
    return match.group(1)


def _make_address(client: Any) -> str:
    assert client.post("/tasks/feed/address").status_code == 302
    return _feed_path(client)


def _components(body: bytes, kind: str) -> list[Any]:
    return [c for c in Calendar.from_ical(body).walk() if c.name == kind]


def test_a_holder_subscribes_to_their_tasks(
    client: Any, auth: Any, coordinator: Any, holder: Any, project: Any
) -> None:
    task = services.create_task(
        project.id,
        TaskInput("Envoyer les statuts", f"user:{holder.id}", due_on=dt.date(2026, 5, 4)),
        user_id=coordinator.id,
    )
    coordination = services.create_task(
        project.id, TaskInput("Note interne", "coordination"), user_id=coordinator.id
    )
    db.session.commit()
    auth.login(holder)
    assert "Vous n'avez pas encore d'adresse" in client.get("/auth/account").get_data(as_text=True)
    path = _make_address(client)
    auth.logout()
    response = client.get(path)  # a calendar application: no session
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = {str(e["summary"]): e for e in _components(response.data, "VEVENT")}
    assert "Envoyer les statuts" in events and coordination.title not in events
    assert events["Envoyer les statuts"].decoded("dtstart") == dt.date(2026, 5, 4)
    assert str(events["Envoyer les statuts"]["uid"]) == f"task-{task.id}@tasks.accompagnement"
    assert "Envoyer la fiche projet complétée" in events  # the holders' template task
    assert str(events["Envoyer les statuts"]["description"]) == "Ressourcerie des Monts"


def test_tasks_can_come_as_to_dos_with_their_status(
    client: Any, auth: Any, coordinator: Any, project: Any
) -> None:
    task = services.create_task(
        project.id,
        TaskInput("Relancer la mairie", "coordination", due_on=dt.date(2026, 2, 1)),
        user_id=coordinator.id,
    )
    db.session.commit()
    services.set_done(task.id, done=True, user_id=coordinator.id)
    db.session.commit()
    auth.login(coordinator)
    path = _make_address(client)
    todos = {str(t["summary"]): t for t in _components(client.get(path + "?as=todo").data, "VTODO")}
    assert str(todos["Relancer la mairie"]["status"]) == "COMPLETED"
    assert todos["Relancer la mairie"].decoded("due") == dt.date(2026, 2, 1)
    assert str(todos["Proposer la formation « Créer une ressourcerie »"]["status"]) == (
        "NEEDS-ACTION"
    )


def test_a_new_address_replaces_the_old_one(
    client: Any, auth: Any, holder: Any, project: Any
) -> None:
    auth.login(holder)
    old = _make_address(client)
    new = _make_address(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


@pytest.mark.parametrize("change", ["token", "user"])
def test_a_wrong_address_finds_nothing(
    client: Any, auth: Any, holder: Any, other_holder: Any, project: Any, change: str
) -> None:
    auth.login(holder)
    path = _make_address(client)
    _, _, _, user_id, token = path.split("/")
    if change == "token":
        wrong = f"/tasks/feed/{user_id}/{token[:-5]}AAAAA.ics"
    else:
        wrong = f"/tasks/feed/{other_holder.id}/{token}"
    assert client.get(wrong).status_code == 404


def test_the_database_holds_no_working_address(
    client: Any, auth: Any, holder: Any, project: Any
) -> None:
    auth.login(holder)
    path = _make_address(client)
    key = db.session.scalars(db.select(PersonalFeedKey)).one()
    assert key.secret not in path


def test_a_deactivated_person_has_no_feed(
    client: Any, auth: Any, holder: Any, project: Any
) -> None:
    auth.login(holder)
    path = _make_address(client)
    holder.active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_the_feed_runs_a_constant_number_of_queries(
    client: Any, auth: Any, coordinator: Any, make_project: Callable, count_queries: Callable
) -> None:
    auth.login(coordinator)
    path = _make_address(client)

    def statements() -> int:
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    few = statements()
    for n in range(5):
        make_project(f"Projet {n}")
    assert statements() == few


def test_other_features_add_their_entries_to_the_feed(
    app: Any, client: Any, auth: Any, coordinator: Any
) -> None:
    from icalendar import Event

    from accompagnement.tasks import calendar

    def meetings(user: Any, options: Any) -> list[Any]:
        event = Event()
        event.add("uid", f"meeting-1-{user.id}@test")
        event.add("summary", "Réunion de suivi")
        event.add("dtstamp", options.stamp)
        event.add("dtstart", options.today)
        return [event]

    calendar.register_source(app, meetings)
    try:
        auth.login(coordinator)
        body = client.get(_make_address(client)).data
    finally:
        app.extensions[calendar.EXTENSION].remove(meetings)
    assert "Réunion de suivi" in {str(e["summary"]) for e in _components(body, "VEVENT")}
