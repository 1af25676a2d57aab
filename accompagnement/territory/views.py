"""The commune search behind CommuneField's suggestions (JSON, signed-in users)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from werkzeug.wrappers import Response

from accompagnement.access import public
from accompagnement.territory.forms import commune_detail
from accompagnement.territory.services import MAX_RESULTS, label, search_communes

bp = Blueprint("territory", __name__, url_prefix="/territory")


@bp.route("/communes")
@public  # official geography, no personal data: the public door's commune field uses it too
def communes() -> Response:
    """Return the communes matching ?q= (name, postal code or INSEE code), at most ?limit=."""
    text = request.args.get("q", "", type=str)
    limit = request.args.get("limit", 10, type=int) or 10
    found = search_communes(text, min(max(limit, 1), MAX_RESULTS))
    return jsonify(
        [
            {
                "insee": c.insee,
                "name": c.name,
                "label": label(c),
                "postal_codes": c.postal_codes.split(),
                "detail": commune_detail(c),
            }
            for c in found
        ]
    )
