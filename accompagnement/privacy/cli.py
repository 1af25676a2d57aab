"""`flask privacy export|anonymise|purge`: the GDPR rights and the retention purge."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from accompagnement.clierrors import across_networks
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.privacy import retention, services
from accompagnement.tenancy import unscoped

privacy = AppGroup("privacy", help="Personal data: export, anonymise, retention purge.")


@privacy.command("export")
@click.argument("email")
@click.option("--format", "fmt", type=click.Choice(services.EXPORT_FORMATS), default="json")
@click.option(
    "--output", type=click.Path(dir_okay=False), help="Write to a file (default: stdout)."
)
@across_networks
def export_command(email: str, fmt: str, output: str | None) -> None:
    """Export everything held about the person with this e-mail address."""
    with unscoped():  # what every network holds about the person
        _export(email, fmt, output)


def _export(email: str, fmt: str, output: str | None) -> None:
    try:
        text = services.export_person(email, fmt=fmt)
    except NotFound as exc:
        raise click.ClickException(exc.message) from exc
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except OSError as exc:
            db.session.rollback()
            raise click.ClickException(
                _("Cannot write %(path)s: %(error)s", path=output, error=exc.strerror)
            ) from exc
        click.echo(
            _("Exported the data of %(email)s to %(path)s", email=email, path=output), err=True
        )
    else:
        click.echo(text, nl=False)
    db.session.commit()


@privacy.command("anonymise")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@across_networks
def anonymise_command(email: str, yes: bool) -> None:
    """Anonymise a person: account, contact details, what they wrote (projects stay)."""
    if not yes:
        click.confirm(_("Anonymise %(email)s? This cannot be undone", email=email), abort=True)
    with unscoped():  # in every network
        _anonymise(email)


def _anonymise(email: str) -> None:
    try:
        result = services.anonymise_person(email)
    except NotFound as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    if result.already_done:
        click.echo(_("This account was already anonymised."))
        return
    changed = ", ".join(f"{table}: {count}" for table, count in result.rows.items())
    click.echo(
        _(
            "Anonymised %(email)s (%(changed)s)",
            email=email,
            changed=changed or _("nothing to change"),
        )
    )


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="Only show what would be purged.")
@click.option("--years", type=click.IntRange(min=1), help="Override RETENTION_YEARS.")
@across_networks
def purge_command(dry_run: bool, years: int | None) -> None:
    """Anonymise accounts and delete logs past the retention period (safe to run twice)."""
    years = years or int(current_app.config["RETENTION_YEARS"])
    with unscoped():  # the retention period is the instance's: every network at once
        report = retention.purge(years=years, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    cutoff = f"{report.cutoff:%Y-%m-%d}"
    if dry_run:
        click.echo(
            _("Retention %(years)s years (cutoff %(cutoff)s). Would:", years=years, cutoff=cutoff)
        )
    else:
        click.echo(
            _("Retention %(years)s years (cutoff %(cutoff)s). Did:", years=years, cutoff=cutoff)
        )
    ids = report.anonymised or ""
    click.echo(_("  anonymise %(num)s account(s) %(ids)s", num=len(report.anonymised), ids=ids))
    for table, count in report.deleted.items():
        click.echo(_("  delete %(num)s row(s) of %(table)s", num=count, table=table))


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(privacy)
