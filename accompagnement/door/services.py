"""Use cases of the public door: submit, confirm, accept, decline, purge (flush, never commit).

A decision is one guarded UPDATE (`status = 'pending'` in its WHERE clause): of two coordinators
deciding the same request at once, exactly one changes the row; the other is told it was decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import CursorResult, delete, func, select, update

from accompagnement.access import Role
from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.auth.services import (
    active_coordinator,
    create_user,
    find_by_email,
    join_network,
    normalise_email,
)
from accompagnement.db import utcnow
from accompagnement.door.models import (
    ACCEPTED,
    DECLINED,
    PENDING,
    UNCONFIRMED,
    ProjectRequest,
)
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.network.models import Network
from accompagnement.outbox.services import enqueue
from accompagnement.projects.models import Project
from accompagnement.projects.services import create_project

CONFIRM_SALT = "door.confirm"
FORM_SALT = "door.form"


class TooMany(InvalidInput):
    """The door takes no more requests for now (the global hourly limit is reached)."""

    status = 429


class AlreadyDecided(InvalidInput):
    """Another coordinator decided this request first."""

    status = 409


@dataclass(frozen=True)
class Submission:
    """The plain values a person wrote on the public page."""

    project_name: str
    contact_name: str
    email: str
    phone: str
    commune_insee: str
    commune_text: str
    holder_type: str
    description: str
    locale: str


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def form_stamp() -> str:
    """Return the signed time at which the form was shown (checked when it comes back)."""
    return _serializer(FORM_SALT).dumps("door")


def seconds_since_shown(stamp: str) -> float | None:
    """How long the form was open, from its stamp; None when the stamp is missing, forged or old."""
    max_age = int(current_app.config["DOOR_FORM_MAX_HOURS"]) * 3600
    try:
        _value, shown_at = _serializer(FORM_SALT).loads(
            stamp, max_age=max_age, return_timestamp=True
        )
    except (BadSignature, SignatureExpired, TypeError, ValueError):
        return None
    return (dt.datetime.now(dt.UTC) - shown_at).total_seconds()


def submit(values: Submission) -> ProjectRequest:
    """Record an unconfirmed request, unless the door's hourly limit is reached."""
    since = utcnow() - dt.timedelta(hours=1)
    recent = db.session.scalar(
        select(func.count()).select_from(ProjectRequest).where(ProjectRequest.created_at >= since)
    )
    if (recent or 0) >= int(current_app.config["DOOR_REQUESTS_PER_HOUR"]):
        raise TooMany(_("Many requests are arriving right now. Please try again in an hour."))
    request = ProjectRequest(
        project_name=values.project_name.strip(),
        contact_name=values.contact_name.strip(),
        email=normalise_email(values.email),
        phone=values.phone.strip() or None,
        commune_insee=values.commune_insee or None,
        commune_text=values.commune_text.strip(),
        holder_type=values.holder_type,
        description=values.description.strip(),
        locale=values.locale,
    )
    db.session.add(request)
    db.session.flush()
    return request


def confirmation_token(request: ProjectRequest) -> str:
    """Sign the request's id, address and network: the link proves the person reads that
    mailbox, and names the network the request belongs to (the page opens in that one)."""
    return _serializer(CONFIRM_SALT).dumps([request.id, request.email, request.network_id])


def _token_values(token: str) -> list[Any] | None:
    """Return [id, e-mail] or [id, e-mail, network id] of a valid link; None otherwise."""
    max_age = int(current_app.config["DOOR_CONFIRM_HOURS"]) * 3600
    try:
        values = _serializer(CONFIRM_SALT).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired, TypeError, ValueError):
        return None
    return values if isinstance(values, list) and len(values) in (2, 3) else None


def network_of_token(token: str) -> int | None:
    """Return the network a valid confirmation link names (None: invalid, or a link made before
    links named their network: the instance's first network, as then)."""
    values = _token_values(token)
    network_id = values[2] if values is not None and len(values) == 3 else None
    return network_id if isinstance(network_id, int) else None


def network_name(request: ProjectRequest) -> str:
    """Return the name of the network a request was made to (for its e-mails)."""
    network = db.session.get(Network, request.network_id)
    return network.name if network is not None else ""


def mail_confirmation(request: ProjectRequest, url: str) -> None:
    """Put the confirmation e-mail in the outbox, in the person's language."""
    network = network_name(request)
    with force_locale(request.locale):
        subject = _("Confirm your request to %(network)s", network=network)
        body = render_template(
            "door/mail/confirm.txt",
            request=request,
            network=network,
            url=url,
            hours=current_app.config["DOOR_CONFIRM_HOURS"],
        )
    enqueue(request.email, subject, body, kind="door.confirm")


