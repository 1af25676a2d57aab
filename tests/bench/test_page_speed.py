"""Benchmarks (`make bench`): main pages on a network ten times the demo's size.

Not part of `make test`: speed is measured here, never asserted by timed tests. Query counts are
printed with the timings so that an N+1 shows up as a number.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.projects.models import Comment, Project, TransitionRecord

pytestmark = pytest.mark.bench

PATH = ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverture", "ouverte")
PROJECTS = 300


@pytest.fixture
def network(make_user, coordinator) -> dict[str, Any]:
    """300 projects spread over the pathway, with their history and comments."""
    rng = random.Random(19)
    holders = [make_user("holder") for _ in range(30)]
    communes = ["87085", "19272", "19031", "23096", "23008", "87154", "87011"]
    for number in range(PROJECTS):
        steps = rng.randrange(1, len(PATH) + 1)
        start = utcnow() - timedelta(days=rng.randrange(100, 1500))
        project = Project(
            name=f"Projet {number}",
            workflow_name="creation-ressourcerie",
            workflow_version=1,
            state=PATH[steps - 1],
            commune_insee=rng.choice(communes),
            created_at=start,
            state_changed_at=start + timedelta(days=60 * steps),
            holders=[rng.choice(holders)],
        )
        db.session.add(project)
        db.session.flush()
        previous = None
        for index, stage in enumerate(PATH[:steps]):
            db.session.add(
                TransitionRecord(
                    project_id=project.id,
                    workflow_version=1,
                    trigger="create" if previous is None else "advance",
                    from_state=previous,
                    to_state=stage,
                    user_id=coordinator.id,
                    at=start + timedelta(days=60 * index),
                )
            )
            previous = stage
        db.session.add(Comment(project_id=project.id, author_id=coordinator.id, body="Suivi"))
    db.session.commit()
    from accompagnement.workflows.services import latest_workflow, snapshot

    snapshot(latest_workflow("creation-ressourcerie"))
    db.session.commit()
    return {"coordinator": coordinator, "project": project.id}


@pytest.fixture
def queries() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


@pytest.mark.parametrize(
    "path",
    [
        "/projects/",
        "/partners/",
        "/projects/{project}",
        "/reports/?from=2024-01-01&to=2026-12-31",
        "/observatory/",
        "/activities/",
    ],
)
def test_page(benchmark, client, auth, network, queries, path):
    auth.login(network["coordinator"])
    url = path.format(project=network["project"])

    def load() -> int:
        queries.clear()
        response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    statements = benchmark(load)
    benchmark.extra_info["sql_queries"] = statements
    print(f"\n{url}: {statements} SQL queries with {PROJECTS} projects")
