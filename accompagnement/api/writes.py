"""The API's writes: each through the same service as its web page, committed once (`@commits`)."""

from __future__ import annotations

from flask import Response

from accompagnement.access import Role
from accompagnement.api import schemas
from accompagnement.api.auth import caller, token
from accompagnement.api.views import PROJECTS, answer, bp, project_detail
from accompagnement.i18n import current_language
from accompagnement.network import queries as network_queries
from accompagnement.projects import services as project_services
from accompagnement.transaction import commits

PROJECT_WRITERS = (Role.COORDINATOR, Role.HOLDER)


@bp.post("/projects", tags=[PROJECTS], responses={201: schemas.ProjectDetail})
@token("write", Role.COORDINATOR)
@commits
def create_project(body: schemas.ProjectIn) -> Response:
    """Start a project on a pathway of the network, checked as the new project form checks it."""
    project = project_services.create_project(
        body.name,
        workflow_name=body.workflow or network_queries.default_pathway() or "",
        user_id=caller().id,
        holder_ids=body.holder_ids,
        commune_insee=body.commune,
    )
    return answer(project_detail(project.id), 201)


@bp.post(
    "/projects/<int:project_id>/transitions",
    tags=[PROJECTS],
    responses={201: schemas.ProjectDetail},
)
@token("write", *PROJECT_WRITERS)
@commits
def fire(path: schemas.ProjectPath, body: schemas.TransitionIn) -> Response:
    """Move a project through its workflow; refused for the same reasons as on its page."""
    project_services.fire_transition(
        path.project_id,
        body.trigger,
        user_id=caller().id,
        reason=body.reason,
        expected_state=body.expected_stage,
    )
    return answer(project_detail(path.project_id), 201)


@bp.put(
    "/projects/<int:project_id>/forms/<stage>",
    tags=[PROJECTS],
    responses={200: schemas.FormSaved},
)
@token("write", *PROJECT_WRITERS)
@commits
def save_form(path: schemas.FormPath, body: schemas.FormIn) -> Response:
    """Save a stage form as a draft, or submit it; refused field by field as on the web."""
    submission = project_services.save_form(
        path.project_id,
        path.stage,
        body.values,
        user_id=caller().id,
        submit=body.submit,
        base_revision=body.base_revision,
        locale=current_language(),
    )
    return answer(
        schemas.FormSaved(
            stage=submission.stage, revision=submission.revision, status=submission.status
        )
    )


@bp.put(
    "/projects/<int:project_id>/checklist/<stage>/<item>",
    tags=[PROJECTS],
    responses={200: schemas.Tick},
)
@token("write", Role.COORDINATOR)
@commits
def tick(path: schemas.ChecklistPath, body: schemas.TickIn) -> Response:
    """Tick or untick a checklist item of a stage (coordinators, as on the project page)."""
    project_services.set_checklist_item(
        path.project_id,
        path.stage,
        path.item,
        done=body.done,
        user_id=caller().id,
        note=body.note,
    )
    return answer(schemas.Tick(stage=path.stage, item=path.item, done=body.done))
