"""The network's directory of member ressourceries and recycleries."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import created_at, in_values, intpk
from accompagnement.extensions import Model
from accompagnement.tenancy import NetworkOwned

if TYPE_CHECKING:
    from accompagnement.territory.models import Commune


class MemberStatus(StrEnum):
    MEMBER = "member"
    FORMER = "former"


class MemberKind(StrEnum):
    RESSOURCERIE = "ressourcerie"
    RECYCLERIE = "recyclerie"


FUNCTIONS = ("collecte", "valorisation", "vente", "sensibilisation")


class Member(NetworkOwned, Model):
    """A member structure of the network; may come from an accompanied project."""

    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint(in_values("status", [s.value for s in MemberStatus]), name="status"),
        CheckConstraint(in_values("kind", [k.value for k in MemberKind]), name="kind"),
        UniqueConstraint("network_id", "name", name="uq_members_name"),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=MemberKind.RESSOURCERIE.value)
    commune_insee: Mapped[str | None] = mapped_column(ForeignKey("communes.insee"))
    departement_code: Mapped[str | None] = mapped_column(ForeignKey("departements.code"))
    joined_on: Mapped[date | None]
    left_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default=MemberStatus.MEMBER.value)
    does_collecte: Mapped[bool] = mapped_column(default=True)
    does_valorisation: Mapped[bool] = mapped_column(default=True)
    does_vente: Mapped[bool] = mapped_column(default=True)
    does_sensibilisation: Mapped[bool] = mapped_column(default=True)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    website: Mapped[str | None] = mapped_column(String(255))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[created_at]

    commune: Mapped[Commune | None] = relationship()

    @property
    def functions(self) -> list[str]:
        """Return the keys of the four functions this member runs."""
        return [f for f in FUNCTIONS if getattr(self, f"does_{f}")]

    def __str__(self) -> str:
        return self.name
