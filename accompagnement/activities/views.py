"""Pages of the activities feature."""

from flask import Blueprint

bp = Blueprint("activities", __name__, url_prefix="/activities")
