"""Commands of the members feature: `flask import members FILE`."""

from __future__ import annotations

from flask import Flask

from accompagnement import importing
from accompagnement.importing import import_group
from accompagnement.importing.commands import ImportKind, import_command
from accompagnement.members.importer import import_members, summary

HELP = """Import member ressourceries from a CSV FILE (all or nothing; same file twice is safe).

Columns, in English or French: name (nom), commune, insee (code INSEE), departement, joined
(adhésion), functions (fonctions); optional kind (type), website (site web), contact_name,
contact_email, contact_phone (contact nom, contact courriel, contact téléphone).
"""

KIND = ImportKind(
    "members", HELP, lambda data, user_id: import_members(data, user_id=user_id), summary
)


def register(app: Flask) -> None:
    """Attach the commands of this feature (the shared `import` group) to the app."""
    importing.register(app)
    import_group.add_command(import_command(KIND))
