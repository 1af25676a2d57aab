"""Bad input never gives a 500 (ASVS V2.2.1, checklist item 11), forged fields change nothing
(item 7), and a text longer than its limit is refused with a message, never truncated: the
project forms (stage forms of five stages, a new project, a comment), fuzzed with Hypothesis.

As a signed-in coordinator, and as the project's holder for two stages and the comment (CSRF
is off in the test app), Hypothesis posts arbitrary text, unicode, very long values, missing
fields, repeating-group buttons, stale revisions and extra forged fields (state, owner_id,
project_id, role...). Every answer is 2xx/3xx/4xx and escapes what it echoes; projects,
accounts and members are unchanged but for what the form is for; what a form saved is exactly
what was typed (trimmed). Bugs found: test_bad_input_regressions.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import event, given
from hypothesis import strategies as st
from security_fuzz import (
    FUZZ,
    REDIRECT,
    Cast,
    check_answer,
    column_length,
    created_id,
    dates,
    forged,
    guarded,
    has_error,
    holds_nul,
    ids,
    mixed,
    number_text,
    post_fuzzed,
    revision_text,
    text,
    typed,
    unchanged,
    words,
)
from security_suite import PAYLOAD

from accompagnement.extensions import db

STAGES = ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverture")
# The coordinator fills in any stage; the holder the stages reached (dla is not: 403).
WHO_AND_STAGE = [("coordinator", stage) for stage in STAGES] + [
    ("holder", "premier_contact"),
    ("holder", "dla"),
]
TEXT_TYPES = ("text", "long_text")


# --- Stage forms ---------------------------------------------------------------------------------


def _field_value(spec: Any, member_id: int) -> st.SearchStrategy[Any]:
    from accompagnement.engine.values import DEFAULT_MAX_LENGTH

    keys = [choice.key for choice in spec.choices or ()]
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "text": text(spec.max_length or DEFAULT_MAX_LENGTH["text"]),
        "long_text": text(spec.max_length or DEFAULT_MAX_LENGTH["long_text"]),
        "integer": st.one_of(st.integers(-(10**16), 10**16).map(str), text()),
        "decimal": number_text(),
        "money": number_text(),
        "date": dates(),
        "boolean": st.one_of(st.sampled_from(["y", "on", "oui", "n", ""]), text()),
        "commune": st.one_of(st.sampled_from(["87085", "2A004", "99999"]), text(6)),
        "member": st.one_of(st.just(str(member_id)), st.integers(1, 10**12).map(str), text(13)),
        "departement": st.one_of(st.sampled_from(["19", "23", "87", "2A", "33"]), text(4)),
        "organisation": st.one_of(
            st.sampled_from(["ADEME", "Fondation du coin"]),
            text(spec.max_length or DEFAULT_MAX_LENGTH["organisation"]),
        ),
    }
    if spec.type == "choice":
        return st.one_of(st.sampled_from(keys), text())
    if spec.type == "multi_choice":
        return st.lists(st.one_of(st.sampled_from(keys), text(10)), max_size=4)
    return strategies[spec.type]


def _fields_of(specs: Any, prefix: str, member_id: int) -> dict[str, st.SearchStrategy[Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for spec in specs or ():
        if spec.type == "group":
            continue
        fields[prefix + spec.key] = _field_value(spec, member_id)
        if spec.type == "commune":
            fields[f"{prefix}{spec.key}-code"] = st.one_of(st.just("87085"), text(12))
    return fields


def _text_limits(form: Any, posted: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """Map the posted name of every text input to (the id of its input, its length limit).

    The page renumbers a group's items 0..n-1 (an item posted with no field is dropped), so
    `visits-3-lessons` may come back as the input `f-visits-1-lessons`.
    """
    from accompagnement.engine.values import DEFAULT_MAX_LENGTH

    limits = {}
    for spec in form.fields:
        if spec.type in TEXT_TYPES and spec.key in posted:
            limits[spec.key] = (f"f-{spec.key}", spec.max_length or DEFAULT_MAX_LENGTH[spec.type])
        if spec.type != "group":
            continue
        pattern = re.compile(rf"{spec.key}-([0-9]{{1,3}})-(.*)", re.DOTALL)
        found = [(name, m) for name in posted if (m := pattern.fullmatch(name))]
        position = {old: new for new, old in enumerate(sorted({int(m[1]) for _n, m in found}))}
        for name, m in found:
            sub = spec.subfield(m[2])
            if sub is not None and sub.type in TEXT_TYPES:
                limit = sub.max_length or DEFAULT_MAX_LENGTH[sub.type]
                limits[name] = (f"f-{spec.key}-{position[int(m[1])]}-{sub.key}", limit)
    return limits


def _draw_stage_form(data: st.DataObject, form: Any, cast: Cast) -> dict[str, Any]:
    member_id = cast.people.member_org_id
    posted = data.draw(st.fixed_dictionaries({}, optional=_fields_of(form.fields, "", member_id)))
    for group in (spec for spec in form.fields if spec.type == "group"):
        for index in range(data.draw(st.integers(0, 3), label=f"items of {group.key}")):
            subs = _fields_of(group.fields, f"{group.key}-{index}-", member_id)
            posted.update(data.draw(st.fixed_dictionaries({}, optional=subs)))
        button = st.sampled_from(["", "", "", f"add:{group.key}", f"remove:{group.key}:0"])
        if pressed := data.draw(button, label="group button"):
            posted[pressed] = ""
    action = st.one_of(st.sampled_from(["draft", "draft", "submit"]), text(10))
    posted.update(data.draw(st.fixed_dictionaries({}, optional={"action": action})))
    posted.update(data.draw(forged(cast.people)))
    return posted


def _revision(project_id: int, stage: str) -> int:
    from accompagnement.projects.queries import latest_form

    db.session.remove()
    latest = latest_form(project_id, stage)
    return latest.revision if latest else 0


@pytest.mark.parametrize(("who", "stage"), WHO_AND_STAGE)
@FUZZ
@given(data=st.data())
def test_stage_form_survives_any_input(
    cast: Cast, who: str, stage: str, data: st.DataObject
) -> None:
    from accompagnement.projects.queries import latest_form
    from accompagnement.workflows.services import latest_workflow

    form = latest_workflow("creation-ressourcerie").stage(stage).form
    project_id = cast.people.project_id
    posted = _draw_stage_form(data, form, cast)
    current = _revision(project_id, stage)
    posted["base_revision"] = data.draw(revision_text(current), label="base_revision")
    before = guarded()

    client = cast.client_of(who)
    response = client.post(f"/projects/{project_id}/forms/{stage}/edit", data=posted)

    check_answer(client, response)
    event(f"answer {response.status_code}")
    assert unchanged(before, guarded()) == []
    if holds_nul(posted):
        assert response.status_code == 400  # refused at the door, before any form
        return
    if (who, stage) == ("holder", "dla"):
        assert response.status_code == 403  # a stage not reached yet: refused before reading
        return
    limits = _text_limits(form, posted)
    # An add/remove item button only shows the form again, saving and checking nothing.
    button = any(name.startswith(("add:", "remove:")) for name in posted)
    for name, (input_id, limit) in limits.items():
        if len(typed(posted[name])) > limit:
            assert response.status_code == (200 if button else 400), f"{name} too long"
            assert button or has_error(response, input_id), f"no message next to {name}"
    if response.status_code in REDIRECT:
        saved = latest_form(project_id, stage)
        assert saved is not None and saved.revision == current + 1
        assert (saved.project_id, saved.author_id) == (project_id, cast.people.of(who).id)
        _assert_texts_kept_whole(form, posted, saved.data, limits)


def _assert_texts_kept_whole(
    form: Any, posted: dict[str, Any], saved: dict[str, Any], limits: dict[str, Any]
) -> None:
    """Check every saved text is a typed one, whole (trimmed), never cut to fit."""
    for name in limits:
        if "-" not in name:  # a top-level text field
            assert saved.get(name) == (typed(posted[name]) or None), name
    typed_texts = {typed(posted[name]) for name in limits}
    for group in (spec for spec in form.fields if spec.type == "group"):
        texts = [sub.key for sub in group.fields or () if sub.type in TEXT_TYPES]
        for item in saved.get(group.key) or ():
            assert all(item[key] in typed_texts for key in texts if key in item), item


# --- New project ---------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_project_form_survives_any_input(cast: Cast, data: st.DataObject) -> None:
    from accompagnement.projects.models import Project, TransitionRecord
    from accompagnement.workflows.services import latest_workflow

    limit = column_length(Project, "name")
    holder_ids = ids(cast.people, "holder", "other_holder", "partner", "coordinator")
    valid = {
        "name": words(),
        "workflow": st.sampled_from(["creation-ressourcerie", "adhesion-reseau"]),
        "commune": st.sampled_from(["", "87085"]),
        "holders": st.lists(st.just(str(cast.people.holder.id)), max_size=1),
    }
    fields = {
        "name": text(limit),
        "workflow": text(80),
        "commune": st.one_of(st.just("99999"), text(6)),
        "holders": st.lists(holder_ids, max_size=3),
    }
    posted, response = post_fuzzed(data, cast, "/projects/new", valid, fields)
    if response is None:
        return
    if len((posted.get("name") or "").strip()) > limit:
        assert response.status_code == 400, "a name longer than its column not refused"
        assert has_error(response, "name"), "no message next to the name"
    if response.status_code in REDIRECT:
        project = db.session.get(Project, created_id(response, "/projects/"))
        assert project is not None
        workflow = latest_workflow(posted["workflow"])
        assert (project.state, project.return_state) == (workflow.initial, None)
        assert project.workflow_version == workflow.version
        assert project.name == posted["name"].strip()
        assert {h.id for h in project.holders} == {int(h) for h in posted.get("holders", [])}
        records = db.session.scalars(
            sa.select(TransitionRecord.trigger).where(TransitionRecord.project_id == project.id)
        ).all()
        assert records == ["create"]


# --- Comment -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "holder"])
@FUZZ
@given(data=st.data())
def test_comment_form_survives_any_input(cast: Cast, who: str, data: st.DataObject) -> None:
    from accompagnement.projects.models import Comment

    limit = column_length(Comment, "body") or 5000
    project_id = cast.people.project_id
    posted = data.draw(mixed({"body": words(500)}, {"body": text(limit)}))
    posted.update(data.draw(forged(cast.people, "body")))
    posted.setdefault("project_id", str(cast.other_project_id))
    before = guarded()
    newest = db.session.scalar(sa.select(sa.func.max(Comment.id))) or 0

    client = cast.client_of(who)
    response = client.post(f"/projects/{project_id}/comments", data=posted)

    check_answer(client, response)
    event(f"answer {response.status_code}")
    assert unchanged(before, guarded()) == []
    if holds_nul(posted):
        assert response.status_code == 400  # refused at the door, before any form
        return
    added = db.session.scalars(sa.select(Comment).where(Comment.id > newest)).all()
    if len((posted.get("body") or "").strip()) > limit:
        assert response.status_code == 400, "a comment longer than the limit not refused"
        assert has_error(response, "body"), "no message next to the comment"
    if response.status_code in REDIRECT:
        assert [(c.project_id, c.author_id) for c in added] == [
            (project_id, cast.people.of(who).id)
        ]
        assert added[0].body == posted["body"].strip()
    else:
        assert added == []


def test_the_checks_can_fail(cast: Cast) -> None:
    """The fuzzing's checks catch a forged change, a 500, an unescaped echo, a missing message."""
    from accompagnement.projects.services import fire_transition

    before = guarded()
    fire_transition(cast.people.project_id, "pause", user_id=cast.people.coordinator.id)
    db.session.commit()
    assert unchanged(before, guarded()) != []

    class Answer:
        def __init__(self, status: int, page: str) -> None:
            self.status_code, self.page, self.headers = status, page, {}

        def get_data(self, as_text: bool = False) -> str:
            return self.page

    for answer in (Answer(500, "<p>error</p>"), Answer(400, f"<p>{PAYLOAD}</p>")):
        with pytest.raises(AssertionError):
            check_answer(cast.client, answer)
    check_answer(cast.client, Answer(400, '<p class="error" id="body-error">Too long</p>'))
    assert has_error(Answer(400, '<p class="error" id="body-error">Too long</p>'), "body")
    assert not has_error(Answer(400, '<p class="error" id="name-error">Too long</p>'), "body")
