"""`flask import projects FILE`: bring a network's existing projects and their history in."""

from __future__ import annotations

from flask import Flask

from accompagnement import importing
from accompagnement.history.importer import import_projects, summary
from accompagnement.importing import import_group
from accompagnement.importing.commands import ImportKind, import_command

HELP = """Import existing projects and the dates of their stages (all or nothing; safe twice).

Columns, in English or French: name (nom), workflow (parcours), stage (étape), then commune,
holder_name (porteur nom), holder_email (porteur courriel), date_<stage> and reason_<stage>
(motif_<stage>); see the README. The moves are recorded under the coordinator --by names, or
the only coordinator.
"""

KIND = ImportKind(
    "projects",
    HELP,
    lambda data, user_id: import_projects(data, user_id=user_id),
    summary,
    needs_coordinator=True,
)


def register(app: Flask) -> None:
    """Attach the shared `import` group and this feature's command to the app."""
    importing.register(app)
    import_group.add_command(import_command(KIND))
