"""`flask notify`: e-mail each active coordinator today's digest, at most once a day (cron)."""

from __future__ import annotations

import smtplib

import click
from flask import Flask

from accompagnement.activities.services import today
from accompagnement.extensions import db
from accompagnement.mail import mail_configured
from accompagnement.reminders import services


@click.command("notify")
def notify_command() -> None:
    """E-mail each active coordinator the digest of late and forgotten projects (once a day)."""
    if not mail_configured():
        click.echo("SMTP is not configured (SMTP_HOST): no e-mail sent.")
        return
    day = today()
    digest = services.collect_digest()
    if digest.empty:
        click.echo("Nothing to remind today: no e-mail sent.")
        return
    failures = 0
    for user in services.active_coordinators():
        try:
            sent = services.send_digest(user, digest, day)
            db.session.commit()
        except (OSError, smtplib.SMTPException) as error:
            db.session.rollback()
            failures += 1
            click.echo(f"user {user.id}: not sent ({type(error).__name__}), will retry", err=True)
            continue
        click.echo(f"user {user.id}: {'sent' if sent else 'already sent today'}")
    if failures:
        raise SystemExit(1)


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(notify_command)
