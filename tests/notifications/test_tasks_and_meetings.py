"""Holders hear of a task given to them and of a meeting the network plans, in their language;
the digest lists the tasks due and the meetings coming."""

from __future__ import annotations

import datetime as dt

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.meetings import services as meetings
from accompagnement.reminders.coming import coming_for
from accompagnement.tasks import services as tasks


def test_a_task_given_to_the_holders_is_mailed_to_each_in_their_language(
    mailbox, coordinator, make_user, make_project
):
    hugh = make_user("holder", name="Hugh", email="hugh@example.org")
    hugh.locale = "en"
    helene = make_user("holder", name="Hélène", email="helene@example.org")
    project = make_project("Ressourcerie des Monts", holders=[hugh, helene])
    tasks.create_task(project.id, tasks.TaskInput("Envoyer les statuts", "holders"),
                      user_id=coordinator.id)  # fmt: skip
    db.session.commit()

    messages = {m["To"]: m for m in mailbox.messages}
    assert messages["hugh@example.org"]["Subject"] == "Ressourcerie des Monts: a task for you"
    assert messages["helene@example.org"]["Subject"] == (
        "Ressourcerie des Monts\u00a0: une tâche pour vous"
    )
    assert "Envoyer les statuts" in messages["hugh@example.org"].get_content()
    assert "/tasks/?project=" in messages["hugh@example.org"].get_content()


def test_a_planned_meeting_is_mailed_but_a_past_one_is_not(
    mailbox, coordinator, make_user, make_project
):
    hugh = make_user("holder", name="Hugh", email="hugh@example.org")
    hugh.locale = "en"
    project = make_project("Ressourcerie des Monts", holders=[hugh])
    past = meetings.ExchangeInput(utcnow() - dt.timedelta(days=2), "phone", 20)
    meetings.record_exchange(project.id, past, user_id=coordinator.id)
    db.session.commit()
    assert mailbox.messages == []

    ahead = dt.datetime(2031, 6, 3, 12, 30)  # 14:30 in Paris (summer time)
    planned = meetings.ExchangeInput(ahead, "meeting", 90)
    meetings.record_exchange(project.id, planned, user_id=coordinator.id)
    db.session.commit()
    (message,) = mailbox.messages
    assert message["To"] == "hugh@example.org"
    assert message["Subject"].startswith("Ressourcerie des Monts: a meeting with the network on")
    assert "2:30" in message["Subject"]  # the reader's time zone, not UTC


def test_the_digest_lists_the_tasks_due_and_the_meetings_coming(
    app, coordinator, holder, make_project
):
    project = make_project("Ressourcerie des Monts", holders=[holder])
    today = dt.date(2031, 6, 1)
    tasks.create_task(
        project.id,
        tasks.TaskInput("Envoyer les statuts", "holders", due_on=dt.date(2031, 6, 4)),
        user_id=coordinator.id,
    )
    meetings.record_exchange(
        project.id,
        meetings.ExchangeInput(dt.datetime(2031, 6, 5, 8, 0), "site_visit", 60),
        user_id=coordinator.id,
    )
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        lines = [(c.day, c.text) for c in coming_for(holder, today, today + dt.timedelta(days=7))]
    assert lines[0] == (
        dt.date(2031, 6, 4),
        "Task due: Envoyer les statuts (Ressourcerie des Monts)",
    )
    assert lines[1][0] == dt.date(2031, 6, 5)
    assert lines[1][1].startswith("Meeting with Ressourcerie des Monts at")


def test_a_task_due_soon_is_mailed_once_the_day_it_enters_the_window(
    app, runner, mailbox, coordinator, make_user, make_project
):
    from accompagnement.activities.services import today

    hugh = make_user("holder", name="Hugh", email="hugh@example.org")
    hugh.locale = "en"
    project = make_project("Ressourcerie des Monts", holders=[hugh])
    soon = today() + dt.timedelta(days=app.config["TASK_DUE_SOON_DAYS"])
    later = soon + dt.timedelta(days=10)
    for title, due in (("Envoyer les statuts", soon), ("Trouver un local", later)):
        tasks.create_task(project.id, tasks.TaskInput(title, "holders", due_on=due),
                          user_id=coordinator.id)  # fmt: skip
    db.session.commit()
    given = len(mailbox.messages)  # the two "a task for you" e-mails

    assert runner.invoke(args=["notify"]).exit_code == 0
    assert runner.invoke(args=["notify"]).exit_code == 0  # twice the same day: told once
    new = mailbox.messages[given:]
    assert [m["Subject"] for m in new] == [
        f"Ressourcerie des Monts: «Envoyer les statuts» is due on {soon:%B} {soon.day}, {soon.year}"
    ]
