"""Read the settings of the network in scope (`accompagnement.tenancy`), and list the networks."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import selectinload

from accompagnement.engine import Choice, Label
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.network.models import Network, NetworkDepartement, Organisation, PlanItem
from accompagnement.tenancy import current_network_id, unscoped
from accompagnement.territory.models import Departement


def current_network() -> Network | None:
    """Return the network in scope, or None outside any (before `flask network setup`)."""
    network_id = current_network_id()
    return None if network_id is None else db.session.get(Network, network_id)


def all_networks() -> list[Network]:
    """Return every network of the instance by short name."""
    return list(db.session.scalars(select(Network).order_by(Network.short_name)))


def network_by_short_name(short_name: str) -> Network | None:
    """Return the network with this short name, if any."""
    return db.session.scalars(select(Network).where(Network.short_name == short_name)).first()


def find_network(short_name: str) -> Network:
    """Return the network a public address names by its short name; NotFound for an unknown one."""
    network = network_by_short_name(short_name)
    if network is None:
        raise NotFound(_("There is no network named %(name)s.", name=short_name))
    return network


def networks_with_departements() -> list[Network]:
    """Return every network by name, its départements loaded (each network's own rows: read
    across networks on purpose, for a public page that lets a visitor choose one)."""
    with unscoped():
        query = select(Network).options(
            selectinload(Network.departements).selectinload(NetworkDepartement.departement)
        )
        networks = list(db.session.scalars(query))
    return sorted(networks, key=lambda network: network.name.casefold())


def departements() -> list[Row[tuple[str, str]]]:
    """Return the network's départements by code (`code`, `name`); every one when it has none."""
    network = current_network()
    # Two columns, not the ORM objects: the filters list about a hundred on every board.
    query = select(Departement.code, Departement.name).order_by(Departement.code)
    if network is not None:
        mine = select(NetworkDepartement.departement_code).where(
            NetworkDepartement.network_id == network.id
        )
        if db.session.scalar(select(mine.exists())):
            query = query.where(Departement.code.in_(mine))
    return list(db.session.execute(query))


def form_choices() -> dict[str, list[Choice]]:
    """Return the run-time choices of workflow field types: the network's départements."""
    # model_construct: codes such as 2A are not valid keys in a file, but are here.
    return {
        "departement": [
            Choice.model_construct(key=d.code, label=Label(fr=f"{d.name} ({d.code})"))
            for d in departements()
        ]
    }


def departement_choices() -> list[tuple[str, str]]:
    """Return (code, "code name") of the network's départements (all loaded ones as fallback)."""
    return [(d.code, f"{d.code} {d.name}") for d in departements()]


def yearly_plan() -> dict[str, int]:
    """Return how many activities of each type the network plans a year (types above zero)."""
    network = current_network()
    if network is None:
        return {}
    rows = db.session.execute(
        select(PlanItem.activity_type, PlanItem.per_year).where(
            PlanItem.network_id == network.id, PlanItem.per_year > 0
        )
    )
    return {activity_type: count for activity_type, count in rows}


def organisations(*, active_only: bool = False) -> list[Organisation]:
    """Return the network's partner organisations by name."""
    network = current_network()
    if network is None:
        return []
    query = select(Organisation).where(Organisation.network_id == network.id)
    if active_only:
        query = query.where(Organisation.active.is_(True))
    return list(db.session.scalars(query.order_by(Organisation.name)))


def organisation_choices(include_id: int | None = None) -> list[tuple[int, str]]:
    """Return (id, name) of the active organisations, plus `include_id` even if inactive."""
    network = current_network()
    if network is None:
        return []
    condition: ColumnElement[bool] = Organisation.active.is_(True)
    if include_id is not None:
        condition = condition | (Organisation.id == include_id)
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.network_id == network.id, condition)
        .order_by(Organisation.name)
    )
    return [(org_id, name) for org_id, name in rows]


def default_pathway() -> str | None:
    """Return the pathway «Nouveau projet» preselects.

    The network's setting wins when it names a known workflow; else the workflow file that says
    `default: true`; else none (the first in the list).
    """
    from accompagnement.workflows.services import available

    known = available()
    network = current_network()
    if network is not None and network.default_workflow in known.names():
        return network.default_workflow
    return known.default_name()


def report_texts() -> dict[str, str | None]:
    """Return the network's name and the texts of its reports (None when not set)."""
    network = current_network()
    if network is None:
        return {"name": None, "title": None, "intro": None, "footer": None}
    return {
        "name": network.name,
        "title": network.report_title,
        "intro": network.report_intro,
        "footer": network.report_footer,
    }
