"""The task pages as people use them: add, change, tick, filter, and where overdue tasks show."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from accompagnement.extensions import db
from accompagnement.tasks import services
from accompagnement.tasks.models import Task
from accompagnement.tasks.services import TaskInput
from tests.fixtures.tasks import tasks_of

LONG_AGO = dt.date(2020, 1, 15)


@pytest.fixture
def project(make_project: Callable, holder: Any) -> Any:
    return make_project("Ressourcerie des Monts", holders=[holder])


def _task(project: Any, coordinator: Any, assignee: str = "holders", **values: Any) -> Task:
    values.setdefault("title", "Envoyer les statuts")
    task = services.create_task(
        project.id, TaskInput(assignee=assignee, **values), user_id=coordinator.id
    )
    db.session.commit()
    return task


def _overdue(task: Task) -> Task:
    """Move a task's due date into the past (the form refuses dates ten years away only)."""
    task.due_on = LONG_AGO
    db.session.commit()
    return task


def test_a_coordinator_adds_a_task_for_a_holder_through_the_form(
    client: Any, auth: Any, coordinator: Any, holder: Any, project: Any
) -> None:
    auth.login(coordinator)
    page = client.get(f"/tasks/new/{project.id}").get_data(as_text=True)
    assert f'value="user:{holder.id}"' in page and 'value="holders"' in page
    response = client.post(
        f"/tasks/new/{project.id}",
        data={
            "title": "Envoyer le budget",
            "assignee": f"user:{holder.id}",
            "due_on": "2026-09-30",
        },
    )
    assert response.status_code == 302
    task = next(t for t in tasks_of(project) if t.title == "Envoyer le budget")
    assert (task.assignee_id, task.due_on) == (holder.id, dt.date(2026, 9, 30))
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Envoyer le budget" in listing and "Tâche ajoutée." in listing


def test_a_bad_form_keeps_what_was_typed_and_says_why_in_french(
    client: Any, auth: Any, coordinator: Any, project: Any
) -> None:
    auth.login(coordinator)
    response = client.post(
        f"/tasks/new/{project.id}",
        data={"title": "Appeler la mairie", "assignee": "user:99999", "notes": "Le lundi"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Appeler la mairie" in page and "Le lundi" in page
    assert "N&#39;est pas un choix valide." in page  # someone who is not offered
    assert len(tasks_of(project)) == 2  # the two templates of the first stage only


def test_the_services_message_reads_in_english(
    english_client: Any, coordinator: Any, project: Any, sign_in: Callable
) -> None:
    sign_in(english_client, coordinator)
    response = english_client.post(
        f"/tasks/new/{project.id}", data={"title": " ", "assignee": "holders"}
    )
    assert response.status_code == 400
    assert "A title of 1 to 200 characters is required." in response.get_data(as_text=True)


def test_a_holder_ticks_their_task_and_unticks_it(
    client: Any, auth: Any, coordinator: Any, holder: Any, project: Any
) -> None:
    task = _task(project, coordinator, f"user:{holder.id}")
    auth.login(holder)
    response = client.post(f"/tasks/{task.id}/done", data={"next": "/tasks/?status=all"})
    assert response.status_code == 302 and response.headers["Location"] == "/tasks/?status=all"
    db.session.expire_all()
    assert db.session.get(Task, task.id).done_by_id == holder.id
    client.post(f"/tasks/{task.id}/reopen", data={"next": "https://evil.example/"})
    db.session.expire_all()
    assert db.session.get(Task, task.id).done_at is None


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/tasks/{id}/done", 404),  # holders tick: the task is not theirs to see
        ("post", "/tasks/{id}/reopen", 404),
        ("get", "/tasks/{id}/edit", 403),  # holders never edit or delete, whose ever it is
        ("post", "/tasks/{id}/delete", 403),
    ],
)
def test_a_holder_of_another_project_cannot_reach_the_task(
    client: Any,
    auth: Any,
    coordinator: Any,
    other_holder: Any,
    project: Any,
    method: str,
    path: str,
    status: int,
) -> None:
    task = _task(project, coordinator)
    auth.login(other_holder)
    response = getattr(client, method)(path.format(id=task.id), data={"version": "1"})
    assert response.status_code == status
    db.session.expire_all()
    assert db.session.get(Task, task.id) is not None
    assert db.session.get(Task, task.id).done_at is None


def test_a_holder_does_not_see_another_projects_tasks_in_the_list(
    client: Any, auth: Any, coordinator: Any, other_holder: Any, project: Any
) -> None:
    _task(project, coordinator, title="Secret du projet")
    auth.login(other_holder)
    page = client.get(f"/tasks/?project={project.id}&status=all").get_data(as_text=True)
    assert "Secret du projet" not in page and "Ressourcerie des Monts" not in page


