"""`flask notify`: e-mail each active coordinator today's digest, at most once a day (cron)."""

from __future__ import annotations

import click
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from accompagnement.activities.services import today
from accompagnement.clierrors import across_networks
from accompagnement.extensions import db
from accompagnement.mail import mail_configured
from accompagnement.outbox import sender
from accompagnement.reminders import services
from accompagnement.tenancy import network_ids, network_scope


@click.group("notify", invoke_without_command=True)
@click.pass_context
@across_networks
def notify_command(context: click.Context) -> None:
    """Write each person's daily digest to the outbox: what is new since their last one.

    At most one digest a day per person, none when nothing is new. `flask notify send` sends
    the outbox (notifications, digests, password links): run it every minute.
    """
    if context.invoked_subcommand is not None:
        return
    if not mail_configured():
        click.echo(_("SMTP is not configured (SMTP_HOST): no e-mail sent."))
        return
    day, told, written = today(), 0, 0
    for network_id in network_ids(db.session):  # each network's tasks and news, in turn
        with network_scope(network_id):
            told += services.write_due_soon(day)
            db.session.commit()
            for user in services.recipients():
                if services.write_digest(user, day):
                    written += 1
                    click.echo(_("user %(id)s: digest written", id=user.id))
                db.session.commit()
    click.echo(_("%(count)s people told of tasks due soon", count=told))
    click.echo(_("%(count)s digests written; `flask notify send` sends them.", count=written))


@notify_command.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages.")
@across_networks
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
