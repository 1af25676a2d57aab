"""The public open data of a network: `/open/<short_name>/` and the package's files (no sign-in).

Every answer is public and cacheable (`Cache-Control: public, max-age`, an ETag of its bytes,
Last-Modified of the data, 304 to a conditional request), except to a signed-in person: their
page shows who they are, so it stays `no-store` like every other page.
"""

from __future__ import annotations

from datetime import UTC
from hashlib import sha256

from flask import Blueprint, current_app, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import public
from accompagnement.auth.scope import work_in_named
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.network.queries import find_network
from accompagnement.opendata import queries
from accompagnement.opendata.package import (
    DESCRIPTOR,
    DataPackage,
    check_year,
    licence_of,
    years,
)
from accompagnement.opendata.resources import RESOURCES

bp = Blueprint("opendata", __name__, url_prefix="/open")


@bp.before_request
def _enter_network() -> None:
    """Work in the network the address names (an unknown one is a 404)."""
    short_name = (request.view_args or {}).get("short_name", "")
    work_in_named(short_name)


def _package(short_name: str, year: int) -> DataPackage:
    """Return the package of a network and year; NotFound for an unknown one or a bad year."""
    network = find_network(short_name)
    try:
        return DataPackage(network, check_year(year), current_app.config["BABEL_DEFAULT_LOCALE"])
    except InvalidInput:
        raise NotFound(_("There is no open data for this year.")) from None


def _cacheable(body: str, mimetype: str, *, per_language: bool = False) -> Response:
    """Answer `body` as a public, cacheable response, or 304 when the client has it."""
    response = make_response(body)
    response.mimetype = mimetype
    if current_user.is_authenticated:
        return response  # shows the person's name: never stored (security.py: no-store)
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["OPENDATA_MAX_AGE"])
    response.set_etag(sha256(body.encode()).hexdigest()[:32])
    changed = queries.last_change()
    if changed is not None:
        response.last_modified = changed.replace(tzinfo=UTC)
    if per_language:
        response.vary.update(("Accept-Language", "Cookie"))
    return response.make_conditional(request)


@bp.get("/<short_name>/")
@public
def index(short_name: str) -> Response:
    """List a network's open data files, year by year, with their licence."""
    network = find_network(short_name)
    html = render_template(
        "opendata/index.html",
        network=network,
        years=years(),
        resources=RESOURCES,
        descriptor=DESCRIPTOR,
        licence=licence_of(network),
    )
    return _cacheable(html, "text/html", per_language=True)


@bp.get("/<short_name>/<int:year>/datapackage.json")
@public
def descriptor(short_name: str, year: int) -> Response:
    """Serve a year's datapackage.json."""
    return _cacheable(_package(short_name, year).descriptor_json(), "application/json")


@bp.get("/<short_name>/<int:year>/<name>.csv")
@public
def resource(short_name: str, year: int, name: str) -> Response:
    """Serve one CSV file of a year's package."""
    return _cacheable(_package(short_name, year).csv(name), "text/csv")
