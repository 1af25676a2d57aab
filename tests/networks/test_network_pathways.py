"""A network's pathways are its own: network B's variant is listed and usable in B, absent from
A (lists, choices, pages by URL, partners' figures); the shared pathways are in both; a project
always resolves its own version."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from accompagnement.engine import UnknownWorkflow
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.network import services as network_services
from accompagnement.network.models import Network
from accompagnement.network.queries import default_pathway
from accompagnement.partners.queries import workflow_choices
from accompagnement.pathways import document as doc
from accompagnement.pathways import services as editor
from accompagnement.projects.models import Project
from accompagnement.projects.services import create_project, workflow_of
from accompagnement.tenancy import current_network_id, network_scope
from accompagnement.workflows import services
from accompagnement.workflows.models import WorkflowSnapshot
from accompagnement.workflows.versions import NameTaken, publish
from tests.door.test_public_door import _pending
from tests.fixtures import PASSWORD

SHARED = "creation-ressourcerie"
VARIANT = "variante-b"
VARIANT_FILE = Path("workflows/auvergne/recyclerie-rurale-auvergne.yaml")


def variant_text(name: str = VARIANT, version: int = 1) -> str:
    text = VARIANT_FILE.read_text(encoding="utf-8")
    text = text.replace("name: recyclerie-rurale-auvergne", f"name: {name}", 1)
    return text.replace("version: 1", f"version: {version}", 1)


def next_request() -> None:
    """Forget this request's registry check, as the next request of a worker does."""
    from flask import g

    g.pop(services.CHECKED, None)


@pytest.fixture
def two(make_user: Any, coordinator: Any) -> dict[str, Any]:
    """Network A (the test's, its coordinator) and network B with its coordinator and variant."""
    a_id = current_network_id()
    b = Network(name="Réseau B", short_name="b")
    db.session.add(b)
    db.session.commit()
    b_id = b.id
    with network_scope(b_id):
        coordinator_b = make_user("coordinator", email="coordination@b.example.org")
        publish(variant_text(), user_id=coordinator_b.id, network_id=b_id)
        db.session.commit()
        ids = {
            "a": a_id,
            "b": b_id,
            "coordinator_a": coordinator.id,
            "coordinator_b": coordinator_b.id,
        }
        emails = {"email_a": coordinator.email, "email_b": coordinator_b.email}
    next_request()
    return {**ids, **emails}


def sign_in(client: FlaskClient, email: str) -> None:
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    # A server's next request starts with a new session; the test's app context would keep the
    # person as the sign-in request loaded them (their memberships read in its network).
    db.session.remove()


def test_each_network_sees_the_shared_pathways_and_its_own(two) -> None:
    assert VARIANT not in services.available(two["a"]).names()
    assert VARIANT in services.available(two["b"]).names()
    for network in ("a", "b"):
        assert SHARED in services.available(two[network]).names()
    assert VARIANT not in services.available(None).names()  # outside any network: shared only
    assert services.owner(VARIANT, 1) == two["b"]
    with pytest.raises(UnknownWorkflow):
        services.latest_workflow(VARIANT)  # in scope A
    with network_scope(two["b"]):
        assert services.latest_workflow(VARIANT).version == 1


def test_a_project_can_start_on_the_variant_in_b_only(two) -> None:
    with pytest.raises(InvalidInput):
        create_project("Projet A", workflow_name=VARIANT, user_id=two["coordinator_a"])
    with network_scope(two["b"]):
        project = create_project("Projet B", workflow_name=VARIANT, user_id=two["coordinator_b"])
        db.session.commit()
        assert (project.workflow_name, project.workflow_version) == (VARIANT, 1)


def test_a_project_keeps_resolving_its_own_version_when_no_longer_offered(
    two, english_client
) -> None:
    project_id = create_project(
        "Projet ancien", workflow_name=SHARED, user_id=two["coordinator_a"]
    ).id
    db.session.commit()
    db.session.execute(  # as a project started before the pathways were kept to their network
        update(Project)
        .where(Project.id == project_id)
        .values(workflow_name=VARIANT, workflow_version=1, state="premier_contact")
    )
    db.session.commit()
    assert workflow_of(db.session.get(Project, project_id)).name == VARIANT
    sign_in(english_client, two["email_a"])
    page = english_client.get(f"/projects/{project_id}")
    assert page.status_code == 200
    assert "Rural recycling workshop (Auvergne)" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "url", ["/projects/new", "/workflows/", "/pathways/", "/admin/network/", "/projects/"]
)
def test_the_pages_of_a_list_only_the_shared_pathways(two, english_client, url) -> None:
    sign_in(english_client, two["email_a"])
    page = english_client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert VARIANT not in text
    assert "Rural recycling workshop" not in text


@pytest.mark.parametrize("url", ["/projects/new", "/workflows/", "/pathways/", "/admin/network/"])
def test_the_pages_of_b_list_its_variant_and_the_shared_ones(two, english_client, url) -> None:
    sign_in(english_client, two["email_b"])
    text = english_client.get(url).get_data(as_text=True)
    assert VARIANT in text
    assert SHARED in text


@pytest.mark.parametrize(
    "url",
    [
        f"/workflows/{VARIANT}/1",
        f"/workflows/{VARIANT}/1.yaml",
        f"/workflows/{VARIANT}/compare",
        f"/workflows/{VARIANT}/1/labels",
        f"/projects/moves/{VARIANT}/1",
    ],
)
def test_another_networks_pathway_by_url_is_not_found(two, english_client, url) -> None:
    sign_in(english_client, two["email_a"])
    assert english_client.get(url).status_code == 404
    sign_in(english_client, two["email_b"])
    assert english_client.get(url).status_code == 200


