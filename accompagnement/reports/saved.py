"""Named saved reports: create one for a period, write its narrative as versions, freeze it.

A coordinator names a report ("Comité de pilotage 2014") for a period and, optionally, one
département; writes its qualitative parts (highlights, difficulties, outlook), each save being a
new numbered version; and freezes it once presented, which keeps the figures as `build_report`
gave them then (a JSON snapshot). A frozen report is drawn from its snapshot in every format, and
`compare.differences` lists what a late correction changed in the live figures.

Who reads what: coordinators read and write every saved report; a partner reads the current
narrative and the figures of the saved reports within its départements (`partner_scope`: all of
them when it is not limited, else only those scoped to one of its départements: a report of the
whole network is not theirs). Only coordinators see the list of versions and the old ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from accompagnement.access import Role
from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.auth.queries import partner_scope
from accompagnement.auth.services import active_coordinator
from accompagnement.db import utcnow
from accompagnement.errors import InvalidInput, NotFound, StaleEdit
from accompagnement.extensions import db
from accompagnement.network import queries as network_queries
from accompagnement.pagination import Page, clamp
from accompagnement.reports.document import Document, Part, day, layout, paragraphs
from accompagnement.reports.labels import text
from accompagnement.reports.models import (
    NAME_MAX,
    NARRATIVE_MAX,
    NARRATIVE_PARTS,
    NarrativeVersion,
    SavedReport,
)
from accompagnement.reports.period import parse_period
from accompagnement.reports.services import build_report

PER_PAGE = 25
# Characters a narrative keeps among the invisible ones: its line breaks and tabs.
KEPT_CONTROLS = frozenset("\n\t")


@dataclass(frozen=True)
class ReportInput:
    """What a coordinator types to create a saved report (raw strings)."""

    name: str
    start: str
    end: str
    departement: str = ""


# --- Writing -------------------------------------------------------------------------------------


def create_report(values: ReportInput, *, user_id: int) -> SavedReport:
    """Create a named report for a period (and a département), with no narrative yet."""
    active_coordinator(user_id, _("Only a coordinator may create a saved report."))
    name, errors = _checked_name(values.name), {}
    if not name:
        errors["name"] = _("Enter a name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Use at most %(count)s characters.", count=NAME_MAX)
    elif _named(name) is not None:
        errors["name"] = _("A saved report already has this name.")
    try:
        start, end = parse_period(values.start, values.end)
    except InvalidInput as exc:
        errors.update(exc.errors)
    departement = values.departement.strip() or None
    if departement and departement not in {d.code for d in network_queries.departements()}:
        errors["departement"] = _("Choose one of the network's départements.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)
    report = SavedReport(
        name=name, start_on=start, end_on=end, departement_code=departement, created_by_id=user_id
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError as exc:  # the same name saved by someone else meanwhile
        message = _("A saved report already has this name.")
        raise InvalidInput(message, {"name": message}) from exc
    record("reports.saved_created", user_id=user_id, report_id=report.id, name=name)
    return report


def save_narrative(
    report_id: int, texts: Mapping[str, str], *, user_id: int, base_version: int
) -> NarrativeVersion:
    """Save the narrative as a new version, unless another was saved since `base_version`."""
    active_coordinator(user_id, _("Only a coordinator may write a report's narrative."))
    report = _locked(report_id)
    current = current_version(report.id)
    if base_version != (current.number if current else 0):
        raise _stale(current)
    clean = {key: _checked_text(texts.get(key) or "") for key in NARRATIVE_PARTS}
    errors = {
        key: _("Use at most %(count)s characters.", count=NARRATIVE_MAX)
        for key, value in clean.items()
        if len(value) > NARRATIVE_MAX
    }
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)
    if current is not None and current.texts() == clean:
        return current  # nothing changed: no new version
    version = NarrativeVersion(
        report_id=report.id, number=(current.number if current else 0) + 1, author_id=user_id,
        **clean,
    )  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError as exc:  # a concurrent save took this number
        raise _stale(current_version(report.id)) from exc
    report.updated_at = utcnow()
    record("reports.narrative_saved", user_id=user_id, report_id=report.id, version=version.number)
    return version


def freeze(report_id: int, *, user_id: int) -> SavedReport:
    """Keep the report's figures as they are now; later corrections no longer change it."""
    active_coordinator(user_id, _("Only a coordinator may freeze a saved report."))
    report = _locked(report_id)
    if report.frozen:
        raise InvalidInput(_("This report is already frozen."))
    report.snapshot = live_figures(report)
    report.frozen_at, report.frozen_by_id = utcnow(), user_id
    db.session.flush()
    record("reports.saved_frozen", user_id=user_id, report_id=report.id)
    return report


def _locked(report_id: int) -> SavedReport:
    """Load a report for a write, locking its row (PostgreSQL; SQLite writes one at a time)."""
    query = select(SavedReport).where(SavedReport.id == report_id).with_for_update()
    report = db.session.scalars(query.execution_options(populate_existing=True)).first()
    if report is None:
        raise NotFound(_("No such saved report."))
    return report


def _stale(current: NarrativeVersion | None) -> StaleEdit:
    author = current.author.name if current and current.author else None
    return StaleEdit(
        _("Someone else saved this narrative since you opened it."),
        current.number if current else 0,
        author,
    )


def _checked_name(raw: str) -> str:
    return " ".join(_invisible_removed(raw or "", keep=frozenset()).split())


def _checked_text(raw: str) -> str:
    """Keep plain text: line breaks normalised, invisible and control characters removed."""
    unified = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _invisible_removed(unified, keep=KEPT_CONTROLS).strip()