def request_for_token(token: str) -> ProjectRequest:
    """Return the request a confirmation link names, in the network in scope (the link's: see
    `network_of_token`); NotFound when the link is not valid."""
    values = _token_values(token)
    if values is None:
        raise NotFound(_("This link is not valid or has expired."))
    request_id, email = values[0], values[1]
    request = db.session.get(ProjectRequest, request_id) if isinstance(request_id, int) else None
    if request is None or request.email != email:
        raise NotFound(_("This link is not valid or has expired."))
    return request


def confirm(token: str) -> ProjectRequest:
    """Confirm the address: the request now reaches the coordinators (idempotent)."""
    request = request_for_token(token)
    if request.status == UNCONFIRMED:
        db.session.execute(
            update(ProjectRequest)
            .where(ProjectRequest.id == request.id, ProjectRequest.status == UNCONFIRMED)
            .values(status=PENDING, confirmed_at=utcnow())
        )
        db.session.refresh(request)
        record("door.confirmed", user_id=None, request=request.id)
        db.session.flush()
    return request


def pending_request(request_id: int) -> ProjectRequest:
    """Return a request coordinators may see (confirmed); NotFound otherwise."""
    request = db.session.get(ProjectRequest, request_id)
    if request is None or request.status == UNCONFIRMED:
        raise NotFound("No such request")
    return request


def _decide(request: ProjectRequest, status: str, user: User, **values: object) -> None:
    """Move a pending request to its decision, once: a second decision is refused."""
    result = db.session.execute(
        update(ProjectRequest)
        .where(ProjectRequest.id == request.id, ProjectRequest.status == PENDING)
        .values(status=status, decided_at=utcnow(), decided_by_id=user.id, **values)
        .execution_options(synchronize_session=False)
    )
    changed = cast(CursorResult[Any], result).rowcount
    if changed != 1:
        raise AlreadyDecided(_("This request was already decided by someone else."))
    db.session.refresh(request)


def accept(
    request_id: int,
    *,
    user_id: int,
    project_name: str,
    workflow_name: str,
    commune_insee: str | None,
) -> tuple[Project, User, bool]:
    """Start the project at its first stage with the person as holder.

    Returns the project, the holder, and whether the holder is a new account (to be invited).
    An address that belongs to an account of another role is refused: one person, one role.
    """
    user = active_coordinator(user_id, "Only a coordinator can decide on a request")
    request = pending_request(request_id)
    holder, created = _holder_for(request)
    project = create_project(
        project_name,
        workflow_name=workflow_name,
        user_id=user.id,
        holder_ids=[holder.id],
        commune_insee=commune_insee,
    )
    _decide(request, ACCEPTED, user, project_id=project.id)
    record("door.accepted", user_id=user.id, project_id=project.id, request=request.id)
    db.session.flush()
    return project, holder, created


def _holder_for(request: ProjectRequest) -> tuple[User, bool]:
    """Return the holder account of the request's address in this network, and whether it is
    new. A person known in another network only becomes a holder in this one too; an address
    of an account with another role here (or national staff) is refused: one person, one role."""
    holder = find_by_email(request.email)
    if holder is None:
        holder = create_user(request.email, name=request.contact_name, role=Role.HOLDER.value)
        holder.locale = request.locale
        holder.phone = request.phone
        return holder, True
    if holder.role == "":
        join_network(holder, Role.HOLDER.value)
    if holder.role != Role.HOLDER:
        raise InvalidInput(
            _("This address belongs to an account that is not a project holder's."),
            {"email": _("This address belongs to an account that is not a project holder's.")},
        )
    return holder, False


def decline(request_id: int, *, user_id: int, message: str) -> ProjectRequest:
    """Decline with a message, e-mailed to the person in their language."""
    user = active_coordinator(user_id, "Only a coordinator can decide on a request")
    message = message.strip()
    if not message:
        text = _("Write a few words to the person: they will receive them by e-mail.")
        raise InvalidInput(text, {"message": text})
    request = pending_request(request_id)
    _decide(request, DECLINED, user, decline_message=message)
    network = network_name(request)
    with force_locale(request.locale):
        subject = _("Your request to %(network)s", network=network)
        body = render_template("door/mail/declined.txt", request=request, network=network)
    enqueue(request.email, subject, body, kind="door.declined")
    record("door.declined", user_id=user.id, request=request.id)
    db.session.flush()
    return request


def purge_unconfirmed(now: dt.datetime | None = None, *, dry_run: bool = False) -> int:
    """Delete (or count) the requests never confirmed within the link's lifetime."""
    limit = (now or utcnow()) - dt.timedelta(hours=int(current_app.config["DOOR_CONFIRM_HOURS"]))
    expired = (ProjectRequest.status == UNCONFIRMED, ProjectRequest.created_at < limit)
    if dry_run:
        query = select(func.count()).select_from(ProjectRequest).where(*expired)
        return int(db.session.scalar(query) or 0)
    result = cast(CursorResult[Any], db.session.execute(delete(ProjectRequest).where(*expired)))
    db.session.flush()
    return int(result.rowcount or 0)
