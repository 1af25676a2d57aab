"""Accounts, sign-in and sessions."""


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extracts by default)
    """Mark an English msgid for extraction; it is translated where it is shown."""
    return message
