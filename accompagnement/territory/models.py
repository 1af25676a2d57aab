"""The territory: régions, départements, intercommunalities (EPCI), waste syndicates, communes.

The official geography (INSEE COG) is vendored in `data/` and loaded by `territory.loader`.
Waste syndicates are not part of it: the coordinator manages them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from accompagnement.db import intpk, str200
from accompagnement.extensions import Model
from accompagnement.territory.search import search_key


class Region(Model):
    """A French région, identified by its INSEE code (75 Nouvelle-Aquitaine...)."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Departement(Model):
    """A French département, identified by its code (19, 23, 87, 2A, 971...)."""

    __tablename__ = "departements"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # No foreign key in the database: SQLite could only add one by rebuilding this table, which
    # communes and members reference. Only `territory load` writes it, from the same file.
    region_code: Mapped[str | None] = mapped_column(String(3))

    region: Mapped[Region | None] = relationship(
        primaryjoin="foreign(Departement.region_code) == Region.code"
    )


class Epci(Model):
    """An intercommunal body (établissement public de coopération intercommunale)."""

    __tablename__ = "epcis"

    id: Mapped[intpk]
    siren: Mapped[str | None] = mapped_column(String(9), unique=True)
    name: Mapped[str200]
    kind: Mapped[str | None] = mapped_column(String(10))  # CC, CA, CU, METRO, MET69


class WasteSyndicate(Model):
    """A waste syndicate serving communes (e.g. SYDED 87)."""

    __tablename__ = "waste_syndicates"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Commune(Model):
    """A commune identified by its INSEE code."""

    __tablename__ = "communes"
    __table_args__ = (
        # Prefix searches: LIKE 'key%' on PostgreSQL needs the pattern operator class.
        Index(
            "ix_communes_search_key",
            "search_key",
            postgresql_ops={"search_key": "text_pattern_ops"},
        ),
        # Projects counted by département: each project's commune found in the index alone.
        Index("ix_communes_insee_departement", "insee", "departement_code"),
    )

    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str200]
    departement_code: Mapped[str] = mapped_column(ForeignKey("departements.code"), index=True)
    epci_id: Mapped[int | None] = mapped_column(ForeignKey("epcis.id"))
    syndicate_id: Mapped[int | None] = mapped_column(ForeignKey("waste_syndicates.id"))
    population: Mapped[int | None]
    # Space-separated postal codes ("87000 87100 87280").
    postal_codes: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The name without accents, case or punctuation ("saint junien"): what searches compare.
    search_key: Mapped[str] = mapped_column(String(200), default="", server_default="")

    departement: Mapped[Departement] = relationship()
    epci: Mapped[Epci | None] = relationship()
    syndicate: Mapped[WasteSyndicate | None] = relationship()

    @validates("name")
    def _keep_search_key(self, _key: str, name: str) -> str:
        self.search_key = search_key(name)
        return name

    def __str__(self) -> str:
        return f"{self.name} ({self.insee})"


class CommuneAlias(Model):
    """A former, delegated or associated commune code, or a municipal arrondissement, and the
    current commune it belongs to (reloaded whole by `territory load`)."""

    __tablename__ = "commune_aliases"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))  # ancienne, deleguee, associee, arrondissement
    commune_insee: Mapped[str] = mapped_column(ForeignKey("communes.insee"), index=True)
