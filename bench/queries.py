"""Count the SQL statements of one request per page, in-process (a SQLAlchemy event)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from bench import dataset
from soak import harness

if TYPE_CHECKING:
    from bench.run import Page


def count_queries(
    url: str, pages: Iterable[Page], tokens: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Return the number of statements one warm request of each page runs, by page name
    (an API page with the token `tokens` holds for its person)."""
    from accompagnement import create_app
    from accompagnement.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    counted = {}
    with app.app_context():
        engine = db.engine
    # Requests push their own app context: an outer one would share `g` (the signed-in user).
    event.listen(engine, "before_cursor_execute", count)
    clients: dict[str, Any] = {}
    for page in pages:
        client = clients.get(page.who)
        if client is None:
            client = clients[page.who] = _signed_in(app, page.who)
        headers = {"Authorization": f"Bearer {(tokens or {})[page.who]}"} if page.token else {}
        client.get(page.path, headers=headers)  # warm: the workflow registry, caches
        seen.clear()
        response = client.get(page.path, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{page.path}: {response.status_code}")
        counted[page.name] = len(seen)
    event.remove(engine, "before_cursor_execute", count)
    engine.dispose()
    return counted


def _signed_in(app: Any, email: str) -> Any:
    client = app.test_client()
    token = harness.csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": email, "password": dataset.PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {email} refused ({response.status_code})")
    return client


def signed_in_client(url: str, email: str) -> Any:
    """Return a test client of the app on `url`, signed in as `email` (its session cookie)."""
    from accompagnement import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    return _signed_in(app, email)
