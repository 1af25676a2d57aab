"""The network's settings: one row per network (several may share an instance later), its
partner organisations, and the kinds of activity it plans (the activity log uses them)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import created_at, in_values, intpk
from accompagnement.extensions import Model
from accompagnement.tenancy import NetworkOwned, scope_default
from accompagnement.territory.models import Departement

PLAN_MAX = 12  # at most one planned activity of a type per month


class ActivityType(StrEnum):
    """Stored keys of the kinds of activity the network plans and reports on."""

    JOURNEE_RENCONTRE = "journee_rencontre"
    REUNION_COORDINATION = "reunion_coordination"
    JOURNEE_TECHNIQUE = "journee_technique"
    COMITE_PILOTAGE = "comite_pilotage"
    SENSIBILISATION = "sensibilisation"
    ANIMATION = "animation"
    VISITE = "visite"
    COLLOQUE = "colloque"
    FORMATION = "formation"


TYPE_LABELS = {
    ActivityType.JOURNEE_RENCONTRE: _l("Meeting day between ressourceries"),
    ActivityType.REUNION_COORDINATION: _l("Coordination meeting"),
    ActivityType.JOURNEE_TECHNIQUE: _l("Technical day"),
    ActivityType.COMITE_PILOTAGE: _l("Steering committee"),
    ActivityType.SENSIBILISATION: _l("Awareness action"),
    ActivityType.ANIMATION: _l("Animation"),
    ActivityType.VISITE: _l("Visit of a ressourcerie"),
    ActivityType.COLLOQUE: _l("Conference or partners' meeting"),
    ActivityType.FORMATION: _l("Training"),
}


class OrganisationKind(StrEnum):
    """Stored keys of the kinds of partner organisation; labels are translated."""

    ADEME = "ademe"
    REGION = "region"
    STATE = "state"
    DEPARTEMENT = "departement"
    SYNDICATE = "syndicate"
    FINANCE = "finance"
    OTHER = "other"


KIND_LABELS = {
    OrganisationKind.ADEME.value: _l("ADEME (ecological transition agency)"),
    OrganisationKind.REGION.value: _l("Région"),
    OrganisationKind.STATE.value: _l("State services (DREAL...)"),
    OrganisationKind.DEPARTEMENT.value: _l("Département council"),
    OrganisationKind.SYNDICATE.value: _l("Waste syndicate"),
    OrganisationKind.FINANCE.value: _l("Solidarity finance"),
    OrganisationKind.OTHER.value: _l("Other partner"),
}


class Network(Model):
    """A network of ressourceries: what it covers, what it plans, how its reports are titled."""

    __tablename__ = "networks"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40), unique=True)
    report_title: Mapped[str | None] = mapped_column(String(200))
    report_intro: Mapped[str | None] = mapped_column(Text)
    report_footer: Mapped[str | None] = mapped_column(Text)
    default_workflow: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[created_at]

    departements: Mapped[list[NetworkDepartement]] = relationship(
        back_populates="network",
        cascade="all, delete-orphan",
        order_by="NetworkDepartement.departement_code",
    )
    plan: Mapped[list[PlanItem]] = relationship(
        cascade="all, delete-orphan", order_by="PlanItem.activity_type"
    )
    organisations: Mapped[list[Organisation]] = relationship(
        back_populates="network", cascade="all, delete-orphan", order_by="Organisation.name"
    )

    @property
    def departement_codes(self) -> list[str]:
        """Return the codes of the départements the network covers, in order."""
        return [d.departement_code for d in self.departements]

    def __repr__(self) -> str:
        return f"<Network {self.id} {self.short_name}>"


class NetworkDepartement(NetworkOwned, Model):
    """A département a network covers."""

    __tablename__ = "network_departements"

    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True, default=scope_default
    )
    departement_code: Mapped[str] = mapped_column(ForeignKey("departements.code"), primary_key=True)
    departement: Mapped[Departement] = relationship()
    network: Mapped[Network] = relationship(back_populates="departements")


class PlanItem(NetworkOwned, Model):
    """How many activities of a type the network plans each year."""

    __tablename__ = "network_plan_items"
    __table_args__ = (
        CheckConstraint(in_values("activity_type", [t.value for t in ActivityType]), name="type"),
        CheckConstraint(f"per_year >= 0 AND per_year <= {PLAN_MAX}", name="per_year"),
    )

    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True, default=scope_default
    )
    activity_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    per_year: Mapped[int]


class Organisation(NetworkOwned, Model):
    """A partner organisation of the network (a funder, a public body); partner accounts belong
    to one."""

    __tablename__ = "partner_organisations"
    __table_args__ = (
        UniqueConstraint("network_id", "name", name="uq_partner_organisations_name"),
        CheckConstraint(in_values("kind", [k.value for k in OrganisationKind]), name="kind"),
    )

    id: Mapped[intpk]
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), default=scope_default
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=OrganisationKind.OTHER.value)
    departement_code: Mapped[str | None] = mapped_column(ForeignKey("departements.code"))
    active: Mapped[bool] = mapped_column(default=True)

    network: Mapped[Network] = relationship(back_populates="organisations")

    @property
    def kind_label(self) -> str:
        """Return the translated label of the kind."""
        return str(KIND_LABELS.get(self.kind, self.kind))

    def __str__(self) -> str:
        return self.name
