"""Sending e-mail through the configured SMTP server (none configured: nothing is sent)."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

# Headers the sender sets itself; any other header given with a message is added as it is.
RESERVED = frozenset({"from", "to", "subject", "date", "message-id"})


def mail_configured() -> bool:
    """Tell whether an SMTP server is configured."""
    return bool(current_app.config.get("SMTP_HOST"))


def send_mail(
    to: Sequence[str], subject: str, body: str, *, headers: Mapping[str, str] | None = None
) -> bool:
    """Send a plain-text message; return False (sending nothing) when no SMTP server is set.

    Only `flask notify send` (the outbox) calls this: never a web request.
    """
    config = current_app.config
    if not mail_configured() or not to:
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(to)
    message["Subject"] = subject.replace("\r", " ").replace("\n", " ")
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = (headers or {}).get("Message-ID") or make_msgid(domain="accompagnement")
    for name, value in (headers or {}).items():
        if name.lower() not in RESERVED:
            message[name] = value
    message.set_content(body)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=15) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
    return True
