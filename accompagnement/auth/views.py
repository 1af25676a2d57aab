"""Sign in and out, forgotten password, password links, and the "my account" page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from accompagnement.access import ROLE_LABELS, public, signed_in
from accompagnement.auth import apitokens, scope, services
from accompagnement.auth.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    NetworkSwitchForm,
    SetPasswordForm,
)
from accompagnement.auth.links import RESET, mail_password_link, password_url
from accompagnement.auth.models import User
from accompagnement.auth.scope import working_network
from accompagnement.auth.sessions import start_session
from accompagnement.auth.tokens import LinkExpired, LinkInvalid, user_for_token
from accompagnement.db import utcnow
from accompagnement.errors import InvalidInput
from accompagnement.mail import mail_configured
from accompagnement.security import log_event
from accompagnement.transaction import commits, refusal

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.app_template_filter("role_label")
def role_label(role: str) -> str:
    """Render a stored role key as its translated label."""
    label = ROLE_LABELS.get(role)
    return str(label) if label is not None else role


def safe_next(target: str | None) -> str:
    """Return `target` when it is a path on this site, else the home page."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()  # browsers drop tabs and newlines: "/\t/evil" is "//evil"
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


def _config(name: str) -> int:
    return int(current_app.config[name])


def _sign_in(user: User, remember: bool = False) -> None:
    """Start a brand-new session for the user (nothing carried over from before)."""
    session.clear()
    login_user(user, remember=remember)
    start_session()


@bp.route("/login", methods=["GET", "POST"])
@public
@commits
def login() -> str | Response | tuple[str, int]:
    """Sign in with an e-mail address and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(
            form.email.data or "",
            form.password.data or "",
            max_failures=_config("LOGIN_MAX_FAILURES"),
            lock_minutes=_config("LOGIN_LOCK_MINUTES"),
        )
        if user is None:  # the failure is counted all the same: `@commits` keeps it
            log_event("auth.login_failed", level="warning", email=form.email.data)
            flash(_("Wrong e-mail address or password, or account locked for a while."), "error")
            return render_template("auth/login.html", form=form), 200
        _sign_in(user, remember=bool(form.remember.data))
        log_event("auth.login", user=user.id)
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@signed_in
@commits
def logout() -> Response:
    """Sign out, invalidating every cookie issued to this session."""
    user_id = current_user.id
    services.sign_out_everywhere(user_id)
    session.clear()
    logout_user()
    log_event("auth.logout", user=user_id)
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@public
@commits
def forgot() -> str | Response:
    """Ask for a password link; the answer is the same whatever the address."""
    form = ForgotPasswordForm()
    if form.validate_on_submit() and mail_configured():
        user = services.request_password_reset(form.email.data or "")
        if user is not None:  # queued, sent by `flask notify send`: same time for any address
            mail_password_link(user, RESET, password_url(user))
        log_event("auth.reset_requested", email=form.email.data)
        flash(_("If an account uses this address, a link to choose a password is on its way."))
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form, mail=mail_configured())


@bp.route("/password/<token>", methods=["GET", "POST"])
@public
@commits
def set_password(token: str) -> str | Response | tuple[str, int]:
    """Choose a password through an invitation or reset link."""
    try:
        user = user_for_token(token)
    except LinkInvalid as exc:
        expired = isinstance(exc, LinkExpired)
        log_event("auth.link_refused", level="warning", expired=expired)
        return render_template("auth/link_invalid.html", expired=expired), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.reset_password(token, form.password.data or "")
            # A new session (new id, new session token) for the person who proved they hold
            # the link: whatever session this browser had before is dropped.
            logout_user()
            _sign_in(user)
            log_event("auth.password_reset", user=user.id)
            log_event("auth.login", user=user.id)
            flash(_("Your password is saved. You are signed in."), "info")
            return redirect(url_for("main.index"))
        form.password.errors = [_(m) for m in refused.error.errors.values()]
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/account")
@signed_in
def account() -> str:
    """Show the person's account: password, language and API tokens."""
    return _account_page()


def _account_page(**shown: object) -> str:
    """Render "my account" with fresh forms, except those given (holding errors or a secret)."""
    shown.setdefault("password_form", ChangePasswordForm())
    shown.setdefault("language_form", LanguageForm(locale=current_user.locale or ""))
    if current_user.role in apitokens.API_ROLES:
        shown.setdefault("token_form", _token_form())
        shown["tokens"] = apitokens.tokens_of(current_user.id)
        shown["now"] = utcnow()
    return render_template("auth/account.html", **shown)


@bp.route("/account/password", methods=["POST"])
@signed_in
@commits
def change_password() -> str | Response:
    """Change one's own password; every other session is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with refusal(InvalidInput, keep=True) as refused:  # keep the failed attempt counted
            user = services.change_password(
                current_user.id,
                form.current_password.data or "",
                form.password.data or "",
                max_failures=_config("LOGIN_MAX_FAILURES"),
                lock_minutes=_config("LOGIN_LOCK_MINUTES"),
            )
            _sign_in(user)
            log_event("auth.password_changed", user=user.id)
            flash(_("Your password is changed. Your other sessions are signed out."), "info")
            return redirect(url_for("auth.account"))
        for name, message in refused.error.errors.items():
            getattr(form, name, form.password).errors = [_(message)]
    return _account_page(password_form=form)


@bp.route("/account/language", methods=["POST"])
@signed_in
@commits
def change_language() -> Response:
    """Save the person's interface language."""
    form = LanguageForm()
    if form.validate_on_submit():
        locale = form.locale.data or None
        services.set_locale(current_user.id, locale, languages=current_app.config["LANGUAGES"])
        session.pop("lang", None)
        flash(_("Your language preference is saved."), "info")
    else:
        flash(_("Choose a language from the list."), "error")
    return redirect(url_for("auth.account"))


@bp.route("/network", methods=["POST"])
@signed_in
@commits
def switch_network() -> Response:
    """Work in another of one's networks."""
    form = NetworkSwitchForm()
    form.network.choices = working_network().choices
    if form.validate_on_submit() and scope.switch_network(current_user, form.network.data):
        log_event("auth.network_switched", user=current_user.id, network=form.network.data)
        flash(_("You now work in %(name)s.", name=dict(form.network.choices)[form.network.data]))
    else:
        flash(_("Choose one of your networks."), "error")
    return redirect(url_for("main.index"))


def _token_form() -> ApiTokenForm:
    """Return the token form; a partner's and national staff's tokens may only read."""
    form = ApiTokenForm()
    if current_user.role in apitokens.READ_ONLY_ROLES:
        form.scope.choices = [("read", _("Read only"))]
    return form


@bp.route("/account/tokens", methods=["POST"])
@signed_in
@commits
def create_api_token() -> str | Response:
    """Make an API token and show its secret this once (it is stored hashed)."""
    form = _token_form()
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            made = apitokens.create_token(
                current_user.id, form.name.data or "", form.scope.data or "", int(form.days.data)
            )
            flash(_("Token made. Copy it now: it will not be shown again."), "success")
            return _account_page(new_secret=made.secret, new_token=made.token)
        for name, message in refused.error.errors.items():
            getattr(form, name, form.name).errors = [_(message)]
    return _account_page(token_form=form)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@signed_in
@commits
def revoke_api_token(token_id: int) -> Response:
    """Revoke one of the person's API tokens: it stops working at once."""
    apitokens.revoke_token(current_user.id, token_id)
    flash(_("The token is revoked."), "info")
    return redirect(url_for("auth.account", _anchor="api-tokens"))
