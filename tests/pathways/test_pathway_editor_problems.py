"""Every broken definition of the file tests is refused by the editor with the same sentence,
shown on the page of the element in error, and the draft is kept but not published."""

from __future__ import annotations

import copy
import html
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from accompagnement.extensions import db
from accompagnement.pathways import services
from accompagnement.pathways.display import trail
from accompagnement.pathways.document import dotted
from accompagnement.pathways.models import WorkflowDraft

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from definition_cases import MEANING_CASES, STRUCTURE_CASES  # noqa: E402
from engine_helpers import MINIMAL  # noqa: E402

Data = dict[str, Any]


def page_of(document: Data, path: str, draft_id: int) -> str:
    """Return the editor's address of the element a problem path is about."""
    steps = trail(document, dotted(path))
    if not steps:
        return f"/pathways/{draft_id}"
    where, index, _title = steps[-1]
    return f"/pathways/{draft_id}/{where}/{index}"


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in STRUCTURE_CASES + MEANING_CASES],
)
def test_the_editor_refuses_a_broken_definition_with_the_files_sentence(
    editor: FlaskClient, coordinator: Any, change: Callable[[Data], None], path: str, message: str
) -> None:
    document = copy.deepcopy(MINIMAL)
    change(document)
    draft = services.start_draft(None, name="mini", label="Mini", user_id=coordinator.id)
    draft.definition = document
    db.session.commit()
    draft_id = draft.id

    overview = html.unescape(editor.get(f"/pathways/{draft_id}").get_data(as_text=True))
    assert message in overview
    assert f"<code>{dotted(path)}</code>" in overview
    element = editor.get(page_of(document, path, draft_id))
    assert element.status_code == 200
    assert message in html.unescape(element.get_data(as_text=True))

    refused = editor.post(f"/pathways/{draft_id}/publish", follow_redirects=True)
    assert "correct them before publishing" in html.unescape(refused.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(WorkflowDraft, draft_id) is not None
