"""The pathway pages of coordinators: versions, a version, comparison, YAML in and out, the wording
published in place, and moving projects from the browser (preview, then a confirmed POST)."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.projects.models import Project
from accompagnement.workflows.models import WorkflowSnapshot
from accompagnement.workflows.versions import publish
from tests.fixtures import PASSWORD

NAME = "creation-ressourcerie"
SHIPPED = Path("workflows/creation-ressourcerie-v2.yaml")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def version_three_text() -> str:
    text = SHIPPED.read_text(encoding="utf-8").replace("version: 2", "version: 3", 1)
    return text.replace("premier_contact", "accueil")


PAGES = [
    "/workflows/",
    f"/workflows/{NAME}/2",
    f"/workflows/{NAME}/2.yaml",
    f"/workflows/{NAME}/compare?old=1&new=2",
    f"/workflows/{NAME}/2/labels",
    f"/projects/moves/{NAME}/2",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ["holder", "partner"])
def test_only_coordinators_open_the_pathway_pages(client, auth, make_user, url, role) -> None:
    auth.login(make_user(role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_coordinator_opens_every_pathway_page(client, auth, coordinator, url) -> None:
    auth.login(coordinator)
    assert client.get(url).status_code == 200


def test_the_version_page_shows_stages_transitions_and_the_diagram(client, auth, coordinator):
    auth.login(coordinator)
    page = client.get(f"/workflows/{NAME}/2").get_data(as_text=True)
    assert "Étude de faisabilité" in page and "Passer au DLA" in page
    assert "stateDiagram-v2" in page


def test_the_comparison_speaks_in_words(client, auth, coordinator) -> None:
    auth.login(coordinator)
    page = client.get(f"/workflows/{NAME}/compare?old=1&new=2").get_data(as_text=True)
    assert "Changes that need a new version" in page or "demandent une nouvelle version" in page
    assert "« Prendre contact avec le DLA du département » ajoutée à « DLA" in page


def test_the_download_is_the_yaml_of_the_version(client, auth, coordinator) -> None:
    auth.login(coordinator)
    response = client.get(f"/workflows/{NAME}/2.yaml")
    assert response.headers["Content-Disposition"].endswith('"creation-ressourcerie-v2.yaml"')
    assert response.get_data(as_text=True) == SHIPPED.read_text(encoding="utf-8")


def upload(client, text: str, filename: str = "v3.yaml"):
    data = {"file": (io.BytesIO(text.encode()), filename)}
    return client.post("/workflows/upload", data=data, content_type="multipart/form-data")


def test_an_uploaded_version_is_published(client, auth, coordinator) -> None:
    auth.login(coordinator)
    response = upload(client, version_three_text())
    assert response.status_code == 302 and response.location.endswith(f"/workflows/{NAME}/3")
    row = db.session.get(WorkflowSnapshot, (NAME, 3))
    assert row.published_by_id == coordinator.id


def test_an_invalid_upload_shows_the_messages_of_the_files(client, auth, coordinator) -> None:
    auth.login(coordinator)
    broken = version_three_text().replace("initial: accueil", "initial: nulle_part")
    response = upload(client, broken, "broken.yaml")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "broken.yaml: initial: étape « nulle_part » inconnue" in page
    assert db.session.get(WorkflowSnapshot, (NAME, 3)) is None


def test_an_upload_of_a_published_number_with_another_text_is_refused(
    client, auth, coordinator
) -> None:
    auth.login(coordinator)
    edited = SHIPPED.read_text(encoding="utf-8").replace("usual_days: 90", "usual_days: 95", 1)
    response = upload(client, edited)
    assert response.status_code == 400
    assert "déjà publiée avec un autre contenu" in response.get_data(as_text=True)


def test_the_wording_page_says_which_changes_need_a_new_version(client, auth, coordinator):
    auth.login(coordinator)
    url = f"/workflows/{NAME}/2/labels"
    text = SHIPPED.read_text(encoding="utf-8")
    reworded = text.replace("label: {fr: Passer au DLA,", "label: {fr: Aller au DLA,", 1)
    both = reworded.replace("usual_days: 90", "usual_days: 95", 1)
    checked = unescape(
        client.post(url, data={"text": both, "action": "check"}).get_data(as_text=True)
    )
    assert "transition « Passer au DLA » renommée « Aller au DLA »" in checked
    assert "durée habituelle de l'étape" in checked
    assert 'value="publish"' not in checked  # a structural change: no publishing in place
    refused = client.post(url, data={"text": both, "action": "publish"})
    assert refused.status_code == 409
    assert db.session.get(WorkflowSnapshot, (NAME, 2)) is None

    only_wording = client.post(url, data={"text": reworded, "action": "check"})
    assert 'value="publish"' in only_wording.get_data(as_text=True)
    published = client.post(url, data={"text": reworded, "action": "publish"})
    assert published.status_code == 302
    assert db.session.get(WorkflowSnapshot, (NAME, 2)).label_revision == 1


@pytest.fixture
def moved_later(make_project, coordinator):
    """Two projects at the first contact, one of them paused, and a version 3 that renames it."""
    from accompagnement.projects import services

    first = make_project("Premier").id
    paused = make_project("En pause").id
    services.fire_transition(paused, "pause", user_id=coordinator.id)
    publish(version_three_text(), user_id=coordinator.id)
    db.session.commit()
    return first, paused


def test_the_preview_moves_nothing_and_the_confirmation_moves_all(
    client, auth, coordinator, moved_later
) -> None:
    first, paused = moved_later
    auth.login(coordinator)
    url = f"/projects/moves/{NAME}/3"
    page = client.get(url).get_data(as_text=True)
    assert "Premier" in page and "En pause" in page
    mapped = client.get(url + "?map_premier_contact=accueil").get_data(as_text=True)
    assert 'name="map_premier_contact" value="accueil"' in mapped  # carried to the POST
    assert db.session.get(Project, first).workflow_version == 2

    response = client.post(url, data={"map_premier_contact": "accueil"})
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.scalars(select(Project).order_by(Project.id)).all()
    assert [(p.workflow_version, p.state, p.return_state) for p in moved] == [
        (3, "accueil", None),
        (3, "en_pause", "accueil"),
    ]


def test_a_mapping_to_an_unknown_stage_moves_nothing(client, auth, coordinator, moved_later):
    auth.login(coordinator)
    response = client.post(f"/projects/moves/{NAME}/3", data={"map_premier_contact": "nowhere"})
    assert response.status_code == 400
    assert {p.workflow_version for p in db.session.scalars(select(Project))} == {2}


def test_the_moves_and_uploads_need_the_csrf_token(app, client, coordinator, moved_later):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = TOKEN.search(client.get("/auth/login").get_data(as_text=True)).group(1)
        client.post(
            "/auth/login",
            data={"email": coordinator.email, "password": PASSWORD, "csrf_token": token},
        )
        without = client.post(f"/projects/moves/{NAME}/3", data={"map_premier_contact": "accueil"})
        assert without.status_code == 400
        assert {p.workflow_version for p in db.session.scalars(select(Project))} == {2}
        page = client.get(f"/projects/moves/{NAME}/3?map_premier_contact=accueil")
        token = TOKEN.search(page.get_data(as_text=True)).group(1)
        done = client.post(
            f"/projects/moves/{NAME}/3",
            data={"map_premier_contact": "accueil", "csrf_token": token},
        )
        assert done.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
