"""Tasks through their services: who may create, see, tick and change them; what is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from accompagnement.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from accompagnement.extensions import db
from accompagnement.tasks import services
from accompagnement.tasks.models import Assignee, Task
from accompagnement.tasks.services import TaskInput

DUE = dt.date(2026, 6, 15)


@pytest.fixture
def project(make_project: Callable, holder: Any) -> Any:
    return make_project("Ressourcerie des Monts", holders=[holder])


def _add(project: Any, coordinator: Any, assignee: str, **values: Any) -> Task:
    task = services.create_task(
        project.id,
        TaskInput(title=values.pop("title", "Envoyer les statuts"), assignee=assignee, **values),
        user_id=coordinator.id,
    )
    db.session.commit()
    return task


def test_a_coordinator_gives_a_holder_a_task_with_a_due_date(
    project: Any, coordinator: Any, holder: Any
) -> None:
    task = _add(project, coordinator, f"user:{holder.id}", due_on=DUE, notes="  Version 2  ")
    assert (task.assignee, task.assignee_id, task.due_on) == (Assignee.PERSON, holder.id, DUE)
    assert task.notes == "Version 2" and task.created_by_id == coordinator.id
    assert services.get_task(holder, task.id) == task


def test_a_holder_sees_their_tasks_and_the_holders_ones_but_not_the_coordinations(
    project: Any, coordinator: Any, holder: Any, make_user: Callable
) -> None:
    partner_in_project = make_user("holder")
    project.holders.append(partner_in_project)
    db.session.commit()
    mine = _add(project, coordinator, f"user:{holder.id}")
    shared = _add(project, coordinator, "holders")
    theirs = _add(project, coordinator, f"user:{partner_in_project.id}")
    coordination = _add(project, coordinator, "coordination")
    assert services.get_task(holder, mine.id) and services.get_task(holder, shared.id)
    for hidden in (theirs, coordination):
        with pytest.raises(NotFound):
            services.get_task(holder, hidden.id)
        with pytest.raises(NotFound):
            services.set_done(hidden.id, done=True, user_id=holder.id)


def test_a_holder_of_another_project_gets_not_found_for_everything(
    project: Any, coordinator: Any, other_holder: Any
) -> None:
    task = _add(project, coordinator, "holders")
    with pytest.raises(NotFound):
        services.get_task(other_holder, task.id)
    with pytest.raises(NotFound):
        services.set_done(task.id, done=True, user_id=other_holder.id)
    with pytest.raises(NotFound):
        services.create_task(project.id, TaskInput("x", "holders"), user_id=other_holder.id)


def test_holders_tick_but_only_coordinators_manage(
    project: Any, coordinator: Any, holder: Any
) -> None:
    task = _add(project, coordinator, "holders")
    with pytest.raises(Forbidden):
        services.create_task(project.id, TaskInput("Moi", "holders"), user_id=holder.id)
    with pytest.raises(Forbidden):
        services.update_task(task.id, TaskInput("x", "holders"), user_id=holder.id, version=1)
    with pytest.raises(Forbidden):
        services.delete_task(task.id, user_id=holder.id, version=1)
    services.set_done(task.id, done=True, user_id=holder.id)
    db.session.commit()
    assert task.done_by_id == holder.id and task.done_at is not None


def test_ticking_twice_changes_nothing_and_unticking_reopens(
    project: Any, coordinator: Any, holder: Any
) -> None:
    task = _add(project, coordinator, "holders")
    services.set_done(task.id, done=True, user_id=holder.id)
    db.session.commit()
    done_at, version = task.done_at, task.lock_version
    services.set_done(task.id, done=True, user_id=coordinator.id)
    db.session.commit()
    assert (task.done_at, task.done_by_id, task.lock_version) == (done_at, holder.id, version)
    services.set_done(task.id, done=False, user_id=holder.id)
    db.session.commit()
    assert task.done_at is None and task.done_by_id is None


@pytest.mark.parametrize(
    ("values", "field", "french", "english"),
    [
        (
            {"title": "   "},
            "title",
            "Un titre de 1 à 200 caractères est obligatoire.",
            "A title of 1 to 200 characters is required.",
        ),
        (
            {"title": "x" * 201},
            "title",
            "Un titre de 1 à 200 caractères est obligatoire.",
            "A title of 1 to 200 characters is required.",
        ),
        (
            {"assignee": "user:999999"},
            "assignee",
            "Choisissez un·e porteur·euse du projet, un·e coordinateur·rice ou les porteur·euses.",
            "Choose a holder of the project, a coordinator or the holders.",
        ),
        (
            {"stage": "nowhere"},
            "stage",
            "Ce n'est pas une étape du parcours de ce projet.",
            "Not a stage of this project's workflow.",
        ),
        (
            {"due_on": dt.date(2099, 1, 1)},
            "due_on",
            "Indiquez une échéance à moins de dix ans d'aujourd'hui.",
            "Give a due date within ten years of today.",
        ),
    ],
)
def test_bad_values_are_refused_with_a_message_in_the_readers_language(
    project: Any, coordinator: Any, values: dict, field: str, french: str, english: str
) -> None:
    typed = {"title": "Envoyer les statuts", "assignee": "holders"} | values
    for language, message in (("fr", french), ("en", english)):
        with force_locale(language), pytest.raises(InvalidInput) as refused:
            services.create_task(project.id, TaskInput(**typed), user_id=coordinator.id)
        assert refused.value.errors == {field: message}
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Task)) == 2  # templates


def test_a_holder_of_another_project_cannot_be_given_the_task(
    project: Any, coordinator: Any, other_holder: Any
) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.create_task(
            project.id, TaskInput("x", f"user:{other_holder.id}"), user_id=coordinator.id
        )
    assert set(refused.value.errors) == {"assignee"}


def test_an_edit_made_on_an_old_version_is_refused(project: Any, coordinator: Any) -> None:
    task = _add(project, coordinator, "holders")
    opened = task.lock_version
    services.update_task(
        task.id, TaskInput("Premier", "holders"), user_id=coordinator.id, version=opened
    )
    db.session.commit()
    with pytest.raises(StaleEdit):
        services.update_task(
            task.id, TaskInput("Second", "holders"), user_id=coordinator.id, version=opened
        )
    db.session.rollback()
    assert db.session.get(Task, task.id).title == "Premier"


def test_a_concurrent_write_between_read_and_write_is_caught(
    project: Any, coordinator: Any
) -> None:
    task = _add(project, coordinator, "holders")
    version = task.lock_version
    services.get_task(coordinator, task.id)  # read, as the edit's request does first
    # Another request's change lands in between (a Core UPDATE: the session does not see it,
    # as it would not see another process's commit).
    table = Task.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == task.id)
        .values(title="Ailleurs", lock_version=version + 1)
    )
    with pytest.raises(StaleEdit):
        services.update_task(
            task.id, TaskInput("Ici", "holders"), user_id=coordinator.id, version=version
        )
    db.session.rollback()  # the refused request ends (here with the simulated one's change)
    assert db.session.get(Task, task.id).title == "Envoyer les statuts"


def test_delete_needs_the_version_the_page_showed(project: Any, coordinator: Any) -> None:
    task = _add(project, coordinator, "holders")
    with pytest.raises(StaleEdit):
        services.delete_task(task.id, user_id=coordinator.id, version=None)
    services.delete_task(task.id, user_id=coordinator.id, version=task.lock_version)
    db.session.commit()
    assert db.session.get(Task, task.id) is None


def test_a_partner_has_no_tasks(project: Any, coordinator: Any, partner: Any) -> None:
    task = _add(project, coordinator, "holders")
    with pytest.raises(Forbidden):
        services.set_done(task.id, done=True, user_id=partner.id)
