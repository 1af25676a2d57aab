"""The licences an open data package may carry, and the one of each network.

Licence Ouverte 2.0 (etalab-2.0) by default: the French State's licence for public data,
compatible with CC-BY 4.0 and ODC-BY. `OPENDATA_LICENCE` changes the default,
`OPENDATA_NETWORK_LICENCES` (`short_name=licence,...`) one network's; an unknown licence stops
the application at start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accompagnement.config import ConfigError


@dataclass(frozen=True)
class Licence:
    """A licence as a Data Package names it: id, title (its own name), where its text is."""

    name: str
    title: str
    path: str

    def descriptor(self) -> dict[str, str]:
        """Return the licence as an entry of a Data Package's `licenses`."""
        return {"name": self.name, "title": self.title, "path": self.path}


KNOWN: dict[str, Licence] = {
    licence.name: licence
    for licence in (
        Licence(
            "etalab-2.0",
            "Licence Ouverte / Open Licence version 2.0",
            "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        ),
        Licence(
            "cc-by-4.0",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "odc-odbl-1.0",
            "Open Data Commons Open Database License 1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
        Licence(
            "cc0-1.0",
            "CC0 1.0 Universal",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
    )
}
DEFAULT = "etalab-2.0"


def check(config: Mapping[str, Any]) -> None:
    """Refuse a configuration naming an unknown licence."""
    named = {"OPENDATA_LICENCE": config.get("OPENDATA_LICENCE") or DEFAULT}
    for short_name, licence in (config.get("OPENDATA_NETWORK_LICENCES") or {}).items():
        named[f"OPENDATA_NETWORK_LICENCES ({short_name})"] = licence
    for setting, licence in named.items():
        if licence not in KNOWN:
            raise ConfigError(f"{setting}: unknown licence {licence!r} (known: {', '.join(KNOWN)})")


def licence_for(short_name: str, config: Mapping[str, Any]) -> Licence:
    """Return the licence of a network's open data: its own, else the configured default."""
    networks = config.get("OPENDATA_NETWORK_LICENCES") or {}
    return KNOWN[networks.get(short_name) or config.get("OPENDATA_LICENCE") or DEFAULT]
