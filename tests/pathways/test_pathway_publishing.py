"""Publishing a draft: only a valid one becomes a version; a version taken meanwhile is refused;
the editor's forms refuse a post without its CSRF token."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from accompagnement.extensions import db
from accompagnement.pathways import services
from accompagnement.pathways.models import WorkflowDraft
from accompagnement.workflows.services import latest_workflow
from tests.fixtures.accounts import login


def page_text(answer: Any) -> str:
    return html.unescape(answer.get_data(as_text=True))


def test_a_valid_draft_becomes_the_next_version_and_the_draft_goes(
    editor: FlaskClient, coordinator: Any
) -> None:
    before = latest_workflow("creation-ressourcerie").version
    draft = services.start_draft("creation-ressourcerie", name="", label="", user_id=coordinator.id)
    db.session.commit()
    editor.post(
        f"/pathways/{draft.id}/stages/0",
        data={"key": "premier_contact", "kind": "stage", "label_fr": "Accueil", "usual_days": "60"},
    )
    answer = editor.post(f"/pathways/{draft.id}/publish", follow_redirects=True)
    assert f"Version {before + 1} of creation-ressourcerie published." in page_text(answer)
    newest = latest_workflow("creation-ressourcerie")
    assert newest.version == before + 1
    assert newest.definition.stages[0].label.fr == "Accueil"
    assert newest.definition.stages[0].usual_days == 60
    db.session.expire_all()
    assert db.session.get(WorkflowDraft, draft.id) is None


def test_a_version_published_meanwhile_is_refused_and_the_draft_kept(
    editor: FlaskClient, coordinator: Any
) -> None:
    draft = services.start_draft("creation-ressourcerie", name="", label="", user_id=coordinator.id)
    other = services.start_draft("creation-ressourcerie", name="", label="", user_id=coordinator.id)
    db.session.commit()
    editor.post(f"/pathways/{other.id}/stages/1/move", data={"direction": "up"})
    assert editor.post(f"/pathways/{other.id}/publish").status_code == 302
    answer = editor.post(f"/pathways/{draft.id}/publish", follow_redirects=True)
    assert "is already published with another content" in page_text(answer)
    db.session.expire_all()
    assert db.session.get(WorkflowDraft, draft.id) is not None


def test_a_new_pathway_is_published_as_its_version_one(editor: FlaskClient) -> None:
    url = editor.post("/pathways/", data={"name": "emergence", "label": "Émergence"}).location
    for key, kind in (("idee", "stage"), ("fin", "final")):
        editor.post(
            f"{url}/stages/new",
            data={"new-stage-key": key, "new-stage-kind": kind, "new-stage-label_fr": key},
        )
    editor.post(
        f"{url}/transitions/new",
        data={
            "new-transition-trigger": "finish",
            "new-transition-label_fr": "Terminer",
            "new-transition-source": ["idee"],
            "new-transition-dest": "fin",
            "new-transition-roles": ["coordinator"],
        },
    )
    editor.post(f"{url}/settings", data={"label_fr": "Émergence", "initial": "idee"})
    answer = editor.post(f"{url}/publish", follow_redirects=True)
    assert "Version 1 of emergence published." in page_text(answer)
    assert latest_workflow("emergence").definition.stage_keys() == ["idee", "fin"]


def test_the_editor_refuses_a_post_without_its_csrf_token(
    other_app: Callable[..., Flask], coordinator: Any
) -> None:
    app = other_app(WTF_CSRF_ENABLED=True)
    draft = services.start_draft("creation-ressourcerie", name="", label="", user_id=coordinator.id)
    db.session.commit()
    stages = list(draft.definition["stages"])
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/auth/login").text)
    assert token is not None
    assert login(client, coordinator.email, csrf_token=token[1]).status_code == 302
    for url in (
        f"/pathways/{draft.id}/stages/new",
        f"/pathways/{draft.id}/stages/0/move",
        f"/pathways/{draft.id}/stages/0/remove",
        f"/pathways/{draft.id}/publish",
    ):
        assert client.post(url, data={"direction": "down"}).status_code == 400, url
    db.session.expire_all()
    kept = db.session.get(WorkflowDraft, draft.id)
    assert kept is not None and kept.definition["stages"] == stages


def test_the_draft_lists_its_changes_and_publishes_a_rewording_in_place(
    editor: FlaskClient, coordinator: Any
) -> None:
    base = latest_workflow("creation-ressourcerie")
    draft = services.start_draft("creation-ressourcerie", name="", label="", user_id=coordinator.id)
    db.session.commit()
    stage = dict(draft.definition["stages"][0])
    editor.post(
        f"/pathways/{draft.id}/stages/0",
        data={"key": stage["key"], "kind": "stage", "label_fr": "Accueil", "usual_days": "90"},
    )
    page = page_text(editor.get(f"/pathways/{draft.id}"))
    assert "(wording only)" in page and "structure: needs a new version" not in page
    answer = editor.post(f"/pathways/{draft.id}/publish-wording", follow_redirects=True)
    assert f"The wording of version {base.version} of creation-ressourcerie is updated" in (
        page_text(answer)
    )
    relabelled = latest_workflow("creation-ressourcerie")
    assert relabelled.version == base.version
    assert relabelled.definition.stages[0].label.fr == "Accueil"


def test_a_structural_change_is_said_and_not_published_in_place(
    editor: FlaskClient, coordinator: Any
) -> None:
    draft = services.start_draft("creation-ressourcerie", name="", label="", user_id=coordinator.id)
    db.session.commit()
    editor.post(f"/pathways/{draft.id}/stages/1/move", data={"direction": "up"})
    page = page_text(editor.get(f"/pathways/{draft.id}"))
    assert "structure: needs a new version" in page
    answer = editor.post(f"/pathways/{draft.id}/publish-wording", follow_redirects=True)
    assert "Only a draft that changes wording alone can be published in place." in page_text(answer)