def _invisible_removed(raw: str, keep: frozenset[str]) -> str:
    return "".join(
        ch for ch in raw if ch in keep or unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"}
    )


# --- Reading -------------------------------------------------------------------------------------


def _readable_by(user: User) -> ColumnElement[bool]:
    """The saved reports a user may read: the hook where a partner's départements apply."""
    if user.role == Role.COORDINATOR:
        return true()
    if user.role != Role.PARTNER:
        return SavedReport.id.is_(None)
    scope = partner_scope(user)
    return true() if scope is None else SavedReport.departement_code.in_(sorted(scope))


def readable_report(user: User, report_id: int) -> SavedReport:
    """Return a saved report the user may read; NotFound for the others, as if absent."""
    query = select(SavedReport).where(SavedReport.id == report_id, _readable_by(user))
    report = db.session.scalars(query).first()
    if report is None:
        raise NotFound(_("No such saved report."))
    return report


def reports_page(user: User, number: int) -> tuple[Page, list[SavedReport]]:
    """Return one page of the saved reports the user may read, newest period first."""
    visible = _readable_by(user)
    total = db.session.scalar(select(func.count(SavedReport.id)).where(visible)) or 0
    page = clamp(number, total, PER_PAGE)
    query = (
        select(SavedReport)
        .where(visible)
        .order_by(SavedReport.end_on.desc(), SavedReport.id.desc())
        .offset(page.offset)
        .limit(page.per_page)
    )
    return page, list(db.session.scalars(query))


def current_version(report_id: int) -> NarrativeVersion | None:
    """Return the newest version of a report's narrative, None before the first save."""
    query = (
        select(NarrativeVersion)
        .where(NarrativeVersion.report_id == report_id)
        .order_by(NarrativeVersion.number.desc())
        .limit(1)
    )
    return db.session.scalars(query).first()


def version(report_id: int, number: int) -> NarrativeVersion:
    """Return one version of a report's narrative (NotFound when there is no such number)."""
    found = db.session.scalars(
        select(NarrativeVersion).where(
            NarrativeVersion.report_id == report_id, NarrativeVersion.number == number
        )
    ).first()
    if found is None:
        raise NotFound(_("No such version of the narrative."))
    return found


def versions_page(report_id: int, number: int) -> tuple[Page, list[NarrativeVersion]]:
    """Return one page of a report's versions, newest first, with their authors."""
    where = NarrativeVersion.report_id == report_id
    total = db.session.scalar(select(func.count(NarrativeVersion.id)).where(where)) or 0
    page = clamp(number, total, PER_PAGE)
    query = (
        select(NarrativeVersion)
        .where(where)
        .options(joinedload(NarrativeVersion.author))
        .order_by(NarrativeVersion.number.desc())
        .offset(page.offset)
        .limit(page.per_page)
    )
    return page, list(db.session.scalars(query))


def find_report(reference: str) -> SavedReport:
    """Return the saved report named `reference`, or whose id it is (for the command line)."""
    by_name = _named(" ".join(reference.split()))
    if by_name is not None:
        return by_name
    if reference.strip().isdigit() and len(reference.strip()) < 10:
        found = db.session.get(SavedReport, int(reference.strip()))
        if found is not None:
            return found
    raise NotFound(_("No saved report is named %(name)s.", name=reference))


def _named(name: str) -> SavedReport | None:
    return db.session.scalars(select(SavedReport).where(SavedReport.name == name)).first()


# --- Figures and layout --------------------------------------------------------------------------


def live_figures(report: SavedReport) -> dict[str, Any]:
    """Build the report's figures from the data as it is now (its département when scoped)."""
    code = report.departement_code
    return build_report(report.start_on, report.end_on, [code] if code else None)


def figures(report: SavedReport) -> dict[str, Any]:
    """Return the figures a saved report shows: its snapshot once frozen, else the live ones."""
    return dict(report.snapshot) if report.snapshot is not None else live_figures(report)


def narrative_of(version: NarrativeVersion | None) -> dict[str, Any]:
    """Return a narrative as JSON-ready data (empty texts before the first save)."""
    texts = version.texts() if version else dict.fromkeys(NARRATIVE_PARTS, "")
    return {
        "version": version.number if version else 0,
        "saved_at": version.created_at.isoformat(timespec="seconds") if version else None,
        **texts,
    }


def as_json(report: SavedReport, version: NarrativeVersion | None) -> dict[str, Any]:
    """Return a saved report's figures with its `narrative` and `saved_report` keys."""
    frozen = report.frozen_at.isoformat(timespec="seconds") if report.frozen_at else None
    return {
        **figures(report),
        "saved_report": {
            "id": report.id, "name": report.name, "departement": report.departement_code,
            "frozen_at": frozen,
        },
        "narrative": narrative_of(version),
    }  # fmt: skip


def saved_layout(
    report: SavedReport,
    version: NarrativeVersion | None,
    lang: str,
    data: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Document:
    """Lay out a saved report: its name as title, its narrative, then its figures."""
    doc = layout(dict(data) if data is not None else figures(report), lang, today)
    doc.subtitle = f"{doc.title} · {doc.subtitle}"
    doc.title = report.name
    if report.departement_code:
        doc.period += " · " + text("scope", lang, departement=report.departement_code)
    if report.frozen_at is not None:
        doc.notice = text("frozen", lang, date=day(report.frozen_at.date(), lang))
    texts = version.texts() if version else {}
    doc.narrative = [
        Part(key, text(key, lang), paragraphs(texts.get(key, "")))
        for key in NARRATIVE_PARTS
        if texts.get(key)
    ]
    return doc
