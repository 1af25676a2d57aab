"""Tell people what happened: an e-mail in the outbox now, a line for the digest, or nothing.

Everything is written in the caller's transaction (flush, never commit): the notice leaves with
the event that caused it, or not at all, and no SMTP conversation happens in a request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.mail import mail_configured
from accompagnement.notifications import links
from accompagnement.notifications.kinds import (
    COMMENT,
    FORM_SUBMITTED,
    MEETING_PLANNED,
    STAGE_CHANGED,
    TASK_ASSIGNED,
    Kind,
    kinds_for,
)
from accompagnement.notifications.models import (
    DIGEST,
    IMMEDIATE,
    NEVER,
    DigestItem,
    NotificationPreference,
)
from accompagnement.outbox.services import enqueue

if TYPE_CHECKING:
    from accompagnement.engine import Label
    from accompagnement.projects.models import Project

EXCERPT = 500  # characters of a comment quoted in its e-mail
DIGEST_MAIL = "digest"  # the kind named in a digest's links: it stands for every kind it carries


def language_of(user: User) -> str:
    """Return the language the person reads their e-mails in."""
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def preferences(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Return the deliveries these people chose for a kind (absent: they kept the default)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.delivery).where(
            NotificationPreference.user_id.in_(ids), NotificationPreference.kind == kind
        )
    )
    return {key: value for key, value in rows}


def delivery_of(user: User, kind: Kind, chosen: str | None) -> str:
    """Return how this person gets this kind: as chosen, else the default of their role."""
    default = kind.defaults.get(Role(user.role))
    if default is None:
        return NEVER
    return chosen if chosen in kind.deliveries else default


def settings_of(user: User) -> dict[str, str]:
    """Return the person's delivery of every kind their role may receive."""
    rows = db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.delivery).where(
            NotificationPreference.user_id == user.id
        )
    )
    chosen = {key: value for key, value in rows}
    return {k.key: delivery_of(user, k, chosen.get(k.key)) for k in kinds_for(user.role)}


def set_settings(user_id: int, choices: Mapping[str, str]) -> dict[str, str]:
    """Save the person's delivery of some kinds; refuse a kind or delivery not offered."""
    user = db.session.get(User, user_id)
    if user is None:
        raise InvalidInput("Unknown person")
    offered = {k.key: k for k in kinds_for(user.role)}
    bad = {
        key: "Choose one of the offered answers"
        for key, value in choices.items()
        if key not in offered or value not in offered[key].deliveries
    }
    if bad:
        raise InvalidInput("Choose one of the offered answers", bad)
    stored = {
        p.kind: p
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for key, delivery in choices.items():
        if key in stored:
            stored[key].delivery = delivery
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=key, delivery=delivery))
    db.session.flush()
    return settings_of(user)


def unsubscribe(user: User, key: str) -> list[Kind]:
    """Stop the e-mails of one kind (from a digest: of every kind it carries); return them."""
    current = settings_of(user)
    if key == DIGEST_MAIL:
        stopped = [k for k in kinds_for(user.role) if current[k.key] == DIGEST]
    else:
        stopped = [k for k in kinds_for(user.role) if k.key == key and NEVER in k.deliveries]
    set_settings(user.id, {k.key: NEVER for k in stopped})
    return stopped


def notify(
    kind: Kind,
    recipients: Iterable[User],
    *,
    path: str,
    project_id: int | None = None,
    actor: User | None = None,
    excerpt: str = "",
    **params: Any,
) -> int:
    """Tell each recipient (the actor excepted) as they chose; return how many were told.

    `path` is the page the notice links to; `params` are what the kind's wording needs (JSON
    values: a stage's labels as a {"fr": ..., "en": ...} mapping).
    """
    if not mail_configured():
        return 0  # no e-mail can leave: neither a message nor a digest line would ever be read
    people = {u.id: u for u in recipients if u.is_active and (actor is None or u.id != actor.id)}
    chosen = preferences(people, kind.key)
    params = {**params, "actor": actor.name if actor else ""}
    told = 0
    for user in people.values():
        delivery = delivery_of(user, kind, chosen.get(user.id))
        if delivery == IMMEDIATE:
            _enqueue_notice(user, kind, params, path, excerpt)
        elif delivery == DIGEST:
            db.session.add(
                DigestItem(
                    user_id=user.id, kind=kind.key, project_id=project_id, params=params, path=path
                )
            )
        told += delivery != NEVER
    db.session.flush()
    return told


def headers_for(user: User, kind: str) -> dict[str, str]:
    """Return the List-Unsubscribe headers of an e-mail of this kind to this person (RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{links.unsubscribe_url(user.id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _enqueue_notice(
    user: User, kind: Kind, params: Mapping[str, Any], path: str, excerpt: str
) -> None:
    assert kind.subject is not None and kind.line is not None, kind.key
    with force_locale(language_of(user)):
        subject = kind.subject(params)
        body = render_template(
            "notifications/mail/notice.txt",
            user=user,
            line=kind.line(params),
            excerpt=excerpt[:EXCERPT],
            url=links.absolute(path),
            settings_url=links.settings_url(user.id, kind.key),
        )
    enqueue(
        user.email,
        subject,
        body,
        kind=f"notify.{kind.key}",
        user_id=user.id,
        headers=headers_for(user, kind.key),
    )


def _coordinators() -> list[User]:
    users = db.session.scalars(select(User).where(User.role == Role.COORDINATOR.value, User.active))
    return list(users)


def _project_path(project: Project) -> str:
    return links.path_for("projects.detail", project_id=project.id)


def stage_changed(project: Project, actor: User, stage: Label) -> None:
    """Tell the project's holders that it moved to another stage."""
    if not mail_configured():
        return  # not even the holders are read: the transition's statements stay as they were
    notify(
        STAGE_CHANGED,
        project.holders,
        path=_project_path(project),
        project_id=project.id,
        actor=actor,
        project=project.name,
        stage=stage.model_dump(),
    )


def commented(project: Project, actor: User, body: str) -> None:
    """Tell the holders of a coordinator's comment, the coordinators of a holder's."""
    if not mail_configured():
        return
    recipients = project.holders if actor.role == Role.COORDINATOR else _coordinators()
    notify(
        COMMENT,
        recipients,
        path=_project_path(project) + "#comments",
        project_id=project.id,
        actor=actor,
        excerpt=body,
        project=project.name,
    )


def form_submitted(project: Project, actor: User, stage_key: str, stage: Label) -> None:
    """Tell the coordinators that a holder submitted a stage form."""
    if actor.role != Role.HOLDER or not mail_configured():
        return
    notify(
        FORM_SUBMITTED,
        _coordinators(),
        path=links.path_for("projects.form", project_id=project.id, stage=stage_key),
        project_id=project.id,
        actor=actor,
        project=project.name,
        stage=stage.model_dump(),
    )


def task_given(project: Project, actor: User, title: str, people: Iterable[User]) -> None:
    """Tell the people a coordinator gave a task to (the holders together, or one person)."""
    if not mail_configured():
        return
    notify(
        TASK_ASSIGNED,
        people,
        path=links.path_for("tasks.index", project=project.id),
        project_id=project.id,
        actor=actor,
        project=project.name,
        title=title,
    )


def meeting_planned(project: Project, actor: User, at: datetime) -> None:
    """Tell a project's holders that the network planned an exchange with them."""
    if not mail_configured():
        return
    notify(
        MEETING_PLANNED,
        project.holders,
        path=links.path_for("main.index"),  # the holder's home lists what is planned
        project_id=project.id,
        actor=actor,
        project=project.name,
        at=at.isoformat(),
    )
