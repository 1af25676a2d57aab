"""`flask notify`: e-mail each active coordinator today's digest, at most once a day (cron)."""

from __future__ import annotations

import smtplib

import click
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from accompagnement.activities.services import today
from accompagnement.extensions import db
from accompagnement.mail import mail_configured
from accompagnement.outbox import sender
from accompagnement.reminders import services


@click.group("notify", invoke_without_command=True)
@click.pass_context
def notify_command(context: click.Context) -> None:
    """E-mail each active coordinator the digest of late and forgotten projects (once a day).

    `flask notify send` sends the outbox (password links, invitations): run it every minute.
    """
    if context.invoked_subcommand is not None:
        return
    if not mail_configured():
        click.echo(_("SMTP is not configured (SMTP_HOST): no e-mail sent."))
        return
    day = today()
    digest = services.collect_digest()
    if digest.empty:
        click.echo(_("Nothing to remind today: no e-mail sent."))
        return
    failures = 0
    for user in services.active_coordinators():
        try:
            sent = services.send_digest(user, digest, day)
            db.session.commit()
        except (OSError, smtplib.SMTPException) as error:
            db.session.rollback()
            failures += 1
            click.echo(
                _(
                    "user %(id)s: not sent (%(error)s), will retry",
                    id=user.id,
                    error=type(error).__name__,
                ),
                err=True,
            )
            continue
        if sent:
            click.echo(_("user %(id)s: sent", id=user.id))
        else:
            click.echo(_("user %(id)s: already sent today", id=user.id))
    if failures:
        raise SystemExit(1)


@notify_command.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages.")
def send_command(limit: int) -> None:
    """Send the due e-mails of the outbox (cron-safe: each message is sent once, retried later)."""
    if not mail_configured():
        click.echo(_("SMTP is not configured (SMTP_HOST): the outbox waits."))
        return
    try:
        report = sender.send_due(limit=limit)
    except OperationalError as error:
        db.session.rollback()
        click.echo(
            _("The database is busy or unreachable (%(error)s).", error=type(error).__name__),
            err=True,
        )
        raise SystemExit(1) from None
    click.echo(
        _(
            "%(sent)s sent, %(retried)s to retry, %(failed)s given up, "
            "%(skipped)s taken by another sender, %(purged)s old messages deleted",
            sent=report.sent,
            retried=report.retried,
            failed=report.failed,
            skipped=report.skipped,
            purged=report.purged,
        )
    )
    if report.retried or report.failed:
        raise SystemExit(1)


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(notify_command)
