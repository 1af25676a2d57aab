"""Database errors of the `flask` commands, handled in one place.

Every command of the app is wrapped once the features are registered:
- a command marked `read_only` reads in a deferred transaction: it never takes SQLite's write
  lock, so it never waits behind writers (and they never wait behind it);
- when the database is busy (SQLite's "database is locked" after the busy timeout, a PostgreSQL
  deadlock or serialization failure), the command's transaction is rolled back and the command
  runs again, with a growing pause, for at most CLI_LOCK_WAIT_SECONDS. Only an attempt that
  committed nothing runs again (commands commit once, at the end: see docs/architecture.md);
- any other operational database error (and a busy database past that time) gives one line and
  exit code 1, never a traceback.
Every command also speaks the shell's language (`accompagnement.i18n.cli_language`).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask import Flask, current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from accompagnement.db import write_intent
from accompagnement.i18n import cli_language

F = TypeVar("F", bound=Callable[..., Any])
BUSY_WORDS = ("database is locked", "database is busy", "deadlock detected", "could not serialize")
FIRST_PAUSE = 0.1
LONGEST_PAUSE = 2.0


def read_only(command: F) -> F:
    """Mark a command callback as reading only (deferred transactions on SQLite)."""
    command.read_only = True  # type: ignore[attr-defined]
    return command


def is_busy(error: OperationalError) -> bool:
    """Tell whether an error means 'another transaction holds what we need: try again'."""
    text = str(error.orig if error.orig is not None else error).lower()
    return any(words in text for words in BUSY_WORDS)


def guard_commands(app: Flask) -> None:
    """Wrap the callback of every command of the app (groups included, recursively)."""
    for command in list(app.cli.commands.values()):
        _guard(command)


def _guard(command: click.Command) -> None:
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _guard(sub)
    if command.callback is not None and not getattr(command.callback, "guarded", False):
        command.callback = _guarded(command.callback)


def _guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
    reads_only = getattr(callback, "read_only", False) or getattr(
        getattr(callback, "__wrapped__", None), "read_only", False
    )

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        token = write_intent.set(not reads_only)
        try:
            with force_locale(cli_language()):
                return _with_retries(callback, args, kwargs)
        finally:
            write_intent.reset(token)

    run.guarded = True  # type: ignore[attr-defined]
    return run


class _Commits:
    """Count the commits of any session while a command runs (a command is one thread)."""

    def __init__(self) -> None:
        self.count = 0
        self._listener = self._seen  # one bound method: listen and remove the same object

    def __enter__(self) -> _Commits:
        event.listen(Session, "after_commit", self._listener)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(Session, "after_commit", self._listener)

    def _seen(self, _session: Session) -> None:
        self.count += 1


def _with_retries(callback: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    started, pause = time.monotonic(), FIRST_PAUSE
    while True:
        with _Commits() as commits:
            try:
                return callback(*args, **kwargs)
            except OperationalError as error:
                _rollback()
                failure = error
        if not is_busy(failure):
            raise click.ClickException(_unusable(failure)) from None
        if commits.count or time.monotonic() - started + pause > _wait_limit():
            raise click.ClickException(_busy(saved=bool(commits.count))) from None
        time.sleep(pause * (0.5 + random.random()))  # noqa: S311 (jitter, not a secret)
        pause = min(pause * 2, LONGEST_PAUSE)


def _busy(*, saved: bool) -> str:
    if saved:
        return _(
            "the database is busy (other commands or users are changing it): "
            "what was saved before stays saved, try again in a moment"
        )
    return _(
        "the database is busy (other commands or users are changing it): "
        "nothing was changed, try again in a moment"
    )


def _wait_limit() -> float:
    if has_app_context():
        return float(current_app.config.get("CLI_LOCK_WAIT_SECONDS", 60))
    return 60.0


def _rollback() -> None:
    if has_app_context():
        from accompagnement.extensions import db

        db.session.rollback()


def _unusable(error: OperationalError) -> str:
    """Return one line saying why the database cannot be used (no SQL, no parameters)."""
    detail = str(error.orig if error.orig is not None else error).strip().splitlines()
    return _(
        "the database cannot be used: %(detail)s",
        detail=detail[0] if detail else type(error).__name__,
    )
