"""Two application hosts on one database and one shared storage: nothing a request needs lives
on one machine.

Two gunicorn servers, each in a working directory and an instance directory of its own, serve
the same database (PostgreSQL with TEST_DATABASE_URL, else one SQLite file) and the same
storage directory (STORAGE_DIR, as an NFS mount would be shared): a document uploaded through
one downloads through the other, a session opened on one works on the other, and signing out
on one ends it on both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import httpx
import pytest

from soak import harness
from tests.conftest import drop_database, make_database_url

pytestmark = pytest.mark.slow

EMAIL = "two-hosts@example.org"
PDF = b"%PDF-1.4\n% a feasibility study uploaded through host A\n%%EOF\n"


def _prepare(url: str) -> int:
    """Create the schema, a network, its coordinator and a project; return the project's id."""
    from argon2 import PasswordHasher

    from accompagnement import create_app
    from accompagnement.auth.services import create_user
    from accompagnement.extensions import db
    from accompagnement.network.services import Settings, create_network
    from accompagnement.projects.services import create_project
    from accompagnement.tenancy import network_scope

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_PROFILE": "test"})
    with app.app_context():
        db.create_all()
        network = create_network(
            Settings(name="Réseau partagé", short_name="partage", departements=[])
        )
        with network_scope(network.id):
            boss = create_user(EMAIL, name="Deux Hôtes", role="coordinator")
            boss.password_hash = PasswordHasher().hash(harness.PASSWORD)  # the servers' cost
            project = create_project("Ressourcerie partagée",
                                     workflow_name="creation-ressourcerie",
                                     user_id=boss.id, holder_ids=[])  # fmt: skip
            db.session.commit()
            project_id = project.id
        db.session.remove()
        db.engine.dispose()
    return project_id


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, int]]:
    """Serve one database and one storage directory from two gunicorn hosts: (A, B, project)."""
    root = tmp_path_factory.mktemp("two_hosts")
    name = f"two_hosts_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = make_database_url(str(root), name)
    project_id = _prepare(url)
    shared = root / "shared-storage"
    servers, bases = [], []
    try:
        for host in ("host-a", "host-b"):
            home = root / host
            home.mkdir()
            port = harness.free_port()
            env = {"INSTANCE_PATH": str(home / "instance"), "STORAGE_DIR": str(shared),
                   "UPLOAD_DIR": str(home / "instance" / "uploads")}  # fmt: skip
            servers.append(harness.serve(url, port, workers=1, threads=2, cwd=home,
                                         extra_env=env))  # fmt: skip
            bases.append(f"http://127.0.0.1:{port}")
        yield bases[0], bases[1], project_id
    finally:
        for server in servers:
            harness.stop(server)
        drop_database(url)


def _client(base: str, cookies: httpx.Cookies | None = None) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=30, cookies=cookies)


def _upload(client: httpx.Client, token: str, project_id: int) -> int:
    response = client.post(
        f"/projects/{project_id}/documents",
        data={"csrf_token": token, "stage": ""},
        files={"file": ("etude.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302, response.text
    page = client.get(f"/projects/{project_id}").text
    found = re.findall(rf"/projects/{project_id}/documents/(\d+)", page)
    assert found, "the uploaded document is not listed"
    return int(found[-1])


def test_a_document_uploaded_on_one_host_downloads_on_the_other(
    hosts: tuple[str, str, int],
) -> None:
    host_a, host_b, project_id = hosts
    with _client(host_a) as on_a:
        token = harness.sign_in(on_a, EMAIL)
        document_id = _upload(on_a, token, project_id)
        with _client(host_b, on_a.cookies) as on_b:
            response = on_b.get(f"/projects/{project_id}/documents/{document_id}")

    assert response.status_code == 200
    assert response.content == PDF
    assert "attachment" in response.headers["Content-Disposition"]


def test_a_session_opened_on_one_host_works_and_ends_on_the_other(
    hosts: tuple[str, str, int],
) -> None:
    host_a, host_b, _ = hosts
    with _client(host_a) as on_a:
        harness.sign_in(on_a, EMAIL)
        with _client(host_b, on_a.cookies) as on_b:
            account = on_b.get("/auth/account")
            assert account.status_code == 200
            assert "Deux Hôtes" in account.text
            token = harness.csrf_token(account.text)
            assert on_b.post("/auth/logout", data={"csrf_token": token}).status_code == 302

        after = on_a.get("/auth/account")  # the cookie host A set, replayed after sign-out

    assert after.status_code == 302
    assert after.headers["Location"].startswith("/auth/login")
