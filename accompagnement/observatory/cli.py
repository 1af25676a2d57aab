"""Commands of the observatory: `flask import observatory FILE`."""

from __future__ import annotations

from flask import Flask

from accompagnement.importing import import_group
from accompagnement.importing.commands import ImportKind, import_command
from accompagnement.observatory.importer import COLUMNS, import_reports, summary

HELP = f"""Import members' yearly reports from a CSV FILE (all rows or none).

Columns: member (adhérent: its name as in the directory, or its number), year (année), then
any of {", ".join(COLUMNS[2:])} (or their French names, listed on the import page).

Tonnes with one decimal, euros, counts, FTE with two decimals, women_percent from 0 to 100.
An empty cell is "not known"; a column left out keeps the saved figures. A report is matched
on member + year: importing the same file twice changes nothing.
"""

KIND = ImportKind(
    "observatory", HELP, lambda data, user_id: import_reports(data, user_id=user_id), summary
)


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    import_group.add_command(import_command(KIND))
