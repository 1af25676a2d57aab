"""The main navigation: one entry per page family, shown to the roles that may open it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_login import current_user

from accompagnement.i18n import chosen


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extracts by default)
    """Mark a message for the catalogue; it is translated when the menu is built."""
    return message


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str  # the message id, translated when the menu is built
    roles: frozenset[str]

    @property
    def section(self) -> str:
        """Return the blueprint of the entry: the entry is current on all of its pages."""
        return self.endpoint.split(".")[0]


ALL = frozenset({"coordinator", "holder", "partner", "member"})
COORD = frozenset({"coordinator"})

# Add one line here when a feature brings a page family; entries whose endpoint does not exist
# are skipped, so the menu never links to a missing page.
ITEMS: tuple[NavItem, ...] = (
    NavItem("projects.board", N_("Pipeline"), COORD),
    NavItem("projects.mine", N_("My projects"), frozenset({"holder"})),
    NavItem("tasks.index", N_("My tasks"), frozenset({"holder", "coordinator"})),
    NavItem("partners.dashboard", N_("Pipeline overview"), frozenset({"partner", "coordinator"})),
    NavItem("activities.index", N_("Activities"), COORD),
    NavItem("members.index", N_("Members"), frozenset({"coordinator", "partner", "member"})),
    NavItem(
        "observatory.index", N_("Observatory"), frozenset({"coordinator", "member", "partner"})
    ),
    NavItem("reports.index", N_("Report"), frozenset({"coordinator", "partner"})),
    NavItem("reminders.index", N_("Reminders"), COORD),
    NavItem("door.requests", N_("Requests"), COORD),
    NavItem("meetings.time_page", N_("Time"), COORD),
    NavItem("admin.users", N_("Users"), COORD),
    NavItem("means.index", N_("Means"), COORD),
    NavItem("network.settings", N_("Network"), COORD),
    NavItem("workflows.index", N_("Pathways"), COORD),
    NavItem("pathways.index", N_("Pathway drafts"), COORD),
    NavItem("syndicates.index", N_("Waste syndicates"), COORD),
    NavItem("national.index", N_("Networks"), frozenset({"national"})),
    NavItem("national.report", N_("National report"), frozenset({"national"})),
)


def nav_items() -> list[dict[str, object]]:
    """Return the menu entries of the current user, marking the current one."""
    user = current_user._get_current_object()  # one lookup, not one per entry
    if not user.is_authenticated:
        return []
    section = (request.endpoint or "").split(".")[0]
    translate = chosen().translations.ugettext
    return [
        {"url": url, "label": translate(item.label), "current": section == item.section}
        for item, url in _entries(user.role)
    ]


def _entries(role: str) -> list[tuple[NavItem, str]]:
    # The entries of a role and their addresses are the same on every page: found once per
    # app, role and script root (the path the app is served under).
    found: dict[tuple[str, str], list[tuple[NavItem, str]]]
    found = current_app.extensions.setdefault("nav_entries", {})
    key = (role, request.script_root)
    if key not in found:
        views = current_app.view_functions
        found[key] = [
            (item, url_for(item.endpoint))
            for item in ITEMS
            if role in item.roles and item.endpoint in views
        ]
    return found[key]
