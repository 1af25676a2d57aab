"""Browser tests: the real app served on a local port, driven in Debian's Chromium.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium through
`executable_path`. Without Chromium these tests are skipped with a message that says so.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from accompagnement import create_app
from accompagnement.extensions import db
from tests.conftest import PASSWORD, drop_database, make_database_url

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


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app with CSRF on, on a database of its own, as in production."""
    tmp = tmp_path_factory.mktemp("live")
    url = make_database_url(str(tmp), f"live_{tmp.name}")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_DIR": str(tmp / "uploads"),
            "WTF_CSRF_ENABLED": True,
            "PASSWORD_HASH_PROFILE": "test",
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(url)


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
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    # Nothing may leave the machine: any request to another origin fails the test.
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base_url) or route.request.url.startswith("data:")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert outside == [], f"requests left the server's origin: {outside}"


@pytest.fixture
def in_app(live_app: Flask) -> Callable[[Callable[[], Any]], Any]:
    """Run a function inside the live app's context (to prepare data), committing it."""

    def run(function: Callable[[], Any]) -> Any:
        with live_app.app_context():
            result = function()
            db.session.commit()
            return result

    return run


def login(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form."""
    page.goto("/auth/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def check_accessibility(page: Any) -> None:
    """Run axe-core on the current page; fail on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert bad == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
