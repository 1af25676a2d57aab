"""Shared fixtures: the app on a real database, a client, a CLI runner, and factories.

The database is SQLite by default and PostgreSQL when TEST_DATABASE_URL is set. Each pytest-xdist
worker gets its own SQLite file or PostgreSQL schema. Tables are created once per session and
emptied after every test, so the code under test commits for real, as it does in production.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, current_app, g, request_started
from flask.testing import FlaskClient, FlaskCliRunner

from accompagnement import create_app
from accompagnement.extensions import db

PASSWORD = "correct horse battery staple"
# Rate limits off in every app the suite makes (and the servers it starts), except where a
# test turns them on with RATELIMIT_ENABLED=True (tests/security/test_rate_limits.py).
os.environ.setdefault("RATELIMIT_ENABLED", "0")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def make_database_url(tmp_dir: str, name: str) -> str:
    """Return a database URL of its own for `name` (a SQLite file or a PostgreSQL schema)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_dir}/{name}.db"
    schema = f"t_{name}".replace("-", "_")
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def drop_database(url: str) -> None:
    """Drop the PostgreSQL schema made by make_database_url (SQLite files go with tmp)."""
    if not url.startswith("postgresql"):
        return
    schema = url.rsplit("search_path%3D", 1)[1]
    engine = sa.create_engine(url.split("?options=")[0].split("&options=")[0])
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = make_database_url(str(tmp_path_factory.mktemp("db")), f"{_worker()}_{os.getpid()}")
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_PROFILE": "test",
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
            "BACKUP_DIR": str(tmp_path_factory.mktemp("backups")),
            "SERVER_NAME": "localhost",
        }
    )
    # Each test holds one app context, which Flask reuses for the requests the test makes:
    # forget the previous request's `g` (current user, locale) and its uncommitted changes,
    # as a real server does between two requests.
    request_started.connect(_forget_previous_request, app)
    app.teardown_request(_discard_uncommitted)
    with app.app_context():
        db.create_all()
        load_geography_once(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# The official geography is loaded once per database and kept between tests (35,000 communes).
GEOGRAPHY = ("regions", "departements", "epcis", "communes", "commune_aliases")


def load_geography_once(app: Flask) -> None:
    """Load the vendored geography into the session's database (about a second)."""
    from accompagnement.territory.loader import load_geography

    with db.engine.begin() as conn:
        load_geography(conn)
        loaded = set(conn.scalars(sa.text("SELECT insee FROM communes")))
    app.extensions["test_geography"] = frozenset(loaded)


def _reset_geography(conn: sa.Connection) -> None:
    """Undo what a test did to the geography: syndicate links, communes and EPCI it added."""
    loaded = current_app.extensions["test_geography"]
    if conn.scalar(sa.text("SELECT 1 FROM waste_syndicates LIMIT 1")):
        conn.execute(sa.text("UPDATE communes SET syndicate_id = NULL WHERE syndicate_id > 0"))
    count = conn.scalar(sa.text("SELECT count(*) FROM communes"))
    if count != len(loaded):
        extra = set(conn.scalars(sa.text("SELECT insee FROM communes"))) - loaded
        conn.execute(sa.text("DELETE FROM communes WHERE insee IN :codes").bindparams(
            sa.bindparam("codes", expanding=True)), {"codes": sorted(extra)})  # fmt: skip
    conn.execute(sa.text("DELETE FROM epcis WHERE siren IS NULL"))


def _forget_previous_request(_sender: Flask, **_extra: Any) -> None:
    for name in list(g):
        g.pop(name)


def _discard_uncommitted(_error: BaseException | None) -> None:
    db.session.rollback()


def empty_all_tables() -> None:
    """Delete every row of every table (children first), except the official geography."""
    db.session.remove()
    # DELETE (children first) is much faster than TRUNCATE on the small tables of a test.
    keep = GEOGRAPHY if "test_geography" in current_app.extensions else ()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name == "waste_syndicates" and keep:
                _reset_geography(conn)
            if table.name not in keep:
                conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _app_context(request: pytest.FixtureRequest) -> Iterator[None]:
    if "engine_only" in request.keywords or request.node.path.parent.name == "engine":
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        empty_all_tables()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def english_client(app: Flask) -> FlaskClient:
    """A browser that asks for English pages (for tests that read the English wording)."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


def english_locale(app: Flask) -> Iterator[None]:
    """Word messages made outside a request in English (wrap as a fixture where needed)."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    # Commands speak the shell's language (i18n.cli_language): start from a neutral shell.
    return app.test_cli_runner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"})


@pytest.fixture
def territory() -> None:
    """The official geography (loaded once per session) and the demo's waste syndicates."""
    from accompagnement.demo.territory import load_territory

    load_territory()
    db.session.commit()


@pytest.fixture
def make_user(territory: None) -> Callable[..., Any]:
    """Return a factory of users: make_user(role="holder", email=None, name=None, password=...)."""
    from accompagnement.auth.services import create_user

    counter = iter(range(1, 10_000))

    def make(role: str = "holder", **fields: Any) -> Any:
        n = next(counter)
        fields.setdefault("email", f"{role}{n}@example.org")
        fields.setdefault("name", f"{role.title()} Test {n}")
        fields.setdefault("password", PASSWORD)
        user = create_user(fields.pop("email"), role=role, **fields)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_network(territory: None) -> Callable[..., Any]:
    """Return a factory setting the network up through its services (committed).

    make_network(departements=("19", "23", "87"), organisations=["ADEME", OrganisationInput(...)],
    plan={"reunion_coordination": 2}, name=..., short_name=..., default_workflow=...)
    """
    from accompagnement.network import services as network_services

    def make(
        departements: tuple[str, ...] = ("19", "23", "87"),
        organisations: tuple[Any, ...] | list[Any] = (),
        plan: dict[str, int] | None = None,
        **settings: Any,
    ) -> Any:
        settings.setdefault("name", "Réseau des ressourceries du test")
        settings.setdefault("short_name", "test")
        network = network_services.setup_network(
            network_services.Settings(departements=list(departements), **settings)
        )
        for organisation in organisations:
            if isinstance(organisation, str):
                organisation = network_services.OrganisationInput(name=organisation)
            network_services.save_organisation(organisation)
        if plan:
            network_services.set_plan(plan)
        db.session.commit()
        return network

    return make


@pytest.fixture
def coordinator(make_user: Callable[..., Any]) -> Any:
    return make_user("coordinator", name="Camille Coordination")


@pytest.fixture
def make_project(coordinator: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Return a factory of projects: make_project(name=..., holders=[users], workflow=...)."""
    from accompagnement.projects.services import create_project

    def make(
        name: str = "Ressourcerie test",
        *,
        holders: list[Any] | None = None,
        workflow: str = "creation-ressourcerie",
        commune: str | None = "87085",
        at: Any = None,
    ) -> Any:
        holders = [make_user("holder")] if holders is None else holders
        project = create_project(
            name,
            workflow_name=workflow,
            user_id=coordinator.id,
            holder_ids=[h.id for h in holders],
            commune_insee=commune,
            at=at,
        )
        db.session.commit()
        return project

    return make


class AuthActions:
    """Sign in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, user: Any, password: str = PASSWORD) -> Any:
        return self._client.post("/auth/login", data={"email": user.email, "password": password})

    def logout(self) -> Any:
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[Callable[..., tuple[Flask, str]]]:
    """Return a factory of apps on new, committed databases (dropped at the end of the test)."""
    made: list[tuple[Flask, str]] = []

    def make(name: str, *, create: bool = True) -> tuple[Flask, str]:
        worker = _worker()
        url = make_database_url(str(tmp_path), f"{name}_{worker}_{os.getpid()}")
        app = create_app(app_config(url, tmp_path))
        if create:
            with app.app_context():
                db.create_all()
        made.append((app, url))
        return app, url

    yield make
    for app, url in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_database(url)


def flask_command(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a flask command on the database at `url` in a process of its own, as an operator
    does (e.g. `db upgrade`, which runs the real Alembic migrations); fail the test on error."""
    from accompagnement.config import ROOT

    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "accompagnement", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def app_config(url: str, tmp_path: Path) -> dict[str, object]:
    """Return the configuration of a test app on `url`."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_PROFILE": "test",
        "SERVER_NAME": "localhost",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
