"""The coordinator's late and idle lists are the top of the reminders' lists, cut and counted by
the database with the same rules."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.main import queries
from accompagnement.projects import services
from accompagnement.projects.models import Comment, Project
from accompagnement.reminders import queries as reminders

STATES = ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverte", "en_pause")


def scattered(make_project: Any, coordinator: Any, count: int) -> None:
    """Projects in random stages, entered and last touched at random times."""
    rng = random.Random(4)
    now = utcnow()
    for number in range(count):
        created = now - timedelta(days=rng.randrange(0, 700), hours=rng.random())
        project = make_project(f"Projet {number:02d}", holders=[], at=created)
        row = db.session.get(Project, project.id)
        row.state = rng.choice(STATES)
        row.state_changed_at = created + (now - created) * rng.random()
        db.session.commit()
        if rng.random() < 0.3:
            services.add_comment(project.id, "Des nouvelles", user_id=coordinator.id)
            db.session.flush()
            comment = db.session.query(Comment).order_by(Comment.id.desc()).first()
            comment.created_at = now - timedelta(days=rng.randrange(0, 120))
            db.session.commit()


def test_the_late_list_is_the_top_of_the_reminders_list(make_project, coordinator):
    scattered(make_project, coordinator, 40)
    now = utcnow()

    home = queries.overdue_projects(now)
    everything = reminders.overdue_projects(now)

    assert home.total == len(everything) > queries.LIMIT
    assert [p.project_id for p in home.items] == [p.project_id for p in everything[:5]]
    assert [(p.days_in_stage, p.usual_days) for p in home.items] == [
        (p.days_in_stage, p.usual_days) for p in everything[:5]
    ]


def test_the_idle_list_is_the_top_of_the_reminders_list(make_project, coordinator, app):
    scattered(make_project, coordinator, 40)
    now = utcnow()
    days = app.config["STALE_PROJECT_DAYS"]

    home = queries.stale_projects(days, now)
    everything = reminders.stale_projects(days, now)

    assert home.total == len(everything) > queries.LIMIT
    assert [(p.project_id, p.idle_days) for p in home.items] == [
        (p.project_id, p.idle_days) for p in everything[:5]
    ]


def test_the_late_list_links_to_the_list_of_late_projects(make_project, coordinator, client, auth):
    scattered(make_project, coordinator, 40)
    auth.login(coordinator)

    page = client.get("/").get_data(as_text=True)

    late = page[page.index('id="late"') : page.index('id="stale"')]
    assert late.count("<li>") == queries.LIMIT
    assert 'href="/projects/list?status=active&amp;late=1"' in late
    listed = client.get("/projects/list?status=active&late=1").get_data(as_text=True)
    total = len(reminders.overdue_projects())
    assert f"of {total}" in listed
