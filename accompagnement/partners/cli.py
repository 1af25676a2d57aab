"""Commands of the partners feature."""

from flask import Flask


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