def test_an_edit_on_an_outdated_page_is_refused_and_shows_the_current_task(
    client: Any, auth: Any, coordinator: Any, project: Any
) -> None:
    task = _task(project, coordinator)
    auth.login(coordinator)
    form = {"title": "Première version", "assignee": "holders", "version": str(task.lock_version)}
    assert client.post(f"/tasks/{task.id}/edit", data=form).status_code == 302
    second = client.post(f"/tasks/{task.id}/edit", data=form | {"title": "Seconde"})
    assert second.status_code == 302 and second.headers["Location"].endswith("/edit")
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Quelqu&#39;un d&#39;autre a modifié cette tâche" in page
    assert "Première version" in page
    db.session.expire_all()
    assert db.session.get(Task, task.id).title == "Première version"


def test_the_list_filters_live_in_the_url_and_are_paginated(
    client: Any, auth: Any, coordinator: Any, project: Any
) -> None:
    for n in range(55):
        _task(
            project,
            coordinator,
            "coordination",
            title=f"Tâche {n:02d}",
            due_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
        )
    auth.login(coordinator)
    first = client.get("/tasks/?due_from=2026-01-01&due_to=30/06/2026").get_data(as_text=True)
    assert "1–50 sur 55" in first
    assert "Tâche 00" in first and "Tâche 54" not in first
    second = client.get("/tasks/?due_from=2026-01-01&due_to=30/06/2026&page=2").get_data(
        as_text=True
    )
    assert "Tâche 54" in second and "Tâche 00" not in second
    links = re.findall(r'href="(/tasks/\?[^"]*page=2[^"]*)"', first)
    assert links and all("due_to=30/06/2026" in link for link in links)
    narrow = client.get("/tasks/?due_from=2026-01-10&due_to=2026-01-11").get_data(as_text=True)
    assert "Tâche 09" in narrow and "Tâche 10" in narrow and "Tâche 11" not in narrow


def test_a_date_that_cannot_be_read_is_said_and_ignored(
    client: Any, auth: Any, coordinator: Any, project: Any
) -> None:
    auth.login(coordinator)
    response = client.get("/tasks/?due_from=demain")
    assert response.status_code == 200
    assert "Date attendue" in response.get_data(as_text=True)


def test_overdue_filter_and_done_filter(
    client: Any, auth: Any, coordinator: Any, project: Any
) -> None:
    late = _overdue(_task(project, coordinator, "coordination", title="Relance tardive"))
    done = _task(project, coordinator, "coordination", title="Déjà faite")
    services.set_done(done.id, done=True, user_id=coordinator.id)
    db.session.commit()
    auth.login(coordinator)
    overdue = client.get("/tasks/?status=overdue").get_data(as_text=True)
    assert "Relance tardive" in overdue and "Déjà faite" not in overdue
    finished = client.get("/tasks/?status=done").get_data(as_text=True)
    assert "Déjà faite" in finished and late.title not in finished


def test_overdue_tasks_show_on_the_board_card(
    client: Any, auth: Any, coordinator: Any, project: Any, make_project: Callable
) -> None:
    _overdue(_task(project, coordinator))
    _overdue(_task(project, coordinator, title="Deuxième"))
    make_project("Sans retard")
    auth.login(coordinator)
    board = client.get("/projects/").get_data(as_text=True)
    assert board.count("tâches en retard") == 1 and "2 tâches en retard" in board


def test_overdue_tasks_show_on_the_coordinators_home(
    client: Any, auth: Any, coordinator: Any, project: Any
) -> None:
    _overdue(_task(project, coordinator, "coordination", title="Relancer le DLA"))
    auth.login(coordinator)
    home = client.get("/").get_data(as_text=True)
    assert "Mes tâches en retard" in home and "Relancer le DLA" in home


def test_a_holder_with_an_overdue_task_lands_on_it_at_home(
    client: Any, auth: Any, coordinator: Any, holder: Any, project: Any
) -> None:
    auth.login(holder)
    assert client.get("/").status_code == 302  # one project, nothing overdue: the project
    _overdue(_task(project, coordinator, f"user:{holder.id}", title="Envoyer le devis"))
    home = client.get("/")
    assert home.status_code == 200
    assert "Envoyer le devis" in home.get_data(as_text=True)


def test_the_task_list_runs_a_constant_number_of_queries(
    client: Any,
    auth: Any,
    coordinator: Any,
    project: Any,
    make_project: Callable,
    count_queries: Callable,
) -> None:
    auth.login(coordinator)

    def statements() -> int:
        with count_queries() as counter:
            assert client.get("/tasks/?scope=all&status=all").status_code == 200
        return counter.count

    few = statements()
    for n in range(6):
        other = make_project(f"Projet {n}")
        _overdue(_task(other, coordinator, title=f"Tâche {n}"))
    assert statements() == few


def test_the_board_counts_overdue_tasks_in_one_grouped_query(
    client: Any,
    auth: Any,
    coordinator: Any,
    project: Any,
    make_project: Callable,
    count_queries: Callable,
) -> None:
    auth.login(coordinator)

    def statements() -> tuple[int, int]:
        with count_queries() as counter:
            assert client.get("/projects/").status_code == 200
        grouped = [s for s in counter.statements if "FROM tasks" in s]
        return counter.count, len(grouped)

    few, grouped = statements()
    for n in range(6):
        _overdue(_task(make_project(f"Projet {n}"), coordinator))
    assert statements() == (few, 1) and grouped == 1
