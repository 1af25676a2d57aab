"""Browser tests: the real app served on a local port, driven in Debian's Chromium.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium through
`executable_path`. Without Chromium these tests are skipped with a message that says so.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from accompagnement import create_app
from accompagnement.demo.territory import load_territory
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects import services
from accompagnement.tenancy import network_scope
from tests.conftest import (
    PASSWORD,
    _worker,
    drop_database,
    flask_command,
    make_database_url,
    only_network,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="Chromium not installed (apt-get install chromium): browser tests skipped"
    )
    for item in items:
        if "browser" in str(item.path):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """No in-process app here: a browser test works on its served app, whose requests enter
    their network themselves, and prepares or reads data with `in_live_network`."""
    yield


@contextmanager
def in_live_network(app: Flask) -> Iterator[None]:
    """Work inside the served app's context and in its only network (made when missing)."""
    with app.app_context(), only_network():
        yield


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app with CSRF on, on a database of its own, as in production."""
    tmp = tmp_path_factory.mktemp("live")
    url = make_database_url(str(tmp), f"live_{tmp.name}_{_worker()}_{os.getpid()}")
    app = create_app(live_config(url, tmp))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def empty_instance_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on the first day of a network, not the demo: a database made by `flask db
    upgrade` (geography included), the network set up and one coordinator, nothing else.
    A test module uses it as its `live_app` (the server and pages then run on it)."""
    from accompagnement.auth.services import create_user
    from accompagnement.network import services as network

    tmp = tmp_path_factory.mktemp("dayone")
    url = make_database_url(str(tmp), f"dayone_{tmp.name}_{_worker()}_{os.getpid()}")
    flask_command(url, "db", "upgrade")
    app = create_app(live_config(url, tmp))
    with app.app_context(), only_network():  # the network `flask db upgrade` left
        network.setup_network(
            network.Settings(name="Réseau du Limousin", short_name="limousin",
                             departements=["19", "23", "87"])
        )  # fmt: skip
        create_user("coord@example.org", name="Camille Martin", role="coordinator",
                    password=PASSWORD)  # fmt: skip
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(url)


def live_config(url: str, tmp: Path) -> dict[str, object]:
    """The configuration of a served test app: CSRF on, as in production."""
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "UPLOAD_DIR": str(tmp / "uploads"),
        "WTF_CSRF_ENABLED": True,
        "PASSWORD_HASH_PROFILE": "test",
    }


@pytest.fixture(scope="module")
def base_url(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any, base_url: str) -> Iterator[Callable[..., Any]]:
    """Return a factory of pages, each in a browser context of its own (one per person)."""
    contexts: list[Any] = []
    outside: list[str] = []

    def keep_local(route: Any) -> None:
        url = route.request.url
        if url.startswith(base_url) or url.startswith("data:"):
            route.continue_()
        else:  # nothing may leave the machine
            outside.append(url)
            route.abort()

    def make(**options: Any) -> Any:
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(base_url=base_url, **options)
        context.route("**/*", keep_local)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()
    assert outside == [], f"requests left the server's origin: {outside}"


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture
def in_app(live_app: Flask) -> Callable[[Callable[[], Any]], Any]:
    """Run a function inside the live app's context (to prepare data), committing it."""

    def run(function: Callable[[], Any]) -> Any:
        with in_live_network(live_app):
            result = function()
            db.session.commit()
            return result

    return run


@pytest.fixture(scope="module")
def people(live_app: Any) -> dict[str, Any]:
    """A coordinator, a holder with a project at its first stage, a partner, two members."""
    from accompagnement.auth.services import create_user
    from accompagnement.network import services as network

    with live_app.app_context():
        load_territory()
        test = network.create_network(
            network.Settings(name="Réseau test", short_name="test", departements=["19", "23", "87"])
        )
        with network_scope(test.id):
            ademe = network.save_organisation(network.OrganisationInput("ADEME", kind="ademe"))
            members = [
                Member(name="La Trouvaille", commune_insee="87085", departement_code="87"),
                Member(name="Le Grenier creusois", commune_insee="23096", departement_code="23"),
            ]
            db.session.add_all(members)
            coordinator = create_user(
                "coord@example.org", name="Camille Martin", role="coordinator", password=PASSWORD
            )
            holder = create_user(
                "porteuse@example.org", name="Léa Dubois", role="holder", password=PASSWORD
            )
            create_user(
                "ademe@example.org",
                name="Paula Partenaire",
                role="partner",
                password=PASSWORD,
            ).organisation_id = ademe.id
            project = services.create_project(
                "Ressourcerie de Bellac",
                workflow_name="creation-ressourcerie",
                user_id=coordinator.id,
                holder_ids=[holder.id],
                commune_insee="87011",
            )
            db.session.commit()
            return {"project": project.id, "members": [m.id for m in members]}


def login(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form."""
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def check_accessibility(page: Any) -> None:
    """Run axe-core on the current page; fail on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert bad == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
