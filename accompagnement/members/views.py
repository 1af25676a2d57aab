"""Pages of the members feature."""

from flask import Blueprint

bp = Blueprint("members", __name__, url_prefix="/members")
