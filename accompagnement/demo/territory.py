"""The territory of the former Limousin region: départements, EPCI, waste syndicates, communes.

INSEE codes are the real ones; populations are rounded orders of magnitude, for demo use.
"""

from __future__ import annotations

from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.territory.models import Commune, Departement, Epci, WasteSyndicate

DEPARTEMENTS = {"19": "Corrèze", "23": "Creuse", "87": "Haute-Vienne"}

SYNDICATES = (
    "SYDED 87",
    "Evolis 23",
    "SYTTOM 19",
    "SIRTOM de la région de Brive",
    "Limoges Métropole (régie)",
)

# insee, name, département, EPCI, waste syndicate, population
COMMUNES = (
    ("87085", "Limoges", "87", "Limoges Métropole", "Limoges Métropole (régie)", 130000),
    ("19272", "Tulle", "19", "Tulle Agglo", "SYTTOM 19", 14500),
    (
        "19031",
        "Brive-la-Gaillarde",
        "19",
        "Agglomération du Bassin de Brive",
        "SIRTOM de la région de Brive",
        46500,
    ),
    ("19275", "Ussel", "19", "Haute-Corrèze Communauté", "SYTTOM 19", 9600),
    ("23096", "Guéret", "23", "Agglomération du Grand Guéret", "Evolis 23", 12800),
    ("23008", "Aubusson", "23", "Creuse Grand Sud", "Evolis 23", 3300),
    ("23079", "Felletin", "23", "Creuse Grand Sud", "Evolis 23", 1700),
    ("23176", "La Souterraine", "23", "Monts et Vallées Ouest Creuse", "Evolis 23", 5200),
    ("23030", "Bourganeuf", "23", "Creuse Sud Ouest", "Evolis 23", 2500),
    ("87064", "Eymoutiers", "87", "Portes de Vassivière", "SYDED 87", 2000),
    ("87154", "Saint-Junien", "87", "Porte Océane du Limousin", "SYDED 87", 11500),
    ("87011", "Bellac", "87", "Haut Limousin en Marche", "SYDED 87", 3600),
    ("87187", "Saint-Yrieix-la-Perche", "87", "Pays de Saint-Yrieix", "SYDED 87", 6800),
)


def load_territory() -> None:
    """Insert the départements, EPCI, syndicates and communes that are missing (idempotent)."""
    for code, name in DEPARTEMENTS.items():
        if db.session.get(Departement, code) is None:
            db.session.add(Departement(code=code, name=name))
    syndicates = {s.name: s for s in db.session.scalars(select(WasteSyndicate))}
    for name in SYNDICATES:
        if name not in syndicates:
            syndicates[name] = WasteSyndicate(name=name)
            db.session.add(syndicates[name])
    epcis = {e.name: e for e in db.session.scalars(select(Epci))}
    for insee, name, dep, epci_name, syndicate, population in COMMUNES:
        if epci_name not in epcis:
            epcis[epci_name] = Epci(name=epci_name)
            db.session.add(epcis[epci_name])
        if db.session.get(Commune, insee) is None:
            db.session.add(
                Commune(
                    insee=insee,
                    name=name,
                    departement_code=dep,
                    epci=epcis[epci_name],
                    syndicate=syndicates[syndicate],
                    population=population,
                )
            )
    db.session.flush()
