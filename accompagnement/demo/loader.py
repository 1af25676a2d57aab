"""Load every part of the demo data, once."""

from __future__ import annotations

from flask_babel import gettext as _

from accompagnement.auth.services import find_by_email
from accompagnement.demo.network_life import load_activities, load_observatory
from accompagnement.demo.pathway import load_projects, open_projects_join
from accompagnement.demo.people import COORDINATOR_EMAIL, load_members, load_people
from accompagnement.demo.settings import load_network
from accompagnement.demo.territory import load_territory


def load_demo() -> str:
    """Load territory, members, accounts and projects; say what was done."""
    if find_by_email(COORDINATOR_EMAIL) is not None:
        return _("Demo data already loaded: nothing added.")
    load_territory()
    _network, organisations = load_network()
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