def test_the_partners_figures_offer_the_shared_pathways_only(two) -> None:
    assert VARIANT not in [name for name, _ in workflow_choices()]
    with network_scope(two["b"]):
        assert VARIANT in [name for name, _ in workflow_choices()]


def test_the_default_pathway_may_be_the_networks_own_only(two) -> None:
    settings = network_services.Settings(
        name="Réseau A", short_name="test", departements=["19"], default_workflow=VARIANT
    )
    with pytest.raises(InvalidInput):
        network_services.setup_network(settings, workflows=services.available().names())
    with network_scope(two["b"]):
        own = network_services.Settings(
            name="Réseau B", short_name="b", departements=["63"], default_workflow=VARIANT
        )
        network_services.setup_network(own, workflows=services.available().names())
        db.session.commit()
        assert default_pathway() == VARIANT
    assert default_pathway() == SHARED  # the file that says `default: true`


def test_a_name_of_another_network_cannot_be_published(two) -> None:
    with pytest.raises(NameTaken):
        publish(variant_text(version=2), user_id=None, network_id=two["a"])
    with pytest.raises(NameTaken):
        publish(variant_text(version=2), user_id=None)  # nor made shared


def test_the_editors_new_pathway_belongs_to_its_network(two) -> None:
    user = two["coordinator_a"]
    draft = editor.start_draft(None, name="parcours-a", label="Parcours de A", user_id=user)
    assert draft.network_id == two["a"]
    draft.definition = doc.from_text(variant_text(name="parcours-a"))  # filled in, valid
    editor.publish_draft(draft.id, user_id=user)
    db.session.commit()
    assert db.session.get(WorkflowSnapshot, ("parcours-a", 1)).network_id == two["a"]
    next_request()
    assert "parcours-a" in editor.pathway_names()
    with network_scope(two["b"]):
        assert "parcours-a" not in editor.pathway_names()
        with pytest.raises(InvalidInput):  # a name is unique in the instance
            editor.start_draft(None, name="parcours-a", label="Autre", user_id=user)


def test_a_copy_of_a_shared_pathway_is_the_networks_own_version(two) -> None:
    user = two["coordinator_a"]
    draft = editor.start_draft(SHARED, name="", label="", user_id=user)
    assert draft.definition["version"] == 3
    name, version = editor.publish_draft(draft.id, user_id=user)
    db.session.commit()
    assert (name, version) == (SHARED, 3)
    assert db.session.get(WorkflowSnapshot, (SHARED, 3)).network_id == two["a"]
    next_request()
    assert services.latest_workflow(SHARED).version == 3
    assert editor.pathway_names().count(SHARED) == 1
    with network_scope(two["b"]):
        assert services.latest_workflow(SHARED).version == 2  # B keeps the shared version
        copy = editor.start_draft(SHARED, name="", label="", user_id=two["coordinator_b"])
        assert (copy.base_version, copy.definition["version"]) == (2, 4)  # a number of its own
        db.session.rollback()


def test_an_uploaded_version_belongs_to_the_coordinators_network(two, english_client) -> None:
    sign_in(english_client, two["email_a"])
    data = {"file": (io.BytesIO(variant_text(name="televerse-a").encode()), "a.yaml")}
    answer = english_client.post("/workflows/upload", data=data, content_type="multipart/form-data")
    assert answer.status_code == 302
    assert db.session.get(WorkflowSnapshot, ("televerse-a", 1)).network_id == two["a"]
    sign_in(english_client, two["email_b"])
    assert english_client.get("/workflows/televerse-a/1").status_code == 404


@pytest.fixture
def door_open(app: Any, mailbox: Any, territory: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The public door open (an SMTP server is set), without a minimum fill time."""
    monkeypatch.setitem(app.config, "DOOR_MIN_SECONDS", 0)
    return mailbox


def test_a_request_cannot_be_accepted_on_another_networks_pathway(two, client, door_open) -> None:
    made_id = _pending(client, door_open, path="/door/test/").id  # network A's door
    sign_in(client, two["email_a"])
    page = client.get(f"/door/requests/{made_id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and VARIANT not in page.get_data(as_text=True)
    answer = client.post(
        f"/door/requests/{made_id}/accept",
        data={"project_name": "Ressourcerie", "workflow": VARIANT, "commune": "23096"},
    )
    assert answer.status_code == 400
    assert db.session.scalars(select(Project)).all() == []


def test_the_api_figures_offer_another_networks_pathway_to_none(two, client) -> None:
    from accompagnement.auth import apitokens

    secret_a = apitokens.create_token(two["coordinator_a"], "A", "read", 30).secret
    with network_scope(two["b"]):
        secret_b = apitokens.create_token(two["coordinator_b"], "B", "read", 30).secret
    db.session.commit()
    url = f"/api/v1/pipeline?workflow={VARIANT}"
    in_a = client.get(url, headers={"Authorization": f"Bearer {secret_a}"}).get_json()
    assert in_a["workflow"] == SHARED  # the default one: the variant is unknown in A
    in_b = client.get(url, headers={"Authorization": f"Bearer {secret_b}"}).get_json()
    assert in_b["workflow"] == VARIANT
