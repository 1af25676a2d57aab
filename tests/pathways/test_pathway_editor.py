"""The pathway editor without JavaScript: start a draft, change its lists, see its problems."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask.testing import FlaskClient

from accompagnement.extensions import db
from accompagnement.pathways import services
from accompagnement.pathways.models import WorkflowDraft
from accompagnement.workflows.services import latest_workflow


def draft_of(url: str) -> WorkflowDraft:
    """Return the draft behind an editor URL, read afresh."""
    db.session.expire_all()
    draft = db.session.get(WorkflowDraft, int(url.split("/pathways/")[1].split("/")[0]))
    assert draft is not None
    return draft


def stage_keys(url: str) -> list[str]:
    return [s["key"] for s in draft_of(url).definition["stages"]]


@pytest.fixture
def copied(editor: FlaskClient) -> str:
    """The URL of a draft copying the creation pathway."""
    answer = editor.post("/pathways/", data={"source": "creation-ressourcerie"})
    assert answer.status_code == 302
    return answer.location


def page_text(answer: Any) -> str:
    return html.unescape(answer.get_data(as_text=True))


def test_copying_a_pathway_numbers_the_draft_one_above_its_newest_version(
    editor: FlaskClient, copied: str
) -> None:
    newest = latest_workflow("creation-ressourcerie")
    draft = draft_of(copied)
    assert (draft.name, draft.base_version) == ("creation-ressourcerie", newest.version)
    assert draft.definition["version"] == newest.version + 1
    assert stage_keys(copied) == newest.definition.stage_keys()
    page = page_text(editor.get(copied))
    assert "The pathway has no problem: it can be published." in page
    assert 'role="img"' in page and '<title id="diagram-title">' in page


def test_a_new_pathway_needs_a_free_key_and_a_name(editor: FlaskClient) -> None:
    taken = editor.post("/pathways/", data={"name": "creation-ressourcerie", "label": "X"})
    assert taken.status_code == 400
    assert "A pathway or a draft already has this key." in page_text(taken)
    answer = editor.post("/pathways/", data={"name": "emergence", "label": "Émergence"})
    assert answer.status_code == 302
    draft = draft_of(answer.location)
    assert draft.definition["stages"] == []
    assert "expected at least 1 item(s)" in page_text(editor.get(answer.location))


def test_a_stage_added_after_the_dla_lands_between_it_and_the_study(
    editor: FlaskClient, copied: str
) -> None:
    after_dla = stage_keys(copied).index("dla") + 1
    answer = editor.post(
        f"{copied}/stages/new",
        data={
            "new-stage-position": str(after_dla),
            "new-stage-key": "recherche_local",
            "new-stage-kind": "stage",
            "new-stage-label_fr": "Recherche de local",
            "new-stage-label_en": "Finding premises",
            "new-stage-usual_days": "90",
        },
    )
    assert answer.status_code == 302
    assert answer.location.endswith(f"/stages/{after_dla}")
    keys = stage_keys(copied)
    assert keys[after_dla - 1 : after_dla + 2] == ["dla", "recherche_local", "etude_faisabilite"]
    stage = draft_of(copied).definition["stages"][after_dla]
    assert stage["label"] == {"fr": "Recherche de local", "en": "Finding premises"}
    assert stage["usual_days"] == 90
    # A new stage nobody reaches or leaves is saved, and said to be wrong where it is.
    page = page_text(editor.get(answer.location))
    assert "stage 'recherche_local' cannot be reached from the initial stage" in page


def test_editing_a_stage_keeps_what_the_editor_does_not_show(
    editor: FlaskClient, copied: str
) -> None:
    before = draft_of(copied).definition["stages"][0]
    answer = editor.post(
        f"{copied}/stages/0",
        data={"key": "premier_contact", "kind": "stage", "label_fr": "Accueil", "usual_days": ""},
    )
    assert answer.status_code == 302
    after = draft_of(copied).definition["stages"][0]
    assert after["label"] == {"fr": "Accueil"}
    assert "usual_days" not in after and "description" not in after
    assert after["form"] == before["form"] and after["checklist"] == before["checklist"]


def test_moving_a_stage_up_and_down(editor: FlaskClient, copied: str) -> None:
    keys = stage_keys(copied)
    editor.post(f"{copied}/stages/1/move", data={"direction": "up"})
    assert stage_keys(copied)[:2] == [keys[1], keys[0]]
    editor.post(f"{copied}/stages/0/move", data={"direction": "down"})
    assert stage_keys(copied) == keys
    editor.post(f"{copied}/stages/0/move", data={"to": "2"})  # as the script drags it
    assert stage_keys(copied)[:3] == [keys[1], keys[2], keys[0]]


def test_removing_asks_first_then_removes(editor: FlaskClient, copied: str) -> None:
    keys = stage_keys(copied)
    confirm = editor.get(f"{copied}/stages/1/remove")
    assert confirm.status_code == 200
    assert "Remove «Visits of ressourceries»?" in page_text(confirm)
    assert stage_keys(copied) == keys
    assert editor.post(f"{copied}/stages/1/remove").status_code == 302
    assert stage_keys(copied) == [k for k in keys if k != "visites"]
    # The transitions still naming the stage are now problems of the draft.
    assert "unknown stage 'visites'" in page_text(editor.get(copied))


def test_fields_of_every_kind_with_choices_groups_bounds_and_help(
    editor: FlaskClient, copied: str
) -> None:
    base = f"{copied}/stages.0.form.fields"
    count = len(draft_of(copied).definition["stages"][0]["form"]["fields"])
    editor.post(
        f"{base}/new",
        data={
            "new-field-key": "surface",
            "new-field-type": "decimal",
            "new-field-label_fr": "Surface",
            "new-field-help_fr": "Surface totale",
            "new-field-required": "y",
            "new-field-min": "0",
            "new-field-max": "2500,5",
            "new-field-unit_fr": "m²",
        },
    )
    editor.post(
        f"{base}/new",
        data={
            "new-field-key": "statut",
            "new-field-type": "choice",
            "new-field-label_fr": "Statut",
        },
    )
    editor.post(
        f"{base}.{count + 1}.choices/new",
        data={"new-choice-key": "loue", "new-choice-label_fr": "Loué"},
    )
    editor.post(
        f"{base}/new",
        data={"new-field-key": "lots", "new-field-type": "group", "new-field-label_fr": "Lots"},
    )
    editor.post(
        f"{base}.{count + 2}.fields/new",
        data={
            "new-subfield-key": "nom",
            "new-subfield-type": "text",
            "new-subfield-label_fr": "Nom",
        },
    )
    fields = draft_of(copied).definition["stages"][0]["form"]["fields"][count:]
    assert fields[0] == {
        "key": "surface",
        "type": "decimal",
        "label": {"fr": "Surface"},
        "help": {"fr": "Surface totale"},
        "unit": {"fr": "m²"},
        "required": True,
        "min": 0,
        "max": 2500.5,
    }
    assert fields[1]["choices"] == [{"key": "loue", "label": {"fr": "Loué"}}]
    assert fields[2]["fields"] == [{"key": "nom", "type": "text", "label": {"fr": "Nom"}}]
    assert "no problem" in page_text(editor.get(copied))
    preview = page_text(editor.get(f"{copied}/stages/0"))
    assert 'id="f-surface"' in preview and "Surface (m²)" in preview


def test_a_checklist_item_a_task_and_a_transition_with_a_checklist_guard(
    editor: FlaskClient, copied: str
) -> None:
    editor.post(
        f"{copied}/stages.1.checklist/new",
        data={
            "new-item-key": "local_visite",
            "new-item-label_fr": "Local visité",
            "new-item-required": "y",
        },
    )
    editor.post(
        f"{copied}/stages.1.tasks/new",
        data={
            "new-task-key": "appeler",
            "new-task-title_fr": "Appeler",
            "new-task-assignee": "coordinator",
            "new-task-due_days": "7",
        },
    )
    editor.post(
        f"{copied}/transitions/new",
        data={
            "new-transition-trigger": "jump",
            "new-transition-label_fr": "Sauter",
            "new-transition-source": ["visites"],
            "new-transition-dest": "etude_faisabilite",
            "new-transition-roles": ["coordinator"],
            "new-transition-reason": "required",
        },
    )
    count = len(draft_of(copied).definition["transitions"])
    editor.post(
        f"{copied}/transitions.{count - 1}.guards/new",
        data={"new-guard-name": "checklist_complete"},
    )
    definition = draft_of(copied).definition
    stage = definition["stages"][1]
    assert stage["checklist"][-1] == {"key": "local_visite", "label": {"fr": "Local visité"}}
    assert stage["tasks"][-1] == {
        "key": "appeler",
        "title": {"fr": "Appeler"},
        "assignee": "coordinator",
        "due_days": 7,
    }
    assert definition["transitions"][-1] == {
        "trigger": "jump",
        "label": {"fr": "Sauter"},
        "source": "visites",
        "dest": "etude_faisabilite",
        "roles": ["coordinator"],
        "reason": "required",
        "guards": [{"checklist_complete": {}}],
    }
    assert "no problem" in page_text(editor.get(copied))


def test_a_problem_is_shown_next_to_its_input(editor: FlaskClient, copied: str) -> None:
    editor.post(f"{copied}/stages/1", data={"key": "Visites", "kind": "stage", "label_fr": "V"})
    page = editor.get(f"{copied}/stages/1").get_data(as_text=True)
    assert 'aria-describedby="key-help key-error"' in page
    error = page.split('id="key-error">')[1].split("</p>")[0]
    assert "invalid value" in html.unescape(error)


def test_an_invalid_draft_is_saved_but_not_published(editor: FlaskClient, copied: str) -> None:
    editor.post(f"{copied}/stages/0", data={"key": "premier_contact", "kind": "nope"})
    assert draft_of(copied).definition["stages"][0]["kind"] == "nope"
    answer = editor.post(f"{copied}/publish", follow_redirects=True)
    assert "correct them before publishing" in page_text(answer)
    assert draft_of(copied) is not None


def test_markup_planted_in_labels_comes_out_escaped(editor: FlaskClient, copied: str) -> None:
    planted = '<script>alert("x")</script>'
    editor.post(
        f"{copied}/stages/0",
        data={"key": "premier_contact", "kind": "stage", "label_fr": planted},
    )
    editor.post(
        f"{copied}/stages.0.form.fields/0",
        data={"key": "project_name", "type": "text", "label_fr": planted, "help_fr": planted},
    )
    for url in (copied, f"{copied}/stages/0", f"{copied}/stages.0.form.fields/0"):
        page = editor.get(url).get_data(as_text=True)
        assert planted not in page
        assert "&lt;script&gt;" in page


def test_an_unknown_place_is_not_found(editor: FlaskClient, copied: str) -> None:
    assert editor.get(f"{copied}/stages/99").status_code == 404
    assert editor.get(f"{copied}/nowhere/0").status_code == 404
    assert editor.post(f"{copied}/stages.99.checklist/new", data={}).status_code == 404
    assert editor.get("/pathways/999999").status_code == 404


def test_a_draft_can_be_thrown_away(editor: FlaskClient, copied: str) -> None:
    assert editor.get(f"{copied}/delete").status_code == 200
    assert editor.post(f"{copied}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.query(WorkflowDraft).count() == 0


@pytest.mark.parametrize("role", ["holder", "partner", "member"])
def test_only_coordinators_open_the_editor(
    client: FlaskClient, make_user: Any, coordinator: Any, role: str
) -> None:
    from tests.fixtures.accounts import login

    draft = services.start_draft("creation-ressourcerie", name="", label="", user_id=coordinator.id)
    db.session.commit()
    login(client, make_user(role).email)
    base = f"/pathways/{draft.id}"
    for url in ("/pathways/", base, f"{base}/stages/0", f"{base}/stages/0/remove"):
        assert client.get(url).status_code == 403, url
    for url in (f"{base}/stages/new", f"{base}/stages/0", f"{base}/publish", f"{base}/delete"):
        assert client.post(url, data={}).status_code == 403, url
    assert len(draft_of(base).definition["stages"]) > 0
