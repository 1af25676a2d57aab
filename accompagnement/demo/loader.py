"""Load every part of the demo data, once: the Limousin network and a second, fictitious one."""

from __future__ import annotations

from flask_babel import gettext as _

from accompagnement.auth.services import find_by_email
from accompagnement.demo.network_life import load_activities, load_observatory
from accompagnement.demo.pathway import load_projects, open_projects_join
from accompagnement.demo.people import COORDINATOR_EMAIL, load_members, load_people
from accompagnement.demo.second_network import (
    ACTIVITIES,
    AUVERGNE,
    HOLDERS,
    MEMBERS,
    load_second_network,
)
from accompagnement.demo.settings import LIMOUSIN, load_network
from accompagnement.demo.territory import load_territory
from accompagnement.network.models import Network
from accompagnement.network.queries import all_networks, current_network, network_by_short_name
from accompagnement.network.services import Settings, create_network
from accompagnement.tenancy import network_scope, unscoped
from accompagnement.workflows.versions import sync_network


def load_demo() -> str:
    """Load territory, both networks' members, accounts and projects; say what was done."""
    with unscoped():
        if find_by_email(COORDINATOR_EMAIL) is not None:
            return _("Demo data already loaded: nothing added.")
        load_territory()
    # The Limousin data goes into the network in scope, else the instance's only one (a fresh
    # instance set up with `flask network create`), else a new Limousin network.
    limousin = current_network() or _only_network() or _network(LIMOUSIN)
    with network_scope(limousin.id):
        summary = load_limousin()
        coordinator = find_by_email(COORDINATOR_EMAIL)
    second = _network(AUVERGNE)
    sync_network(second.short_name)  # its own pathways (workflows/auvergne/), made just now
    with network_scope(second.id):
        load_second_network(coordinator)
    return " ".join((summary, _(
        "Second network %(name)s: %(members)s members, %(projects)s projects, "
        "%(activities)s activities.",
        name=second.name, members=len(MEMBERS), projects=len(HOLDERS),
        activities=len(ACTIVITIES),
    )))  # fmt: skip


def _only_network() -> Network | None:
    with unscoped():
        networks = all_networks()
    return networks[0] if len(networks) == 1 else None


def _network(settings: Settings) -> Network:
    with unscoped():
        return network_by_short_name(settings.short_name) or create_network(settings)


def load_limousin() -> str:
    """Load the Limousin network's data in its scope; say what was done."""
    _network_row, organisations = load_network()
    members = load_members()
    users = load_people(members, organisations)
    coordinator = users[COORDINATOR_EMAIL]
    projects = load_projects(users, members, coordinator)
    members.update(open_projects_join(coordinator))
    activities = load_activities(list(members.values()), coordinator)
    reports = load_observatory(list(members.values()), coordinator)
    return _(
        "Demo data loaded: %(members)s members, %(users)s accounts, %(projects)s projects, "
        "%(activities)s activities, %(reports)s observatory reports.",
        members=len(members),
        users=len(users),
        projects=projects,
        activities=activities,
        reports=reports,
    )
