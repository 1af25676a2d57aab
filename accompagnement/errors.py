"""Domain exceptions; accompagnement/errorpages.py is the one place they become HTTP answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click


class DomainError(Exception):
    """A use case refused to do something; the message is for a person."""

    status = 400

    def __init__(self, message: str = "", **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The object does not exist, or the current user may not know it exists."""

    status = 404


class Forbidden(DomainError):
    """The current user may not do this."""

    status = 403


class InvalidInput(DomainError):
    """Values given to a use case are wrong; `errors` maps field paths to messages."""

    status = 400

    def __init__(self, message: str = "", errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors or {})


class TransitionRefused(DomainError):
    """The workflow refused a transition; the engine's `refusals`, explained by `workflow`."""

    status = 409

    def __init__(self, message: str, refusals: Sequence[Any] = (), workflow: Any = None) -> None:
        super().__init__(message)
        self.refusals = list(refusals)
        self.workflow = workflow

    def sentences(self, locale: str) -> list[str]:
        """Describe every reason of the refusal in the given language."""
        from accompagnement.messages import describe_refusal  # errors.py imports no Flask

        return [describe_refusal(r, self.workflow, locale) for r in self.refusals]


class ProjectChanged(DomainError):
    """Someone else changed the project since the page was loaded."""

    status = 409


class StaleEdit(DomainError):
    """The form was changed by someone else since it was opened."""

    status = 409

    def __init__(self, message: str, current_revision: int, author: str | None = None) -> None:
        super().__init__(message)
        self.current_revision = current_revision
        self.author = author


class WorkflowFilesInvalid(click.ClickException):
    """The workflow files of WORKFLOWS_DIR are invalid: the application refuses to start.

    A click exception: the factory runs before any `flask` command, so every command (`flask
    workflows check` first) shows this message and exits 1 instead of printing a traceback.
    Gunicorn shows the same message. Each line names the file, the path inside it and the line;
    it is worded in the current language (the factory picks the shell's: `cli_language`).
    """

    exit_code = 1

    def __init__(self, directory: str, problems: Sequence[Any]) -> None:
        from flask_babel import gettext  # errors.py imports no Flask at import time

        from accompagnement.messages import describe_problem

        self.directory = directory
        self.problems = [describe_problem(problem) for problem in problems]
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        intro = gettext(
            "the workflow files in %(directory)s are invalid; the application cannot start "
            "until they are fixed:",
            directory=directory,
        )
        super().__init__(f"{intro}\n{lines}")
