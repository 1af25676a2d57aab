"""The open data package of a network for a year, built once for the command and the page.

A Frictionless (Tabular) Data Package: `datapackage.json` describes the package (title,
licence, and a Table Schema per resource) and each resource is a UTF-8 CSV file beside it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from accompagnement.csvsafe import write_csv
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.network.models import Network
from accompagnement.opendata import queries
from accompagnement.opendata.licences import licence_for
from accompagnement.opendata.resources import BY_NAME, RESOURCES, Resource

FIRST_YEAR = 1990  # before any network of ressourceries
DESCRIPTOR = "datapackage.json"


def check_year(year: int) -> int:
    """Return the year if a package can be made for it, else raise InvalidInput."""
    this_year = date.today().year
    if not FIRST_YEAR <= year <= this_year:
        raise InvalidInput(
            _("The year must be between %(first)s and %(last)s.", first=FIRST_YEAR, last=this_year)
        )
    return year


def licence_of(network: Network) -> dict[str, str]:
    """Return the licence of the network's open data (the network's own, else the default)."""
    return licence_for(network.short_name, current_app.config).descriptor()


def years(today: date | None = None) -> list[int]:
    """Return the years a package is offered for, most recent first (the current one too)."""
    last = (today or date.today()).year
    first = max(queries.first_year() or last, FIRST_YEAR)
    return list(range(last, min(first, last) - 1, -1))


@dataclass(frozen=True)
class DataPackage:
    """A network's open data for one year, in one language."""

    network: Network
    year: int
    lang: str = "fr"

    def descriptor(self) -> dict[str, Any]:
        """Return the contents of datapackage.json."""
        with force_locale(self.lang):
            return {
                "profile": "tabular-data-package",
                "name": _slug(f"{self.network.short_name}-{self.year}"),
                "title": _(
                    "%(network)s: open data %(year)s", network=self.network.name, year=self.year
                ),  # fmt: skip
                "description": _(
                    "Figures of the network for %(year)s: totals of its observatory, projects "
                    "by stage and département, member directory. No personal data.",
                    year=self.year,
                ),
                "licenses": [licence_of(self.network)],
                "resources": [self._resource(r) for r in RESOURCES],
            }

    def _resource(self, resource: Resource) -> dict[str, Any]:
        return {
            "profile": "tabular-data-resource",
            "name": resource.name,
            "path": f"{resource.name}.csv",
            "title": str(resource.title),
            "description": str(resource.description),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": resource.schema(),
        }

    def descriptor_json(self) -> str:
        """Return datapackage.json as text."""
        return json.dumps(self.descriptor(), ensure_ascii=False, indent=2) + "\n"

    def csv(self, name: str) -> str:
        """Return the CSV file of the resource `name` (NotFound when there is none)."""
        resource = BY_NAME.get(name)
        if resource is None:
            raise NotFound(_("This open data package has no such file."))
        with force_locale(self.lang):
            rows = list(resource.rows(self.network, self.year, self.lang))
        return write_csv(rows, [f.name for f in resource.fields])

    def files(self) -> dict[str, str]:
        """Return every file of the package by name: the descriptor and each CSV."""
        return {DESCRIPTOR: self.descriptor_json()} | {
            f"{r.name}.csv": self.csv(r.name) for r in RESOURCES
        }

    def write(self, directory: Path) -> list[Path]:
        """Write the package's files into `directory` (created if needed); return their paths."""
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in self.files().items():
            path = directory / name
            path.write_text(text, encoding="utf-8", newline="")
            written.append(path)
        return written


def _slug(text: str) -> str:
    """Return a package name as Data Package names go: lower case, digits, - _ . only."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "network"
