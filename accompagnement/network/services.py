"""Use cases on the network's settings: set it up, its plan, its partner organisations.

Services take plain values, flush and never commit. An instance serves several networks: the
one set up and edited is the network in scope (`accompagnement.tenancy`); `create_network` adds
another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from accompagnement.audit.services import record
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.network.models import (
    PLAN_MAX,
    ActivityType,
    Network,
    NetworkDepartement,
    Organisation,
    OrganisationKind,
    PlanItem,
)
from accompagnement.network.queries import current_network, network_by_short_name
from accompagnement.territory.models import Departement

SHORT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
TEXT_MAX = 5000


@dataclass(frozen=True)
class Settings:
    """The network's settings as typed in a form or on the command line."""

    name: str
    short_name: str
    departements: Sequence[str]
    default_workflow: str | None = None
    report_title: str | None = None
    report_intro: str | None = None
    report_footer: str | None = None


def parse_codes(text: str) -> list[str]:
    """Split "19, 23;87" into codes, upper-cased (2A, 2B), without duplicates, in order."""
    codes = [c.strip().upper() for c in re.split(r"[,;\s]+", text or "") if c.strip()]
    return list(dict.fromkeys(codes))


def _clean(text: str | None) -> str | None:
    value = (text or "").strip().replace("\r\n", "\n")
    return value or None


