"""The personal iCalendar feed: one calendar gathered from sources, each giving components.

Tasks are the first source; another feature (meetings) adds its own with
`register_source(app, source)` from the factory, without touching this builder. A source takes
the person and the feed's options and returns icalendar components with stable UIDs.
Titles, dates and project names only: notes stay in the application (calendar providers keep
copies of what they fetch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from flask import Flask, current_app, url_for
from icalendar import Calendar, Component, Event, Todo

from accompagnement.auth.models import User
from accompagnement.tasks import queries
from accompagnement.tasks.models import Task

UID_DOMAIN = "tasks.accompagnement"
EXTENSION = "tasks.feed_sources"


@dataclass(frozen=True)
class FeedOptions:
    """How the feed is asked for: today's date, and tasks as to-dos or as all-day events."""

    today: dt.date
    stamp: dt.datetime
    todos: bool = False


FeedSource = Callable[[User, FeedOptions], Iterable[Component]]


def register_source(app: Flask, source: FeedSource) -> None:
    """Add a source of components to the personal feeds of this app."""
    app.extensions.setdefault(EXTENSION, [])
    if source not in app.extensions[EXTENSION]:
        app.extensions[EXTENSION].append(source)


def sources() -> list[FeedSource]:
    """Return the feed's sources: the tasks, then whatever was registered."""
    return [task_components, *current_app.extensions.get(EXTENSION, [])]


def build_feed(user: User, options: FeedOptions, *, name: str) -> bytes:
    """Return the person's iCalendar document, every source's components in it."""
    calendar = Calendar()
    calendar.add("prodid", "-//Accompagnement//Personal feed//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for source in sources():
        for component in source(user, options):
            calendar.add_component(component)
    return calendar.to_ical()


def task_uid(task: Task) -> str:
    """Return the UID of a task's entry: it never changes while the task exists."""
    return f"task-{task.id}@{UID_DOMAIN}"


def task_components(user: User, options: FeedOptions) -> Iterator[Component]:
    """Give the person's dated tasks, open ones and those done lately."""
    for task in queries.feed_tasks(user, options.today):
        yield _todo(task, options) if options.todos else _event(task, options)


def _common(component: Component, task: Task, options: FeedOptions) -> Component:
    component.add("uid", task_uid(task))
    component.add("dtstamp", options.stamp)
    component.add("summary", task.title)
    component.add("description", task.project.name)
    component.add("url", url_for("tasks.index", project=task.project_id, _external=True))
    modified = task.updated_at or task.created_at
    if modified:
        component.add("last-modified", modified.replace(tzinfo=dt.UTC))
    return component


def _todo(task: Task, options: FeedOptions) -> Component:
    todo = _common(Todo(), task, options)
    todo.add("due", task.due_on)
    todo.add("status", "COMPLETED" if task.done_at else "NEEDS-ACTION")
    if task.done_at:
        todo.add("completed", task.done_at.replace(tzinfo=dt.UTC))
    return todo


def _event(task: Task, options: FeedOptions) -> Component:
    event = _common(Event(), task, options)
    assert task.due_on is not None  # the feed's query keeps dated tasks only
    event.add("dtstart", task.due_on)
    event.add("dtend", task.due_on + dt.timedelta(days=1))  # all-day: DTEND is exclusive
    event.add("transp", "TRANSPARENT")
    return event
