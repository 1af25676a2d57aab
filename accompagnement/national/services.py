"""The national report: every network's steering committee report, added up.

Each network's report is `reports.services.build_report` run inside `network_scope(id)`, whole
(no cut by département), so it is exactly the report its coordinators read. `combine` adds them
as the report rules say; the observatory's ratios (reuse and recovery rates, average basket,
share of women), which are never added nor averaged, come from one more observatory computation
over every network's reports pooled, under `unscoped()`. The cost is one report per network,
whatever the number of projects in each.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from accompagnement.errors import NotFound
from accompagnement.national.combine import combine
from accompagnement.national.queries import network_ids
from accompagnement.reports import figures
from accompagnement.reports.document import Document, layout
from accompagnement.reports.services import build_report
from accompagnement.tenancy import network_scope, unscoped


def network_reports(start: date, end: date, lang: str) -> list[dict[str, Any]]:
    """Build the whole report of each network for the period, in creation order."""
    reports = []
    for network_id in network_ids():
        with network_scope(network_id):
            reports.append(build_report(start, end, None, lang))
    return reports


def pooled_observatory(start: date, end: date) -> dict[str, Any]:
    """Compute the observatory figures of the period over every network's reports at once."""
    with unscoped():
        return figures.observatory(start, end, None)


def national_report(start: date, end: date, lang: str) -> dict[str, Any]:
    """Build the national report of the period: the networks' reports added up."""
    reports = network_reports(start, end, lang)
    if not reports:
        raise NotFound(_("No network has been set up yet."))
    national = combine(reports, pooled_observatory(start, end))
    with force_locale(lang):  # the report's language, not necessarily the reader's
        national["network"]["name"] = ngettext(
            "National report: %(num)s network added up",
            "National report: %(num)s networks added up",
            len(reports),
        )
    return national


def national_document(start: date, end: date, lang: str) -> Document:
    """Lay out the national report of the period, worded as the national one, for every format."""
    return layout(national_report(start, end, lang), lang, national=True)
