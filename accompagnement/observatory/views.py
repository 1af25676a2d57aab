"""Pages of the observatory feature."""

from flask import Blueprint

bp = Blueprint("observatory", __name__, url_prefix="/observatory")
