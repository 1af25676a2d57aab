"""The main navigation: one entry per page family, shown to the roles that may open it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy translated string
    roles: frozenset[str]


ALL = frozenset({"coordinator", "holder", "partner", "member"})
COORD = frozenset({"coordinator"})

# Add one line here when a feature brings a page family; entries whose endpoint does not exist
# are skipped, so the menu never links to a missing page.
ITEMS: tuple[NavItem, ...] = (
    NavItem("projects.board", _l("Pipeline"), COORD),
    NavItem("projects.mine", _l("My projects"), frozenset({"holder"})),
    NavItem("tasks.index", _l("My tasks"), frozenset({"holder", "coordinator"})),
    NavItem("partners.dashboard", _l("Pipeline overview"), frozenset({"partner", "coordinator"})),
    NavItem("activities.index", _l("Activities"), COORD),
    NavItem("members.index", _l("Members"), frozenset({"coordinator", "partner", "member"})),
    NavItem(
        "observatory.index", _l("Observatory"), frozenset({"coordinator", "member", "partner"})
    ),
    NavItem("reports.index", _l("Report"), frozenset({"coordinator", "partner"})),
    NavItem("reminders.index", _l("Reminders"), COORD),
    NavItem("admin.users", _l("Users"), COORD),
    NavItem("network.settings", _l("Network"), COORD),
    NavItem("syndicates.index", _l("Waste syndicates"), COORD),
)


def nav_items() -> list[dict[str, object]]:
    """Return the menu entries of the current user, marking the current one."""
    if not current_user.is_authenticated:
        return []
    items = []
    for item in ITEMS:
        if current_user.role in item.roles and item.endpoint in current_app.view_functions:
            items.append(
                {
                    "url": url_for(item.endpoint),
                    "label": item.label,
                    "current": (request.endpoint or "").split(".")[0]
                    == item.endpoint.split(".")[0],
                }
            )
    return items
