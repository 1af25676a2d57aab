"""The network's activity log, and the secret tokens of its calendar feed."""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import created_at, in_values, intpk, utcnow
from accompagnement.extensions import Model, db
from accompagnement.network.models import TYPE_LABELS, ActivityType
from accompagnement.tenancy import NetworkOwned

if TYPE_CHECKING:
    from accompagnement.members.models import Member


class VisitorType(StrEnum):
    """Who visited a ressourcerie."""

    COLLECTIVITE = "collectivite"
    PORTEUR_PROJET = "porteur_projet"
    AUTRE = "autre"


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"


VISITOR_LABELS = {
    VisitorType.COLLECTIVITE: _l("Local authority"),
    VisitorType.PORTEUR_PROJET: _l("Project holder"),
    VisitorType.AUTRE: _l("Other visitor"),
}
STATUS_LABELS = {ActivityStatus.PLANNED: _l("Planned"), ActivityStatus.DONE: _l("Done")}
# The steering committee report counts activities: its rows name each type in the plural and
# each kind of visitor as "by ..." (the wording of the ADEME action sheet).
TYPE_PLURAL_LABELS = {
    ActivityType.JOURNEE_RENCONTRE: _l("Meeting days between ressourceries"),
    ActivityType.REUNION_COORDINATION: _l("Coordination meetings"),
    ActivityType.JOURNEE_TECHNIQUE: _l("Technical days"),
    ActivityType.COMITE_PILOTAGE: _l("Steering committees"),
    ActivityType.SENSIBILISATION: _l("Awareness actions"),
    ActivityType.ANIMATION: _l("Animations"),
    ActivityType.VISITE: _l("Visits of ressourceries"),
    ActivityType.COLLOQUE: _l("Conferences or partners' meetings attended"),
    ActivityType.FORMATION: _l("Training sessions"),
}
VISITOR_REPORT_LABELS = {
    VisitorType.COLLECTIVITE: _l("By local authorities"),
    VisitorType.PORTEUR_PROJET: _l("By project holders"),
    VisitorType.AUTRE: _l("By other visitors"),
}

activity_members = Table(
    "activity_members",
    db.metadata,
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
)


class Activity(NetworkOwned, Model):
    """One activity of the network: a meeting, a visit, an awareness action..."""

    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("network_id", "date", "type", "title", name="uq_activities_natural_key"),
        CheckConstraint(in_values("type", [t.value for t in ActivityType]), name="type"),
        CheckConstraint(
            "visitor IS NULL OR " + in_values("visitor", [v.value for v in VisitorType]),
            name="visitor",
        ),
        CheckConstraint(
            "(type = 'visite' AND visitor IS NOT NULL) OR (type <> 'visite' AND visitor IS NULL)",
            name="visitor_only_for_visits",
        ),
        CheckConstraint(in_values("status", [s.value for s in ActivityStatus]), name="status"),
        CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
        CheckConstraint("end_date IS NULL OR end_date >= date", name="end_after_start"),
    )

    id: Mapped[intpk]
    date: Mapped[dt.date] = mapped_column(index=True)
    end_date: Mapped[dt.date | None]
    type: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    visitor: Mapped[str | None] = mapped_column(String(20))
    partner: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=ActivityStatus.DONE.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    members: Mapped[list[Member]] = relationship(secondary=activity_members, order_by="Member.name")

    @property
    def type_label(self) -> str:
        """Return the translated label of the type."""
        return str(TYPE_LABELS.get(self.type, self.type))  # type: ignore[call-overload]

    @property
    def visitor_label(self) -> str:
        """Return the translated label of the visitor type (empty when not a visit)."""
        return str(VISITOR_LABELS.get(self.visitor, "")) if self.visitor else ""  # type: ignore[call-overload]

    @property
    def planned(self) -> bool:
        return self.status == ActivityStatus.PLANNED

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.type} {self.date}>"


def new_calendar_token() -> str:
    """Return a fresh unguessable token for a calendar feed URL."""
    return secrets.token_urlsafe(32)


class CalendarToken(NetworkOwned, Model):
    """The secret part of a coordinator's calendar feed URL (calendar apps cannot sign in)."""

    __tablename__ = "calendar_tokens"
    __table_args__ = (UniqueConstraint("network_id", "user_id", name="uq_calendar_tokens_user_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_calendar_token)
    created_at: Mapped[created_at]


# Indexes of the scale work (issue 10), declared with the queries they serve. Each ends with the
# network: every query of a page runs in a network's scope (tenancy.py), and an index without
# it sent each row of the range to the table for the network's filter (SQLite even scanned the
# table for the log's count); last, the same index still serves queries across networks.
# The report's and the log's counts by type and status in a period (the visits' by visitor too,
# read from the index alone),
Index(
    "ix_activities_type_status_date",
    Activity.type,
    Activity.status,
    Activity.date,
    Activity.visitor,
    Activity.network_id,
)
# the log's planned and done parts in date order (ORDER BY ... LIMIT read from the index), and
# the period's summary (counts by type and visitor) read from it alone,
Index(
    "ix_activities_status_date",
    Activity.status,
    Activity.date,
    Activity.id,
    Activity.type,
    Activity.visitor,
    Activity.network_id,
)
# the log filtered by ressourcerie (the primary key starts with the activity).
Index("ix_activity_members_member_id", activity_members.c.member_id)
