"""The territory: départements, intercommunalities (EPCI), waste syndicates and communes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import intpk, str200
from accompagnement.extensions import Model


class Departement(Model):
    """A French département, identified by its code (19, 23, 87, 2A...)."""

    __tablename__ = "departements"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Epci(Model):
    """An intercommunal body (établissement public de coopération intercommunale)."""

    __tablename__ = "epcis"

    id: Mapped[intpk]
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    name: Mapped[str200]


class WasteSyndicate(Model):
    """A waste syndicate serving communes (e.g. SYDED 87)."""

    __tablename__ = "waste_syndicates"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Commune(Model):
    """A commune identified by its INSEE code."""

    __tablename__ = "communes"

    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str200]
    departement_code: Mapped[str] = mapped_column(ForeignKey("departements.code"), index=True)
    epci_id: Mapped[int | None] = mapped_column(ForeignKey("epcis.id"))
    syndicate_id: Mapped[int | None] = mapped_column(ForeignKey("waste_syndicates.id"))
    population: Mapped[int | None]

    departement: Mapped[Departement] = relationship()
    epci: Mapped[Epci | None] = relationship()
    syndicate: Mapped[WasteSyndicate | None] = relationship()

    def __str__(self) -> str:
        return f"{self.name} ({self.insee})"
