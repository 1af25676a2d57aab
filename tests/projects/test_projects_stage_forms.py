"""Stage forms built from the workflow: save a draft, submit, errors next to their inputs,
repeating groups without JavaScript, and no silent overwrite between two editors."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.projects.models import FormSubmission, Project
from tests.fixtures.projects import first_contact


def revisions(project: Any, stage: str) -> list[FormSubmission]:
    return list(
        db.session.scalars(
            select(FormSubmission)
            .where(FormSubmission.project_id == project.id, FormSubmission.stage == stage)
            .order_by(FormSubmission.revision)
        )
    )


def edit_url(project: Any, stage: str) -> str:
    return f"/projects/{project.id}/forms/{stage}/edit"


def error_of(html: str, input_id: str) -> str:
    """Return the error text tied to an input, checking the input points at it."""
    match = re.search(rf'<p class="error" id="{re.escape(input_id)}-error">([^<]*)</p>', html)
    assert match, f"no error next to {input_id}"
    tag = re.search(rf'<(input|select|textarea)[^>]*id="{re.escape(input_id)}"[^>]*>', html)
    assert tag and f"{input_id}-error" in tag.group(0), f"{input_id} not tied to its error"
    assert 'aria-invalid="true"' in tag.group(0)
    return match.group(1)


def test_the_edit_page_has_one_input_per_field_of_the_definition(client, auth, holder, project):
    auth.login(holder)
    html = client.get(edit_url(project, "premier_contact")).get_data(as_text=True)
    for name in ("project_name", "holder_type", "motivations", "population", "communes-0-insee"):
        assert f'name="{name}"' in html
    assert '<label for="f-project_name">Project name' in html
    assert 'data-commune-search="/territory/communes"' in html  # typed, with suggestions
    assert 'name="base_revision" value="0"' in html
    assert 'name="action" value="draft"' in html and 'name="action" value="submit"' in html


def test_a_holder_saves_a_draft_then_submits(client, auth, holder, project):
    auth.login(holder)
    response = client.post(edit_url(project, "premier_contact"), data=first_contact())
    assert response.status_code == 302
    (draft,) = revisions(project, "premier_contact")
    assert draft.status == "draft"
    assert draft.author_id == holder.id
    assert draft.data["population"] == 12500
    assert draft.data["communes"] == [{"insee": "87085", "name": "Limoges"}]

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The draft was saved." in page

    data = first_contact(base_revision="1", action="submit")
    assert client.post(edit_url(project, "premier_contact"), data=data).status_code == 302
    assert [r.status for r in revisions(project, "premier_contact")] == ["draft", "submitted"]


def test_the_edit_page_shows_the_saved_values(client, auth, holder, project, save):
    save(project, "premier_contact", {"project_name": "Les Monts", "population": 9800}, holder)
    auth.login(holder)
    html = client.get(edit_url(project, "premier_contact")).get_data(as_text=True)
    assert 'value="Les Monts"' in html
    assert 'value="9800"' in html
    assert 'name="base_revision" value="1"' in html


def test_decimals_accept_a_french_comma(client, auth, coordinator, project):
    auth.login(coordinator)
    data = {
        "base_revision": "0",
        "operator": "France Active Limousin",
        "days": "2,5",
        "cost": "1 500,50",
        "themes": ["finances", "strategie"],
        "action": "submit",
    }
    assert client.post(edit_url(project, "dla"), data=data).status_code == 302
    (saved,) = revisions(project, "dla")
    assert saved.data["days"] == "2.5"
    assert saved.data["cost"] == "1500.5"
    assert saved.data["themes"] == ["strategie", "finances"]
    html = client.get(edit_url(project, "dla")).get_data(as_text=True)
    assert 'value="2.5"' in html  # English page: a dot
    assert 'value="finances" checked' in html


def test_errors_come_back_next_to_their_inputs_and_keep_the_input(client, auth, holder, project):
    auth.login(holder)
    data = first_contact(project_name="", population="beaucoup", action="submit")
    response = client.post(edit_url(project, "premier_contact"), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_of(html, "f-project_name") == "This field is required."
    assert error_of(html, "f-population") == "A whole number is expected."
    assert 'value="beaucoup"' in html
    assert 'value="Limoges"' in html
    assert revisions(project, "premier_contact") == []


def test_a_draft_may_leave_required_fields_empty(client, auth, holder, project):
    auth.login(holder)
    data = first_contact(project_name="", holder_type="")
    assert client.post(edit_url(project, "premier_contact"), data=data).status_code == 302
    assert revisions(project, "premier_contact")[0].status == "draft"


def test_errors_inside_a_group_point_at_the_right_item(
    client, auth, holder, project, members, move_to
):
    move_to(project, "visites")
    auth.login(holder)
    data = {
        "base_revision": "0",
        "visits-0-member": str(members[0].id),
        "visits-0-date": "2026-03-12",
        "visits-0-kind": "visite",
        "visits-1-member": "999999",
        "visits-1-date": "31/02/2026",
        "visits-1-kind": "immersion",
        "action": "submit",
    }
    response = client.post(edit_url(project, "visites"), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "expected" in error_of(html, "f-visits-1-date")
    assert error_of(html, "f-visits-1-member") == "Unknown member ressourcerie"
    assert 'id="f-visits-0-date-error"' not in html


def test_errors_are_worded_in_the_users_language(client, auth, holder, project):
    holder.locale = "fr"
    db.session.commit()
    auth.login(holder)
    data = first_contact(project_name="", action="submit")
    html = client.post(edit_url(project, "premier_contact"), data=data).get_data(as_text=True)
    assert error_of(html, "f-project_name") == "Ce champ est obligatoire."


def test_adding_a_group_item_without_javascript_keeps_the_input_and_saves_nothing(
    client, auth, holder, project
):
    auth.login(holder)
    data = first_contact(**{"add:communes": "1"})
    data["communes-0-name"] = "Limoges (typed)"
    response = client.post(edit_url(project, "premier_contact"), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Limoges (typed)"' in html
    assert 'name="communes-1-name"' in html
    assert re.search(r'<input [^>]*autofocus [^>]*id="f-communes-1-insee"', html)
    assert 'value="Ressourcerie des Monts"' in html
    assert revisions(project, "premier_contact") == []


def test_removing_a_group_item_renumbers_the_others(client, auth, holder, project):
    auth.login(holder)
    data = first_contact(**{"remove:communes:1": "1"})
    data.update(
        {
            "communes-1-insee": "23096",
            "communes-1-name": "Guéret",
            "communes-2-insee": "19272",
            "communes-2-name": "Tulle",
        }
    )
    html = client.post(edit_url(project, "premier_contact"), data=data).get_data(as_text=True)
    assert "Guéret" not in re.sub(r"<select.*?</select>", "", html, flags=re.DOTALL)
    assert 'name="communes-1-name" type="text" value="Tulle"' in html
    assert 'name="communes-2-name"' not in html
    assert revisions(project, "premier_contact") == []

    data = {k: v for k, v in data.items() if not k.startswith(("communes-", "remove:"))}
    data.update({"communes-0-insee": "87085", "communes-1-insee": "19272", "action": "submit"})
    assert client.post(edit_url(project, "premier_contact"), data=data).status_code == 302
    saved = revisions(project, "premier_contact")[0].data["communes"]
    assert [c["insee"] for c in saved] == ["87085", "19272"]


def test_a_commune_is_typed_by_code_or_name_and_shown_by_name(client, auth, holder, project):
    auth.login(holder)
    data = first_contact(
        **{"communes-0-insee": "2a004", "communes-1-insee": "felletin", "communes-1-name": "F"}
    )
    assert client.post(edit_url(project, "premier_contact"), data=data).status_code == 302
    saved = revisions(project, "premier_contact")[0].data["communes"]
    assert [c["insee"] for c in saved] == ["2A004", "23079"]
    html = client.get(edit_url(project, "premier_contact")).get_data(as_text=True)
    assert 'name="communes-0-insee" placeholder' in html
    assert 'value="Ajaccio (2A004)"' in html
    assert "Ajaccio (2A004) · CA du Pays Ajaccien · 2A Corse-du-Sud" in html  # derived, not typed


def test_an_ambiguous_commune_lists_candidates(client, auth, holder, project):
    auth.login(holder)
    data = first_contact(**{"communes-0-insee": "st priest"})
    html = client.post(edit_url(project, "premier_contact"), data=data).get_data(as_text=True)
    assert "Several communes match: Saint-Priest (69290), Saint-Priest (07288)" in html
    assert revisions(project, "premier_contact") == []


def test_forged_fields_are_ignored(client, auth, holder, project, other_holder):
    other = db.session.scalars(select(Project).where(Project.name == "Projet voisin")).one()
    auth.login(holder)
    data = first_contact(state="ouverte", owner_id=str(other_holder.id), project_id=str(other.id))
    data["author_id"] = str(other_holder.id)
    assert client.post(edit_url(project, "premier_contact"), data=data).status_code == 302
    (saved,) = revisions(project, "premier_contact")
    assert saved.author_id == holder.id
    assert not {"state", "owner_id", "project_id", "author_id"} & set(saved.data)
    assert db.session.get(Project, project.id).state == "premier_contact"
    assert revisions(other, "premier_contact") == []


def test_a_holder_cannot_fill_a_stage_that_is_not_open_yet(client, auth, holder, project):
    auth.login(holder)
    assert client.get(edit_url(project, "dla")).status_code == 403
    assert client.post(edit_url(project, "dla"), data={"operator": "X"}).status_code == 403


def test_a_second_editor_gets_a_conflict_never_a_silent_overwrite(
    client, auth, app, coordinator, holder, project
):
    # Both open the form at revision 0; the holder saves first.
    auth.login(holder)
    client.post(edit_url(project, "premier_contact"), data=first_contact(project_name="Version A"))
    auth.logout()

    auth.login(coordinator)
    stale = first_contact(project_name="Version B", base_revision="0")
    response = client.post(edit_url(project, "premier_contact"), data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this form meanwhile" in html
    assert "Hélène Porteuse saved this form on" in html
    assert f'href="/projects/{project.id}/forms/premier_contact?revision=1"' in html
    assert 'value="Version B"' in html  # the second editor's input is kept
    assert 'name="base_revision" value="1"' in html
    assert [r.data["project_name"] for r in revisions(project, "premier_contact")] == ["Version A"]

    # Having seen the conflict, saving again (now based on revision 1) replaces it knowingly.
    again = first_contact(project_name="Version B", base_revision="1")
    assert client.post(edit_url(project, "premier_contact"), data=again).status_code == 302
    names = [r.data["project_name"] for r in revisions(project, "premier_contact")]
    assert names == ["Version A", "Version B"]


def test_a_saved_revision_can_be_read_and_older_ones_listed(client, auth, holder, project, save):
    save(project, "premier_contact", {"project_name": "Premier nom"}, holder, submit=False)
    save(project, "premier_contact", {"project_name": "Second nom"}, holder)
    auth.login(holder)
    url = f"/projects/{project.id}/forms/premier_contact"
    newest = client.get(url).get_data(as_text=True)
    assert "Second nom" in newest and "Revision 2" in newest
    older = client.get(url + "?revision=1").get_data(as_text=True)
    assert "Premier nom" in older and "This is an older revision." in older
    assert client.get(url + "?revision=9").status_code == 404


def test_stored_text_is_escaped(client, auth, holder, project, save):
    save(project, "premier_contact", {"project_name": "<script>alert(1)</script>"}, holder)
    auth.login(holder)
    for url in (f"/projects/{project.id}", edit_url(project, "premier_contact")):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)" in html


def test_a_group_wide_error_is_shown_on_the_group(client, auth, holder, project, move_to):
    move_to(project, "visites")
    auth.login(holder)
    data = {"base_revision": "0", "visits-0-date": "", "action": "submit"}
    response = client.post(edit_url(project, "visites"), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="group-visits" aria-describedby="group-visits-error"' in html
    assert '<p class="error" id="group-visits-error">At least 1 item(s).</p>' in html


def test_enter_in_a_text_input_saves_a_draft_rather_than_removing_an_item(
    client, auth, holder, project
):
    auth.login(holder)
    html = client.get(edit_url(project, "premier_contact")).get_data(as_text=True)
    first_button = re.search(r"<button[^>]*>", html.split('class="stage-form"')[1]).group(0)
    assert 'name="action" value="draft"' in first_button


def test_a_holder_edits_the_stage_of_a_paused_project(client, auth, holder, project, move_to):
    move_to(project, "en_pause", return_state="visites")
    auth.login(holder)
    assert client.get(edit_url(project, "visites")).status_code == 200
    assert client.get(edit_url(project, "dla")).status_code == 403