def _check_settings(settings: Settings, workflows: Iterable[str] | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = (settings.name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("Give a name of 1 to 200 characters.")
    if not SHORT_NAME.match((settings.short_name or "").strip().lower()):
        errors["short_name"] = _(
            "Give a short name of lower-case letters, digits and hyphens (40 at most)."
        )
    unknown = unknown_departements(settings.departements)
    if unknown:
        errors["departements"] = _("Unknown département: %(codes)s.", codes=", ".join(unknown))
    chosen = _clean(settings.default_workflow)
    if chosen and workflows is not None and chosen not in set(workflows):
        errors["default_workflow"] = _("Unknown pathway: %(name)s.", name=chosen[:100])
    if len(settings.report_title or "") > 200:
        errors["report_title"] = _("Give a title of 200 characters at most.")
    for key in ("report_intro", "report_footer"):
        if len(getattr(settings, key) or "") > TEXT_MAX:
            errors[key] = _("Give a text of %(max)s characters at most.", max=TEXT_MAX)
    return errors


def unknown_departements(codes: Iterable[str]) -> list[str]:
    """Return the codes that are not loaded départements, in the order given."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return []
    known = set(db.session.scalars(select(Departement.code).where(Departement.code.in_(wanted))))
    return [code[:10] for code in wanted if code not in known]


def setup_network(
    settings: Settings, *, workflows: Iterable[str] | None = None, user_id: int | None = None
) -> Network:
    """Create the network or update its settings (running it twice changes nothing more).

    `workflows` lists the known pathway names, to check the default pathway against.
    """
    errors = _check_settings(settings, workflows)
    if errors:
        raise InvalidInput(_("The network settings could not be saved."), errors)
    network = current_network()
    if network is None:
        network = Network(name="", short_name="")
        db.session.add(network)
    network.name = settings.name.strip()
    network.short_name = settings.short_name.strip().lower()  # "DRRL" is meant as "drrl"
    network.default_workflow = _clean(settings.default_workflow)
    network.report_title = _clean(settings.report_title)
    network.report_intro = _clean(settings.report_intro)
    network.report_footer = _clean(settings.report_footer)
    codes = list(dict.fromkeys(settings.departements))
    current = {d.departement_code: d for d in network.departements}
    network.departements = [current.get(c) or NetworkDepartement(departement_code=c) for c in codes]
    db.session.flush()
    record("network.settings_saved", user_id=user_id, network=network.id, departements=codes)
    return network


def create_network(settings: Settings, *, workflows: Iterable[str] | None = None) -> Network:
    """Add a network to the instance (its short name is unique on the instance)."""
    errors = _check_settings(settings, workflows)
    short_name = (settings.short_name or "").strip().lower()
    if not errors and network_by_short_name(short_name) is not None:
        errors["short_name"] = _("A network already has this short name.")
    if errors:
        raise InvalidInput(_("The network could not be created."), errors)
    network = Network(name=settings.name.strip(), short_name=short_name)
    network.default_workflow = _clean(settings.default_workflow)
    network.report_title = _clean(settings.report_title)
    codes = list(dict.fromkeys(settings.departements))
    network.departements = [NetworkDepartement(departement_code=c, network=network) for c in codes]
    db.session.add(network)
    db.session.flush()
    record("network.created", user_id=None, network=network.id, departements=codes)
    return network


def _network() -> Network:
    network = current_network()
    if network is None:
        raise NotFound(_("No network is set up yet: run `flask network setup` first."))
    return network


def set_plan(counts: Mapping[str, int], *, user_id: int | None = None) -> dict[str, int]:
    """Set how many activities of each given type are planned a year (0 removes a type)."""
    network = _network()
    errors: dict[str, str] = {}
    types = {t.value for t in ActivityType}
    for key, count in counts.items():
        if key not in types:
            errors[key[:40]] = _("Unknown activity type: %(type)s.", type=key[:40])
        elif not isinstance(count, int) or not 0 <= count <= PLAN_MAX:
            errors[key] = _("Give a number from 0 to %(max)s.", max=PLAN_MAX)
    if errors:
        raise InvalidInput(_("The yearly plan could not be saved."), errors)
    items = {item.activity_type: item for item in network.plan}
    for key, count in counts.items():
        if count == 0:
            if key in items:
                network.plan.remove(items.pop(key))
        elif key in items:
            items[key].per_year = count
        else:
            network.plan.append(PlanItem(activity_type=key, per_year=count))
    db.session.flush()
    plan = {item.activity_type: item.per_year for item in network.plan}
    record("network.plan_saved", user_id=user_id, network=network.id, plan=plan)
    return plan


@dataclass(frozen=True)
class OrganisationInput:
    """A partner organisation as typed."""

    name: str
    kind: str = OrganisationKind.OTHER.value
    departement: str | None = None
    active: bool = True


def _check_organisation(data: OrganisationInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = " ".join((data.name or "").split())
    if not name or len(name) > 200:
        errors["name"] = _("Give a name of 1 to 200 characters.")
    if data.kind not in {k.value for k in OrganisationKind}:
        errors["kind"] = _("Unknown kind of organisation: %(kind)s.", kind=(data.kind or "")[:40])
    if data.departement and unknown_departements([data.departement]):
        errors["departement"] = _("Unknown département: %(codes)s.", codes=data.departement[:10])
    return errors


def _same_name(network: Network, name: str, exclude: int | None = None) -> Organisation | None:
    query = select(Organisation).where(
        Organisation.network_id == network.id, func.lower(Organisation.name) == name.lower()
    )
    if exclude is not None:
        query = query.where(Organisation.id != exclude)
    return db.session.scalars(query).first()


def save_organisation(
    data: OrganisationInput, *, organisation_id: int | None = None, user_id: int | None = None
) -> Organisation:
    """Add an organisation, or update one (by id, else the one of the same name: idempotent)."""
    network = _network()
    errors = _check_organisation(data)
    if errors:
        raise InvalidInput(_("The organisation could not be saved."), errors)
    name = " ".join(data.name.split())
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None or organisation.network_id != network.id:
            raise NotFound(_("No such organisation"))
        if _same_name(network, name, exclude=organisation.id) is not None:
            message = _("Another organisation already has this name.")
            raise InvalidInput(message, {"name": message})
    else:
        organisation = _same_name(network, name) or Organisation(network_id=network.id)
        db.session.add(organisation)
    organisation.name = name
    organisation.kind = data.kind
    organisation.departement_code = data.departement or None
    organisation.active = data.active
    db.session.flush()
    record("network.organisation_saved", user_id=user_id, organisation=organisation.id)
    return organisation
