"""The demo's territory: the official geography (loaded when missing) and fictitious links of a
few Limousin communes to their waste syndicates (syndicates are not in the official data)."""

from __future__ import annotations

from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.territory.loader import load_if_empty
from accompagnement.territory.models import Commune, WasteSyndicate

# insee, waste syndicate
SYNDICATE_OF = (
    ("87085", "Limoges Métropole (régie)"),
    ("19272", "SYTTOM 19"),
    ("19031", "SIRTOM de la région de Brive"),
    ("19275", "SYTTOM 19"),
    ("23096", "Evolis 23"),
    ("23008", "Evolis 23"),
    ("23079", "Evolis 23"),
    ("23176", "Evolis 23"),
    ("23030", "Evolis 23"),
    ("87064", "SYDED 87"),
    ("87154", "SYDED 87"),
    ("87011", "SYDED 87"),
    ("87187", "SYDED 87"),
)


def load_territory() -> None:
    """Load the geography if needed, then the demo syndicates and their communes (idempotent)."""
    load_if_empty(db.session.connection())
    syndicates = {s.name: s for s in db.session.scalars(select(WasteSyndicate))}
    for name in dict.fromkeys(name for _, name in SYNDICATE_OF):
        if name not in syndicates:
            syndicates[name] = WasteSyndicate(name=name)
            db.session.add(syndicates[name])
    db.session.flush()
    for insee, name in SYNDICATE_OF:
        commune = db.session.get(Commune, insee)
        if commune is not None and commune.syndicate_id is None:
            commune.syndicate_id = syndicates[name].id
    db.session.flush()
