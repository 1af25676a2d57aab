"""Commands of the admin feature."""

from flask import Flask


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
