"""The app on a real database, its clients and CLI runner; the shared fixtures in tests/fixtures/.

The database is SQLite by default and PostgreSQL when TEST_DATABASE_URL is set. Each pytest-xdist
worker gets its own SQLite file or PostgreSQL schema. Tables are created once per session and
emptied after every test, so the code under test commits for real, as it does in production.
People, the network, projects, mail and query counting are fixtures of tests/fixtures/, loaded
below; a directory's conftest.py holds only what its own tests use.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, current_app, g, request_started
from flask.testing import FlaskClient, FlaskCliRunner

from accompagnement import create_app
from accompagnement.extensions import db
from accompagnement.tenancy import network_scope
from tests.fixtures import PASSWORD

__all__ = [
    "PASSWORD",
    "drop_database",
    "only_network",
    "empty_all_tables",
    "flask_command",
    "make_database_url",
]
pytest_plugins = [
    "tests.fixtures.accounts",
    "tests.fixtures.network",
    "tests.fixtures.projects",
    "tests.fixtures.mail",
    "tests.fixtures.queries",
]
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
    app = create_app(app_config(database_url, tmp_path_factory.mktemp("app")))
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
        with network_scope(default_network_id()):
            yield
        empty_all_tables()


@contextmanager
def only_network() -> Iterator[None]:
    """Work in the only network of the current app's database (made when missing), as the
    commands of an instance with one network do: for apps on databases of their own."""
    from accompagnement.tenancy import network_ids

    known = network_ids(db.session)
    db.session.rollback()  # hold no transaction (nor SQLite's lock) while the test runs
    with network_scope(known[0] if known else default_network_id()):
        yield


def default_network_id() -> int:
    """Create the network every test works in (set up further by `make_network`), committed."""
    from accompagnement.network.models import Network

    network = Network(name="Réseau des ressourceries du test", short_name="test")
    db.session.add(network)
    db.session.flush()
    network_id = network.id
    db.session.commit()  # and read nothing after it: a read would begin a write transaction
    return network_id


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


# The directories whose tests read the English wording (French is checked by the catalogue
# tests): pages asked for in English by `client`, messages made outside a request in English.
ENGLISH_PAGES = frozenset({"activities", "main", "members", "observatory", "partners", "projects"})
ENGLISH_MESSAGES = frozenset({"activities", "members", "observatory", "partners", "reports"})


@pytest.fixture(autouse=True)
def _language(request: pytest.FixtureRequest) -> Iterator[None]:
    folder = request.node.path.parent.name
    if folder in ENGLISH_PAGES:
        request.getfixturevalue("client").environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if folder in ENGLISH_MESSAGES:
        yield from english_locale(request.getfixturevalue("app"))
    else:
        yield


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    # Commands speak the shell's language (i18n.cli_language): start from a neutral shell.
    return app.test_cli_runner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"})


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


@pytest.fixture(scope="module")
def other_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable]:
    """Return a factory of extra app instances on the test database, as other worker processes
    would be: other_app(**config) (closed at the end of the module)."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        settings = app_config(database_url, tmp_path_factory.mktemp("other"))
        extra = create_app({**settings, **config})
        made.append(extra)
        return extra

    yield make
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


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
    """Return the configuration of a test app on `url`, its files under `tmp_path`."""
    for folder in ("uploads", "backups"):
        (tmp_path / folder).mkdir(exist_ok=True)
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_PROFILE": "test",
        "SERVER_NAME": "localhost",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
