"""A request made through the public page, from unconfirmed to the coordinator's decision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accompagnement.db import in_values, intpk, utcnow
from accompagnement.extensions import Model
from accompagnement.tenancy import NetworkOwned

UNCONFIRMED = "unconfirmed"  # waiting for the e-mail link; coordinators do not see it yet
PENDING = "pending"  # confirmed: waiting for a coordinator
ACCEPTED = "accepted"
DECLINED = "declined"
STATUSES = (UNCONFIRMED, PENDING, ACCEPTED, DECLINED)

HOLDER_TYPES = ("association", "collectivite", "individual", "company", "other")


class ProjectRequest(NetworkOwned, Model):
    """What a person wrote on the public page, and what became of it."""

    __tablename__ = "project_requests"
    __table_args__ = (
        CheckConstraint(in_values("status", STATUSES), name="status_known"),
        CheckConstraint(in_values("holder_type", HOLDER_TYPES), name="holder_type_known"),
        Index("ix_project_requests_status_created", "status", "created_at"),
    )

    id: Mapped[intpk]
    status: Mapped[str] = mapped_column(String(12), default=UNCONFIRMED)
    project_name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    commune_insee: Mapped[str | None] = mapped_column(ForeignKey("communes.insee"))
    commune_text: Mapped[str] = mapped_column(String(120), default="")
    holder_type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decline_message: Mapped[str | None] = mapped_column(Text)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
