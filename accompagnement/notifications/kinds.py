"""The kinds of notification: who may receive each, their default delivery, and their wording.

Adding a kind is one entry here and one call where its event happens. For a task given (as
TASK_ASSIGNED below)::

    TASK_ASSIGNED = register(Kind(
        "task_assigned",
        _l("A task is given to me"),
        defaults={Role.HOLDER: IMMEDIATE, Role.COORDINATOR: IMMEDIATE},
        subject=lambda p: _("%(project)s: a task for you", project=p["project"]),
        line=lambda p: _("%(actor)s gave you the task «%(title)s» on %(project)s", **p),
    ))

then, in the service that assigns it (same transaction as the task)::

    notices.notify(TASK_ASSIGNED, [assignee], project, actor=user, title=task.title,
                   path=url_for("tasks.detail", task_id=task.id))

The settings pages, the signed links, the outbox and the daily digest need nothing more: each
person sees the new kind with its default until they choose, and gets it as they choose. A kind
whose event is a date coming (task due soon, meeting planned) is written the same way by the
command that finds it; what is coming without being news goes in the digest's `COMING` list
(`accompagnement/reminders/coming.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accompagnement.access import Role
from accompagnement.i18n import format_date, format_datetime, label
from accompagnement.notifications.models import DELIVERIES, DIGEST, IMMEDIATE, NEVER

Params = Mapping[str, Any]
DELIVERY_LABELS = {
    IMMEDIATE: _l("Immediately, one e-mail each time"),
    DIGEST: _l("In my daily digest"),
    NEVER: _l("Never"),
}


@dataclass(frozen=True)
class Kind:
    """One kind of notification.

    `defaults` says who may receive it (the roles) and how until they choose; `subject` and
    `line` word it in the current language from the notice's stored parameters (None: the
    digest words it itself, as for the late projects).
    """

    key: str
    label: Any  # a lazy string: the choice's title on the settings page
    defaults: Mapping[Role, str]
    subject: Callable[[Params], str] | None = None
    line: Callable[[Params], str] | None = None
    deliveries: tuple[str, ...] = DELIVERIES


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the known ones (its key is stored: it never changes)."""
    assert kind.key not in KINDS, kind.key
    assert all(d in kind.deliveries for d in kind.defaults.values()), kind.key
    KINDS[kind.key] = kind
    return kind


def kinds_for(role: str) -> list[Kind]:
    """Return the kinds a person of this role may receive, in the settings page's order."""
    return [kind for kind in KINDS.values() if role in kind.defaults]


def _stage(p: Params) -> str:
    return label(p.get("stage"))


def _day(p: Params) -> str:
    return format_date(dt.date.fromisoformat(str(p["due"])), "long")


def _moment(p: Params) -> str:
    """A stored moment (ISO, naive UTC) in the reader's language and time zone."""
    return format_datetime(dt.datetime.fromisoformat(str(p["at"])), "short")


STAGE_CHANGED = register(
    Kind(
        "stage_changed",
        _l("My project changes stage"),
        defaults={Role.HOLDER: IMMEDIATE},
        subject=lambda p: _(
            "%(project)s: now at the stage %(stage)s", project=p["project"], stage=_stage(p)
        ),
        line=lambda p: _(
            "%(project)s moved to the stage %(stage)s (by %(actor)s)",
            project=p["project"],
            stage=_stage(p),
            actor=p["actor"],
        ),
    )
)
COMMENT = register(
    Kind(
        "comment",
        _l("A comment is added to a project I follow"),
        defaults={Role.HOLDER: IMMEDIATE, Role.COORDINATOR: DIGEST},
        subject=lambda p: _("%(project)s: a comment by %(actor)s", **p),
        line=lambda p: _("%(actor)s commented on %(project)s", **p),
    )
)
FORM_SUBMITTED = register(
    Kind(
        "form_submitted",
        _l("A holder submits a stage form"),
        defaults={Role.COORDINATOR: IMMEDIATE},
        subject=lambda p: _(
            "%(project)s: form of the stage %(stage)s submitted",
            project=p["project"],
            stage=_stage(p),
        ),
        line=lambda p: _(
            "%(actor)s submitted the form of the stage %(stage)s of %(project)s",
            project=p["project"],
            stage=_stage(p),
            actor=p["actor"],
        ),
    )
)
TASK_ASSIGNED = register(
    Kind(
        "task_assigned",
        _l("A task is given to me"),
        defaults={Role.HOLDER: IMMEDIATE, Role.COORDINATOR: IMMEDIATE},
        subject=lambda p: _("%(project)s: a task for you", project=p["project"]),
        line=lambda p: _(
            "%(actor)s gave the task «%(title)s» on %(project)s", actor=p["actor"],
            title=p["title"], project=p["project"],
        ),
    )
)  # fmt: skip
MEETING_PLANNED = register(
    Kind(
        "meeting_planned",
        _l("The network plans a meeting with my project"),
        defaults={Role.HOLDER: IMMEDIATE},
        subject=lambda p: _("%(project)s: a meeting with the network on %(when)s",
                            project=p["project"], when=_moment(p)),
        line=lambda p: _("%(actor)s planned a meeting with %(project)s on %(when)s",
                         actor=p["actor"], project=p["project"], when=_moment(p)),
    )
)  # fmt: skip
TASK_DUE_SOON = register(
    Kind(
        "task_due_soon",
        _l("A task of mine is due soon"),
        defaults={Role.HOLDER: IMMEDIATE, Role.COORDINATOR: DIGEST},
        subject=lambda p: _("%(project)s: «%(title)s» is due on %(due)s", project=p["project"],
                            title=p["title"], due=_day(p)),
        line=lambda p: _("«%(title)s» on %(project)s is due on %(due)s", title=p["title"],
                         project=p["project"], due=_day(p)),
    )
)  # fmt: skip
LATE_PROJECTS = register(
    Kind(
        "late_projects",
        _l("Projects become late in their stage or stay without news"),
        defaults={Role.COORDINATOR: DIGEST},
        deliveries=(DIGEST, NEVER),
    )
)
