"""Password links as URLs, and the e-mails that carry them."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from accompagnement.auth.models import User
from accompagnement.auth.tokens import make_token
from accompagnement.mail import mail_configured
from accompagnement.outbox.services import enqueue
from accompagnement.security import log_event

INVITATION = "invitation"
RESET = "reset"


def password_url(user: User) -> str:
    """Return the absolute URL of a new password link for this user.

    BASE_URL, when set, wins over the request's Host header, so a forged Host cannot send a
    victim a link to another site (password reset poisoning).
    """
    token = make_token(user)
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for("auth.set_password", token=token)
    return url_for("auth.set_password", token=token, _external=True)


def mail_password_link(user: User, kind: str, url: str) -> bool:
    """Put a password link e-mail in the outbox, in the person's language (flushes).

    Return False, writing nothing, when no SMTP server is set: the link is then shown to the
    coordinator instead. `flask notify send` sends the message once the caller commits.
    """
    if not mail_configured():
        return False
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = (
            _("Your account on Accompagnement")
            if kind == INVITATION
            else _("Choose a new password")
        )
        body = render_template(
            f"auth/mail/{kind}.txt",
            user=user,
            url=url,
            hours=current_app.config["RESET_TOKEN_HOURS"],
        )
    enqueue(user.email, subject, body, kind=f"auth.{kind}", user_id=user.id)
    log_event("auth.link_queued", user=user.id, kind=kind)
    return True
