"""Load every part of the demo data, once."""

from __future__ import annotations

from accompagnement.auth.services import find_by_email
from accompagnement.demo.pathway import load_projects
from accompagnement.demo.people import COORDINATOR_EMAIL, load_members, load_people
from accompagnement.demo.territory import load_territory


def load_demo() -> str:
    """Load territory, members, accounts and projects; say what was done."""
    if find_by_email(COORDINATOR_EMAIL) is not None:
        return "Demo data already loaded: nothing added."
    load_territory()
    members = load_members()
    users = load_people(members)
    projects = load_projects(users, members, users[COORDINATOR_EMAIL])
    return f"Demo data loaded: {len(members)} members, {len(users)} accounts, {projects} projects."
