"""Fixtures of the project page tests: a project, members, stages and forms set up directly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects import services
from accompagnement.projects.models import Project


@pytest.fixture(autouse=True)
def _empty_upload_dir(app: Any) -> Iterator[None]:
    """Start every test with an empty upload directory, and leave it empty."""
    from pathlib import Path

    def empty() -> None:
        for path in Path(app.config["UPLOAD_DIR"]).iterdir():
            if path.is_file():
                path.unlink()

    empty()
    yield
    empty()


@pytest.fixture
def project(make_project: Callable[..., Any], holder: Any, other_holder: Any) -> Project:
    """A project of `holder`; `other_holder` holds another project."""
    make_project("Projet voisin", holders=[other_holder], commune="23096")
    return make_project("Ressourcerie du Haut-Limousin", holders=[holder], commune="87085")


@pytest.fixture
def members(territory: None) -> list[Member]:
    """Two member ressourceries of the directory."""
    rows = [
        Member(name="Ressourcerie de Limoges", commune_insee="87085", departement_code="87"),
        Member(name="Recyclerie de Guéret", commune_insee="23096", departement_code="23"),
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


@pytest.fixture
def move_to() -> Callable[[Project, str], Project]:
    """Return a helper putting a project straight into a stage (test set-up only)."""

    def move(project: Project, state: str, *, days_ago: int = 0, return_state: str | None = None):
        from datetime import timedelta

        row = db.session.get(Project, project.id)
        row.state = state
        row.return_state = return_state
        row.state_changed_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()
        return row

    return move


@pytest.fixture
def save() -> Callable[..., Any]:
    """Return a helper saving a stage form through the service, as `user`."""

    def run(project: Project, stage: str, data: dict[str, Any], user: Any, submit: bool = False):
        current = services._current_revision(project.id, stage)
        row = services.save_form(
            project.id, stage, data, user_id=user.id, submit=submit, base_revision=current
        )
        db.session.commit()
        return row

    return run
