"""`flask import syndicates FILE`: which communes each waste syndicate serves."""

from __future__ import annotations

from flask import Flask

from accompagnement import importing
from accompagnement.importing import import_group
from accompagnement.importing.commands import ImportKind, import_command
from accompagnement.syndicates.importer import import_syndicates, summary

HELP = """Import waste syndicates and their communes from a CSV FILE (all or nothing).

Columns, in English or French: syndicate (syndicat), commune (its INSEE code).
"""

KIND = ImportKind(
    "syndicates", HELP, lambda data, user_id: import_syndicates(data, user_id=user_id), summary
)


def register(app: Flask) -> None:
    """Attach the shared `import` group and this feature's command to the app."""
    importing.register(app)
    import_group.add_command(import_command(KIND))
