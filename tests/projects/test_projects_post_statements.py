"""The two busiest POSTs of a project run few SQL statements: one service loads the project once.

Upper bounds, measured with the statement counter of conftest: a change that loads the project
again, checks the permission twice or adds a query per field fails here.
"""

from __future__ import annotations

from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.projects import services
from accompagnement.projects.models import FormSubmission, Project
from tests.fixtures.projects import first_contact

# 13 before networks (issue 13): the person's memberships are read once a request, and the
# network's départements now exist in every test; each request also lists the workflow versions
# of the database once (workflows.services.registry: a version published or relabelled by
# another worker is seen without a restart).
STAGE_FORM_POST_STATEMENTS = 16  # 20 when the view and the service both loaded the project
# 5 before the days in each state were kept (stage_entries, one upsert); 7 with the ticks in a
# query of their own, 8 when the view also checked visibility first
TRANSITION_POST_STATEMENTS = 8  # 6 before the memberships and the versions were read


def projects_reads(statements: list[str]) -> int:
    """Count the statements that read the projects table."""
    return sum(
        1 for s in statements if s.lstrip().upper().startswith("SELECT") and " projects" in s
    )


def test_saving_a_stage_form_runs_a_bounded_number_of_statements(
    client, auth, holder, project, count_queries
):
    auth.login(holder)
    url = f"/projects/{project.id}/forms/premier_contact/edit"
    client.get(url)  # warm up: workflow snapshot, session
    with count_queries() as counter:
        response = client.post(url, data=first_contact())
    assert response.status_code == 302
    saved = db.session.scalars(select(FormSubmission)).one()
    assert saved.data["project_name"] == "Ressourcerie des Monts"
    assert counter.count <= STAGE_FORM_POST_STATEMENTS
    assert projects_reads(counter.statements) <= 1


def test_firing_a_transition_runs_a_bounded_number_of_statements(
    client, auth, holder, project, count_queries
):
    auth.login(holder)
    client.get(f"/projects/{project.id}")  # warm up
    url = f"/projects/{project.id}/transition"
    data = {"trigger": "pause", "expected_state": "premier_contact", "reason": "Congés"}
    with count_queries() as counter:
        response = client.post(url, data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).state != "premier_contact"
    assert counter.count <= TRANSITION_POST_STATEMENTS
    assert projects_reads(counter.statements) <= 1


def test_the_service_alone_reads_the_project_once(holder, project, count_queries):
    project_id, holder_id = project.id, holder.id
    with count_queries() as counter:
        services.fire_transition(project_id, "pause", user_id=holder_id, reason="Congés")
    assert projects_reads(counter.statements) == 1


# The user, the person's network memberships (read once a request or command since networks:
# the visibility check needs them), the locked project, the guards' facts (forms and ticks
# together), the guarded UPDATE, the transition record and the days in each state (one upsert);
# 6 before networks, 8 with networks when the ticks were a query of their own.
FIRE_TRANSITION_STATEMENTS = 7


def test_firing_a_transition_reads_the_facts_in_one_statement(holder, project, count_queries):
    project_id, holder_id = project.id, holder.id
    db.session.expire_all()  # as after a commit: the user and the project are read again
    with count_queries() as counter:
        services.fire_transition(project_id, "pause", user_id=holder_id, reason="Congés")
    reads = [s for s in counter.statements if s.lstrip().upper().startswith("SELECT")]
    assert counter.count <= FIRE_TRANSITION_STATEMENTS, counter.statements
    assert sum(1 for s in reads if "form_submissions" in s or "checklist_ticks" in s) == 1
    assert len(counter.writes) == 3  # the guarded UPDATE, the transition record, stage entries
