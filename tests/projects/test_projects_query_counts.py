"""Pages run a constant number of SQL queries, whatever the number of rows they show."""

from __future__ import annotations

import io
from typing import Any

from accompagnement.extensions import db
from accompagnement.projects import services


def test_the_board_runs_as_many_queries_for_30_projects_as_for_3(
    client, auth, coordinator, make_project, make_user, count_queries
):
    def board_queries() -> int:
        client.get("/projects/")  # warm up
        with count_queries() as counter:
            assert client.get("/projects/?status=active").status_code == 200
        return counter.count

    communes = ["87085", "23096", "19272"]
    for i in range(3):
        make_project(f"Projet {i}", holders=[make_user("holder")], commune=communes[i % 3])
    auth.login(coordinator)
    with_3 = board_queries()
    for i in range(3, 30):
        make_project(f"Projet {i}", holders=[make_user("holder")], commune=communes[i % 3])
    assert board_queries() == with_3


def grow(project: Any, n: int, coordinator: Any, holder: Any) -> None:
    """Give a project n comments, documents, form saves and transitions, by two people."""
    for i in range(n):
        person = (coordinator, holder)[i % 2]
        services.add_comment(project.id, f"Commentaire {i}", user_id=person.id)
        services.add_document(project.id, f"note-{i}.txt", io.BytesIO(b"note"), user_id=person.id)
        revision = services._current_revision(project.id, "premier_contact")
        services.save_form(
            project.id,
            "premier_contact",
            {"project_name": f"Nom {i}"},
            user_id=person.id,
            submit=False,
            base_revision=revision,
        )
        trigger = "pause" if i % 2 == 0 else "resume"
        services.fire_transition(project.id, trigger, user_id=person.id)
        db.session.commit()


def test_the_project_page_runs_as_many_queries_for_20_rows_as_for_2(
    client, auth, coordinator, holder, make_project, count_queries
):
    small = make_project("Petit historique", holders=[holder])
    large = make_project("Long historique", holders=[holder])
    grow(small, 2, coordinator, holder)
    grow(large, 20, coordinator, holder)
    services.set_checklist_item(
        small.id, "premier_contact", "welcome_interview", done=True, user_id=coordinator.id
    )
    services.set_checklist_item(
        large.id, "premier_contact", "welcome_interview", done=True, user_id=coordinator.id
    )
    db.session.commit()
    auth.login(coordinator)

    def page_queries(project: Any, page: str = "") -> int:
        client.get(f"/projects/{project.id}{page}")  # warm up
        with count_queries() as counter:
            assert client.get(f"/projects/{project.id}{page}").status_code == 200
        return counter.count

    assert page_queries(small) == page_queries(large)
    assert page_queries(small, "/summary") == page_queries(large, "/summary")
    assert page_queries(small, "/forms/premier_contact") == page_queries(
        large, "/forms/premier_contact"
    )
