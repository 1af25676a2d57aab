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
Every command also speaks the shell's language (`accompagnement.i18n.cli_language`), and works
in one network (`accompagnement.tenancy`): the one named by `--network SHORT_NAME`, which every
command takes, or the instance's only network. Commands marked `across_networks` go over every
network on purpose and take no `--network`.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from flask import Flask, current_app, has_app_context
from flask.cli import ScriptInfo
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from accompagnement import tenancy
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


def across_networks(command: F) -> F:
    """Mark a command callback as working over every network (no `--network` option)."""
    command.across_networks = True  # type: ignore[attr-defined]
    return command


def _marked(callback: Callable[..., Any], mark: str) -> bool:
    return bool(
        getattr(callback, mark, False)
        or getattr(getattr(callback, "__wrapped__", None), mark, False)
    )


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
        scoped = (
            _ours(command.callback)
            and not _marked(command.callback, "across_networks")
            and not isinstance(command, click.Group)  # its subcommands take --network
        )
        if scoped:
            command.params.append(NETWORK_OPTION)
        command.callback = _guarded(command.callback, scoped=scoped)


def _ours(callback: Callable[..., Any]) -> bool:
    """Tell whether a command is the application's (not Flask-Migrate's `db`, say)."""
    original = getattr(callback, "__wrapped__", callback)
    return str(getattr(original, "__module__", "")).startswith("accompagnement.")


NETWORK_OPTION = click.Option(
    ["--network", "network_short_name"],
    default=None,
    metavar="SHORT_NAME",
    help="Short name of the network to work in (may be left out when there is only one).",
)


def _guarded(callback: Callable[..., Any], *, scoped: bool) -> Callable[..., Any]:
    reads_only = _marked(callback, "read_only")

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        token = write_intent.set(not reads_only)
        short_name = kwargs.pop("network_short_name", None)
        try:
            with force_locale(cli_language()):
                if not scoped:
                    return _with_retries(callback, args, kwargs)
                with _command_scope(short_name):
                    return _with_retries(callback, args, kwargs)
        except tenancy.OutsideNetworkScope:
            raise click.ClickException(
                _("this instance has no network yet: create one with `flask network create`")
            ) from None
        finally:
            write_intent.reset(token)

    run.guarded = True  # type: ignore[attr-defined]
    return run


@contextmanager
def _command_scope(short_name: str | None) -> Iterator[None]:
    """Work in the network named on the command line, or in the instance's only network."""
    network_id = _network_for_command(short_name)
    if network_id is None:
        yield
        return
    with tenancy.network_scope(network_id):
        yield


def _network_for_command(short_name: str | None) -> int | None:
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    intent = write_intent.set(False)  # a deferred read: never waits for SQLite's write lock
    try:
        with app.app_context():
            return _network_id(short_name)
    except OperationalError as error:  # a database that cannot be opened: one line, not a trace
        raise click.ClickException(_unusable(error)) from None
    finally:
        write_intent.reset(intent)


def _network_id(short_name: str | None) -> int | None:
    from accompagnement.extensions import db

    if short_name is not None:
        network_id = tenancy.network_id_of(db.session, short_name)
        if network_id is None:
            raise click.ClickException(
                _(
                    "no network has the short name %(name)s (see `flask network list`)",
                    name=short_name,
                )  # fmt: skip
            )
        return network_id
    known = tenancy.network_ids(db.session)
    db.session.rollback()
    if len(known) > 1:
        raise click.ClickException(
            _("this instance has several networks: say which one with --network SHORT_NAME")
        )
    return known[0] if known else None


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
