"""Commands of the means: `flask import means FILE`."""

from __future__ import annotations

from flask import Flask

from accompagnement import importing
from accompagnement.importing import import_group
from accompagnement.importing.commands import ImportKind, import_command
from accompagnement.means.importer import import_means, summary

HELP = """Import the coordination's means from a CSV FILE (all or nothing; same file twice is safe).

Columns, in English or French: year (année), type, label (libellé), value (valeur). type:
staff_time (temps de travail; label: the structure; value: FTE), staff_costs (charges de
personnel), other_costs (autres charges), funding (financement; label: a partner organisation
of the network); amounts in euros.
"""

KIND = ImportKind("means", HELP, lambda data, user_id: import_means(data, user_id=user_id), summary)


def register(app: Flask) -> None:
    """Attach the commands of this feature (the shared `import` group) to the app."""
    importing.register(app)
    import_group.add_command(import_command(KIND))
