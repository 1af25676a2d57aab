"""Accompagnement: follow new ressourcerie projects through the network's pathway."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask is imported when an app is made, so the engine can be used alone
    from flask import Flask

BLUEPRINT_PACKAGES = (
    "territory",
    "main",
    "auth",
    "admin",
    "projects",
    "partners",
    "members",
    "activities",
    "observatory",
    "reports",
    "reminders",
    "notifications",
    "network",
    "history",
    "syndicates",
    "door",
    "meetings",
    "means",
    "tasks",
    "national",
    "opendata",
    "workflows",
    "pathways",
)
CLI_PACKAGES = (
    "territory",
    "auth",
    "admin",
    "projects",
    "workflows",
    "members",
    "activities",
    "observatory",
    "reports",
    "reminders",
    "privacy",
    "ops",
    "network",
    "demo",
    "history",
    "syndicates",
    "means",
    "opendata",
    "national",
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the application; `config` overrides the environment."""
    from flask import Flask

    from accompagnement.config import ROOT, check_production, from_environment

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        # One per host in a multi-host deployment: nothing a request needs is kept there.
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
    )
    app.config.update(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    check_production(app.config)
    from accompagnement.auth import passwords

    passwords.configure(app.config.get("PASSWORD_HASH_PROFILE", "default"))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_features(app)
    return app


def _init_extensions(app: Flask) -> None:
    from accompagnement import models  # noqa: F401  (every table known to metadata)
    from accompagnement.config import ROOT
    from accompagnement.db import configure_sqlite
    from accompagnement.extensions import babel, csrf, db, login_manager, migrate
    from accompagnement.i18n import select_locale, select_timezone
    from accompagnement.workflows.services import init_registry

    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        # A file cannot drop the connection as a server can: no ping before every checkout
        # (one more statement per request and per transaction, a tenth of a transition's time).
        options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "pool_pre_ping": False}
    db.init_app(app)
    from accompagnement.audit import guard
    from accompagnement.audit.models import AuditEvent
    from accompagnement.projects.models import TransitionRecord

    guard.install(TransitionRecord, AuditEvent)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    with app.app_context():
        configure_sqlite(db.engine)
    init_registry(app)


def _register_features(app: Flask) -> None:
    from importlib import import_module

    from accompagnement import errorpages, security, storage, throttle
    from accompagnement.auth import scope, sessions
    from accompagnement.converters import IdConverter
    from accompagnement.i18n import register_template_helpers
    from accompagnement.nav import nav_items

    app.url_map.converters["int"] = IdConverter
    for name in BLUEPRINT_PACKAGES:
        app.register_blueprint(import_module(f"accompagnement.{name}.views").bp)
    for name in CLI_PACKAGES:
        import_module(f"accompagnement.{name}.cli").register(app)
    import_module("accompagnement.importing").register(app)
    throttle.init_app(app)  # before every hook that may read the database
    storage.init_app(app)
    import_module("accompagnement.clierrors").guard_commands(app)
    sessions.init_app(app)
    scope.init_app(app)
    security.init_app(app)
    import_module("accompagnement.api").init_app(app)  # after the limiter, sessions, security
    errorpages.register(app)
    register_template_helpers(app)
    app.jinja_env.globals["nav_items"] = nav_items
    _plug_into_projects(app)


def _plug_into_projects(app: Flask) -> None:
    """Tell projects what the features above do when a stage is entered, and count; feed sources."""
    from accompagnement.meetings.calendar import exchange_components
    from accompagnement.projects import hooks
    from accompagnement.tasks import services as tasks
    from accompagnement.tasks.calendar import register_source

    hooks.install(app, stage_entered=[tasks.create_stage_tasks], overdue_tasks=tasks.overdue_counts)
    register_source(app, exchange_components)  # planned meetings in the personal calendar
